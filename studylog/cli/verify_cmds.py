"""`verify FILE|DATE`: the outputs written beside a note's code, checked by torch."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from studylog.cli.output import Subparsers, print_json
from studylog.errors import StudylogError

if TYPE_CHECKING:
    from studylog.context import AppContext

# The commands `register` adds, so that the CLI builds only the one it runs.
COMMANDS = ("verify",)


def register(sub: Subparsers, json_opt: argparse.ArgumentParser) -> None:
    """Add the verify command to the CLI."""
    p = sub.add_parser(
        "verify",
        parents=[json_opt],
        help="check the outputs written beside your code against torch",
        description="Finds `print(x)  # claimed output` comments and >>> transcripts in a "
        "note's code blocks, runs the blocks in the torch sandbox and reports the claims "
        "torch disagrees with. Exits 1 when any does.",
    )
    p.add_argument("source", metavar="FILE|DATE", help="a markdown file, or a day's entry")
    p.set_defaults(run=run_verify)


def _markdown(ctx: AppContext, source: str) -> tuple[str, str]:
    """The note's text and the name to report lines against."""
    path = Path(source)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8"), source
        except (OSError, UnicodeDecodeError) as err:
            raise StudylogError(f"{source}: cannot read it ({err})") from None
    try:
        day = dt.date.fromisoformat(source)
    except ValueError:
        raise StudylogError(f"{source}: no such file, and not a date (YYYY-MM-DD)") from None
    markdown = ctx.journal.markdown_of(day)
    if markdown is None:
        raise StudylogError(f"{source}: no entry for that day")
    return markdown, source


def run_verify(ctx: AppContext, args: argparse.Namespace) -> int:
    """Print the disagreements like a compiler (or every verdict with --json)."""
    from studylog.services.verify import DISAGREES, verify_markdown

    markdown, name = _markdown(ctx, args.source)
    verdicts = verify_markdown(markdown, ctx.sandbox())
    wrong = [v for v in verdicts if v.verdict == DISAGREES]
    if args.json:
        print_json({"claims": [v.to_dict() for v in verdicts]})
    else:
        for v in wrong:
            claimed, actual = " ".join(v.claimed.split()), " ".join((v.actual or "").split())
            print(f"{name}:{v.line}: {v.expr}: claimed {claimed}, torch says {actual}")
        counts: dict[str, int] = {}
        for v in verdicts:
            counts[v.verdict] = counts.get(v.verdict, 0) + 1
        summary = ", ".join(f"{n} {verdict}" for verdict, n in counts.items())
        print(f"{len(verdicts)} claims: {summary}" if verdicts else "no claims found")
    return 1 if wrong else 0
