"""`entries`, `show` and `write`: the journal a day at a time, as jrnl users expect."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from typing import TYPE_CHECKING

from studylog.cli.output import Subparsers, day_arg, print_json, write_verbatim
from studylog.errors import StudylogError

if TYPE_CHECKING:
    from studylog.context import AppContext


# The commands `register` adds, so that the CLI builds only the one it runs.
COMMANDS = ("entries", "show", "write")


def register(sub: Subparsers, json_opt: argparse.ArgumentParser) -> None:
    """Add the day-by-day journal commands to the CLI."""
    p = sub.add_parser("entries", parents=[json_opt], help="list entries, newest first")
    p.add_argument("-n", type=int, metavar="N", help="only the N newest")
    p.set_defaults(run=run_entries)

    p = sub.add_parser("show", parents=[json_opt], help="print a day's entry exactly as written")
    p.add_argument("day", type=day_arg, metavar="DATE")
    p.set_defaults(run=run_show)

    p = sub.add_parser(
        "write",
        parents=[json_opt],
        help="write or edit a day's entry in $VISUAL/$EDITOR",
        description="Opens the day's entry (default: today), or a new one from your "
        "template, in $VISUAL or $EDITOR; saves it when the editor exits.",
    )
    p.add_argument("day", type=day_arg, metavar="DATE", nargs="?")
    p.set_defaults(run=run_write)


def run_entries(ctx: AppContext, args: argparse.Namespace) -> int:
    """One line per entry: date, category and lecture titles."""
    if args.n is not None and args.n < 1:
        raise StudylogError(f"-n {args.n}: give a number of entries, 1 or more")
    from studylog.store.reader import entries as all_entries

    entries = ctx.read(all_entries)[: args.n]
    if args.json:
        print_json(
            [
                {"date": e.day.isoformat(), "category": e.category, "lectures": list(e.lectures)}
                for e in entries
            ]
        )
    else:
        for e in entries:
            print(f"{e.day.isoformat()}  {e.category or '-'}  {' · '.join(e.lectures)}".rstrip())
    return 0


def run_show(ctx: AppContext, args: argparse.Namespace) -> int:
    """The stored markdown, byte for byte (or with --json, as a string)."""
    markdown = ctx.journal.markdown_of(args.day)
    if markdown is None:
        raise StudylogError(f"{args.day.isoformat()}: no entry for that day")
    if args.json:
        print_json({"date": args.day.isoformat(), "markdown": markdown})
    else:
        write_verbatim(markdown)
    return 0


def _keep(text: str, day: str) -> str:
    """Save text that could not be stored where the learner can find it; its path."""
    handle, path = tempfile.mkstemp(prefix=f"studylog-{day}-", suffix=".md")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    return path


def run_write(ctx: AppContext, args: argparse.Namespace) -> int:
    """Edit the day's entry, then save it; text that cannot be saved is never lost."""
    from journal import EntryError
    from studylog.editing import editor_command, run_editor
    from studylog.services.drafts import draft_entry

    draft = draft_entry(ctx.journal, ctx.tasks, args.day or ctx.clock.today())
    day = draft.day.isoformat()
    try:
        edited = run_editor(draft.markdown, f"{day}.md")
    except OSError as err:
        raise StudylogError(f"editor '{' '.join(editor_command())}': {err.strerror}") from None
    if edited.status != 0:
        kept = (
            f"; your text is in {_keep(edited.text, day)}" if edited.text != draft.markdown else ""
        )
        raise StudylogError(f"the editor exited with status {edited.status}; nothing saved{kept}")
    if edited.text == draft.markdown:
        print(f"{day}: no change, nothing saved", file=sys.stderr)
        return 0
    try:
        result = ctx.journal.save(edited.text)
    except (EntryError, StudylogError) as err:
        raise StudylogError(f"{_keep(edited.text, day)}: {err} (your text is kept there)") from None
    if args.json:
        print_json(
            {
                "date": result.day.isoformat(),
                "status": result.status.value,
                "tasks": result.tasks.total,
            }
        )
    else:
        print(result.describe())
    return 0
