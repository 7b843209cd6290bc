"""What `studylog` prints when it has no command and no terminal UI to open."""

from __future__ import annotations

import argparse

from studylog.cli.output import print_json
from studylog.context import AppContext


def run_summary(ctx: AppContext, args: argparse.Namespace) -> int:
    """A short overview of the journal: how many entries, and the latest few."""
    entries = ctx.journal.entries()
    if args.json:
        print_json({"db": str(ctx.db_path), "entries": len(entries)})
        return 0
    print(f"studylog journal at {ctx.db_path}: {len(entries)} entries")
    for summary in entries[:10]:
        lectures = ", ".join(summary.lectures) or "-"
        print(f"  {summary.day.isoformat()}  {summary.category or '-':10}  {lectures}")
    return 0
