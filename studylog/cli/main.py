"""Argument parsing and dispatch. Every command returns an exit status.

`studylog` with no command opens the terminal UI. That path imports neither the commands
nor the services up front (the UI loads them after its first frame), so the app paints
fast; every other path imports them as before.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from studylog.cli.output import inert_stdout, print_error
from studylog.clock import parse_instant
from studylog.errors import StudylogError


def build_parser() -> argparse.ArgumentParser:
    """The full CLI: global options first, then one subcommand."""
    from studylog.cli import (
        cards_cmds,
        doctor_cmds,
        entry_cmds,
        journal_cmds,
        stats_cmds,
        tasks_cmds,
    )

    # --json is accepted before or after the subcommand; SUPPRESS keeps the global value
    # from being overwritten by the subcommand's default.
    json_opt = argparse.ArgumentParser(add_help=False)
    json_opt.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output"
    )
    parser = argparse.ArgumentParser(
        prog="studylog", description="A terminal study companion for learning PyTorch."
    )
    parser.add_argument(
        "--db", metavar="PATH", help="database file (default: $STUDYLOG_DB or the data dir)"
    )
    parser.add_argument("--now", metavar="ISO-DATETIME", help="pretend the clock reads this")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    journal_cmds.register(sub, json_opt)
    entry_cmds.register(sub, json_opt)
    cards_cmds.register(sub, json_opt)
    tasks_cmds.register(sub, json_opt)
    stats_cmds.register(sub, json_opt)
    doctor_cmds.register(sub, json_opt)
    return parser


def _global_options() -> argparse.ArgumentParser:
    """Just the options that come before a command, to tell the UI from the commands."""
    parser = argparse.ArgumentParser(prog="studylog", add_help=False)
    parser.add_argument("--db")
    parser.add_argument("--now")
    parser.add_argument("--json", action="store_true")
    return parser


def open_tui(db: str | None, now_text: str | None) -> int:
    """`studylog` with no command: the terminal UI on the database at `db`."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print_error("the terminal UI needs a terminal; `studylog --help` lists the commands")
        return 2
    try:
        now = parse_instant(now_text) if now_text else None
    except StudylogError as err:
        print_error(str(err))
        return 1
    from studylog.tui.app import run_app

    return run_app(db=db, now=now)


def run(argv: Sequence[str] | None = None) -> int:
    """Parse `argv`, run the command, and turn expected failures into one-line errors."""
    words = list(sys.argv[1:] if argv is None else argv)
    options, rest = _global_options().parse_known_args(words)
    if not rest:
        if options.json:
            print_error("--json needs a command; `studylog` alone opens the terminal UI")
            return 2
        return open_tui(options.db, options.now)
    return run_command(words)


def run_command(argv: Sequence[str]) -> int:
    """Run one subcommand."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    from journal import EntryError
    from studylog.context import AppContext
    from studylog.paths import database_path
    from studylog.store.health import describe_failure

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.error("a command is needed")
    try:
        now = parse_instant(args.now) if args.now else None
        ctx = AppContext(db=args.db, now=now)
        with inert_stdout():
            status: int = args.run(ctx, args)
        return status
    except (StudylogError, EntryError) as err:
        print_error(str(err))
        return 1
    except (DBAPIError, sqlite3.Error) as err:
        print_error(describe_failure(database_path(args.db), str(getattr(err, "orig", err))))
        return 1


def main() -> None:
    """Console-script entry point."""
    try:
        sys.exit(run())
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)
