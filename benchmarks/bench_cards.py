"""Cards benchmark: derive the cards of a 300-line entry full of calls, code and prose.

Baseline, measured in the same run on the same text: parsing the entry with markdown-it-py
alone (the parse `cards.deck.deck_for_entry` starts with). Deriving includes that parse,
topic detection, written-in cards, call cards (spotting each call with `ast` and planning
its inputs) and block cards; no sandbox runs.

Run: .venv/bin/python benchmarks/bench_cards.py [--lines 300] [--runs 30] [--json OUT]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Figure, median_ms, report, timed
from markdown_it import MarkdownIt

from cards.deck import deck_for_entry
from journal.model import Entry

# One paragraph a later week's notes might hold, and one code block; repeated with other
# sizes to fill the entry.
# Every code span and block differs (the names carry the part's number), so no repeated
# text is read once for many.
PROSE = (
    "The conv layer `nn.Conv2d({a}, {b}, kernel_size=3, padding={k})` keeps the size, then "
    "`F.max_pool2d(x{k}, 2)` halves it. An LSTM, `nn.LSTM({a}, {k}, num_layers=2)`, returns "
    "(h_n, c_n). Attention: `nn.MultiheadAttention({e}, 4, batch_first=True)`; embeddings "
    "via `nn.Embedding({k}, {b})`. Picking scores with `x{k}.gather(1, idx)`, a product with "
    "`torch.einsum('ij,jk->ik', p{k}, q)`, and `x{k}.sum(dim=1, keepdim=True)`. expand은 "
    "메모리를 공유하고 repeat은 복사한다. DataLoader의 drop_last, state_dict, in-place add_, "
    "정수 나눗셈 //, forward hook도 정리했다."
)
BLOCK = (
    "```python\nt{k} = torch.arange({n}).view({a}, -1)\nprint(t{k}.sum(dim=0))\nt{k}.t().shape\n```"
)


def entry(lines: int) -> str:
    """An entry of about `lines` lines: headings, prose with inline calls, code blocks."""
    parts = ["# 2022-03-02 Week 6", "", "## Lecture notes", ""]
    k = 0
    while len("\n".join(parts).splitlines()) < lines:
        a, b = 2 + k % 7, 4 + k % 5
        parts += [f"### Part {k}", "", PROSE.format(a=a, b=b, e=4 * b, k=k + 1), ""]
        parts += [BLOCK.format(n=a * 6, a=a, k=k), ""]
        k += 1
    return "\n".join(parts)


def main() -> None:
    """Time deriving the deck against parsing alone."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=300)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", metavar="OUT")
    opts = parser.parse_args()

    text = entry(opts.lines)
    day = Entry(date=dt.date(2022, 3, 2), markdown=text)
    md = MarkdownIt("commonmark")
    deck = deck_for_entry(day)  # warm: imports, compiled patterns
    md.parse(text)
    derive = [timed(lambda: deck_for_entry(day)) for _ in range(opts.runs)]
    parse = [timed(lambda: md.parse(text)) for _ in range(opts.runs)]
    print(f"{len(text.splitlines())} lines, {len(deck.cards)} cards")
    report(
        "cards",
        [
            Figure(
                f"derive the cards, {opts.lines} lines",
                median_ms(derive),
                median_ms(parse),
                "markdown-it-py parse alone",
                "ms",
                target=50,
            )
        ],
        opts.json,
    )


if __name__ == "__main__":
    main()
