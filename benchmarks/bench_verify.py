"""Verify benchmark: checking a note's remembered outputs with a warm sandbox, against
running the same code blocks with a fresh `python -c` each.

The note has 8 blocks of 5 printed-output claims (40 claims), some wrong, one block of
unseeded random numbers (run twice). The figure is the median of `--runs` verifications
through the warm sandbox; the baseline runs each block's own code (imports and prints
as written) in `python -c`, one process per block, as a learner would by hand.

Run: .venv/bin/python benchmarks/bench_verify.py [--runs 5] [--json OUT]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Figure, report, timed

from cards.mdparse import tokens
from cards.sandbox import Sandbox
from studylog.services.verify import verify_markdown

BLOCK = """```python
import torch
a = torch.arange({n} * 6).reshape({n}, 6)
print(a.shape)  # torch.Size([{n}, 6])
print(a.t().is_contiguous())  # True
print(a.sum())  # tensor({wrong})
print(a.float().mean())  # tensor({mean:.4f})
print(a[0])  # tensor([0, 1, 2, 3, 4, 5])
```
"""
RANDOM_BLOCK = """```python
x = torch.randn(4, 3)
print(x.shape)  # torch.Size([4, 3])
print(x.mean())  # tensor(0.1234)
print(x.dtype)  # torch.float32
print(x.t().shape)  # torch.Size([3, 4])
print(x.numel())  # 12
```
"""


def note() -> str:
    """A 40-claim note."""
    blocks = [BLOCK.format(n=n, wrong=n * 6, mean=(n * 6 - 1) / 2) for n in range(1, 8)]
    return "# 2022-01-24\n\n" + "\n".join([*blocks, RANDOM_BLOCK])


def python_c(markdown: str) -> None:
    """Each block's code as written, in its own `python -c`."""
    for block in tokens(markdown):
        if block.type != "fence":
            continue
        code = "import torch\n" + block.content
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def main() -> None:
    """Measure and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    markdown = note()
    with Sandbox() as sandbox:
        sandbox.wait_ready()
        verdicts = verify_markdown(markdown, sandbox)  # warm: the first fork, the pages
        assert len(verdicts) == 40, len(verdicts)
        warm = statistics.median(
            timed(lambda: verify_markdown(markdown, sandbox)) for _ in range(args.runs)
        )
    cold = timed(lambda: python_c(markdown))
    counts = {v: sum(1 for x in verdicts if x.verdict == v) for v in {x.verdict for x in verdicts}}
    print(f"verdicts: {counts}")
    report(
        "verify: a 40-claim note",
        [Figure("verify, warm sandbox", warm, cold, "python -c per block", "s", target=2.0)],
        args.json,
    )


if __name__ == "__main__":
    main()
