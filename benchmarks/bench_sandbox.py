"""Sandbox benchmark: how fast a warm check is, against running torch cold for each check.

Figures, each beside a baseline measured in the same run:
- startup: launching the worker until torch is imported and it is ready, against a bare
  `python -c "import torch"`;
- warm checks: `--checks` (200) answer checks through the real checker and sandbox, cycling
  through varied predict- and produce-style cards, back to back; median and p95 latency;
- the same checks paced like a learner (the spare child is ready when the answer comes);
- the same back-to-back checks without the spare child, and without huge pages, to show
  what each measure buys;
- the Landlock step's own cost: applying the worker's prepared ruleset in a forked child
  (`--forks` of them), beside the warm check median it is part of.
The baseline for every check figure is a fresh `python -c "import torch; …"` subprocess per
check running the same snippet (`--cold`, 10 of them).

Run: .venv/bin/python benchmarks/bench_sandbox.py [--checks 200] [--cold 10] [--json OUT]
"""

from __future__ import annotations

import argparse
import ctypes
import os
import struct
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Figure, median_ms, p95_ms, report, timed

from cards.checker import check_exercise
from cards.model import Exercise, Kind
from cards.sandbox import Sandbox, landlock

# (kind, code, expression, answer): small cards of the kinds the generators make.
CARDS: tuple[tuple[Kind, str, str, str], ...] = (
    (Kind.PREDICT, "x = torch.arange(6).view(2, 3)", "x.t().shape", "(3, 2)"),
    (Kind.PREDICT, "a = torch.ones(2, 3, 4)\nb = torch.ones(4, 5)", "(a @ b).shape", "2x3x5"),
    (Kind.PREDICT, "x = torch.arange(6).view(2, 3).t()", "x.view(6)", "RuntimeError"),
    (Kind.PREDICT, "x = torch.zeros(1, 3, 1)", "x.squeeze().shape", "(3,)"),
    (Kind.PREDICT, "x = torch.tensor([1, 2])", "x / 2", "tensor([0.5, 1.])"),
    (Kind.PREDICT, "z = torch.tensor([0., 0.])", "F.softmax(z, dim=0)", "[0.5, 0.5]"),
    (
        Kind.PREDICT,
        "x = torch.tensor(2., requires_grad=True)\ny = x ** 2\ny.backward()",
        "x.grad",
        "tensor(4.)",
    ),
    (Kind.PREDICT, "x = torch.ones(2, requires_grad=True)", "(x * 2).grad_fn", "MulBackward0"),
    (Kind.PREDICT, "y = torch.tensor([0, 2])", "F.one_hot(y, 3).dtype", "int64"),
    (Kind.PRODUCE, "x = torch.arange(6)", "x.view(2, 3)", "x.reshape(2, 3)"),
    (Kind.PRODUCE, "x = torch.ones(2, 3)", "torch.stack([x, x]).shape", "(2, 2, 3)"),
    (Kind.PRODUCE, "x = torch.arange(4.)", "x.unsqueeze(0)", "x[None]"),
)
EXERCISES = [
    (Exercise(kind, "?", code, expr, need_view=kind is Kind.PRODUCE), answer)
    for kind, code, expr, answer in CARDS
]


def warm_checks(sandbox: Sandbox, count: int, pause_s: float = 0.0) -> list[float]:
    """Seconds per check for `count` checks through the real checker."""
    samples = []
    for i in range(count):
        exercise, answer = EXERCISES[i % len(EXERCISES)]
        if pause_s:
            time.sleep(pause_s)
        started = time.perf_counter()
        verdict = check_exercise(exercise, answer, sandbox)
        samples.append(time.perf_counter() - started)
        if not verdict.correct:
            raise SystemExit(f"benchmark card judged wrong: {exercise.expr!r}: {verdict}")
    return samples


def cold_checks(count: int) -> list[float]:
    """Seconds per check when every check starts a fresh interpreter and imports torch."""
    samples = []
    for i in range(count):
        _, code, expr, _ = CARDS[i % len(CARDS)]
        script = (
            "import warnings; warnings.filterwarnings('ignore')\n"
            "import torch, torch.nn as nn, torch.nn.functional as F\n"
            f"ns = {{'torch': torch, 'nn': nn, 'F': F}}\nexec({code!r}, ns)\n"
            f"try:\n    print(repr(eval({expr!r}, ns)))\n"
            "except Exception as e:\n    print(type(e).__name__)\n"
        )
        samples.append(timed(lambda s=script: _python(s)))
    return samples


def landlock_costs(count: int) -> list[float]:
    """Seconds each of `count` forked children spends in `landlock.restrict`."""
    ruleset = landlock.prepare()
    if ruleset.fd is None:
        raise SystemExit(f"no Landlock to measure: {ruleset.reason}")
    libc = ctypes.CDLL(None, use_errno=True)
    samples = []
    for _ in range(count):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: what a sandbox child does, then report the time
            libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS, as seccomp sets it
            begun = time.perf_counter()
            applied = landlock.restrict(ruleset)
            spent = time.perf_counter() - begun
            os.write(write_end, struct.pack("d?", spent, applied))
            os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            spent, applied = struct.unpack("d?", pipe.read())
        os.waitpid(pid, 0)
        if not applied:
            raise SystemExit("landlock_restrict_self failed in the child")
        samples.append(spent)
    return samples


def _python(script: str) -> None:
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True)


def started(make: Callable[[], Sandbox]) -> Sandbox:
    sandbox = make()
    sandbox.start()
    if not sandbox.wait_ready(300):
        raise SystemExit("the sandbox did not start")
    warm_checks(sandbox, len(EXERCISES))  # one pass over the cards before measuring
    return sandbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--cold", type=int, default=10)
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--json", dest="out")
    args = parser.parse_args()

    import_torch = timed(
        lambda: _python("import warnings; warnings.filterwarnings('ignore'); import torch")
    )
    cold = cold_checks(args.cold)
    cold_median, cold_p95 = median_ms(cold), p95_ms(cold)

    sandbox = started(Sandbox)
    startup = sandbox.startup_seconds or float("nan")
    version = sandbox.torch_version
    confinement = sandbox.confinement
    back_to_back = warm_checks(sandbox, args.checks)
    paced = warm_checks(sandbox, args.checks // 2, pause_s=0.05)
    sandbox.close()

    no_spare = started(lambda: Sandbox(prefork=False))
    without_spare = warm_checks(no_spare, args.checks)
    no_spare.close()
    small_pages = started(lambda: Sandbox(hugepages=False))
    without_huge = warm_checks(small_pages, args.checks)
    small_pages.close()
    landlock_step = landlock_costs(args.forks)

    cold_name = f"cold python+torch per check (n={args.cold})"
    figures = [
        Figure("worker start → ready", startup, import_torch, "python -c 'import torch'", "s"),
        Figure(
            f"warm check median (n={args.checks})",
            median_ms(back_to_back),
            cold_median,
            cold_name,
            "ms",
            target=20,
        ),
        Figure("warm check p95", p95_ms(back_to_back), cold_p95, cold_name, "ms", target=50),
        Figure("paced check median (spare ready)", median_ms(paced), cold_median, cold_name, "ms"),
        Figure("paced check p95", p95_ms(paced), cold_p95, cold_name, "ms"),
        Figure(
            "warm median, no spare child", median_ms(without_spare), cold_median, cold_name, "ms"
        ),
        Figure("warm median, no huge pages", median_ms(without_huge), cold_median, cold_name, "ms"),
        Figure(
            f"landlock restrict in a child, median (n={args.forks})",
            median_ms(landlock_step),
            median_ms(back_to_back),
            "warm check median",
            "ms",
        ),
    ]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    report(
        f"sandbox (torch {version}; {confinement}; {os.cpu_count()} CPUs, load average {load})",
        figures,
        args.out,
    )


if __name__ == "__main__":
    main()
