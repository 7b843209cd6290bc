"""Argument parsing and dispatch. Every command returns an exit status."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError

from journal import EntryError
from studylog.cli import cards_cmds, journal_cmds, stats_cmds, tasks_cmds
from studylog.cli.output import print_error
from studylog.clock import parse_instant
from studylog.context import AppContext
from studylog.errors import StudylogError


def build_parser() -> argparse.ArgumentParser:
    """The full CLI: global options first, then one subcommand."""
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
    cards_cmds.register(sub, json_opt)
    tasks_cmds.register(sub, json_opt)
    stats_cmds.register(sub, json_opt)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Parse `argv`, run the command, and turn expected failures into one-line errors."""
    args = build_parser().parse_args(argv)
    try:
        now = parse_instant(args.now) if args.now else None
        ctx = AppContext(db=args.db, now=now)
        if args.command is None:
            from studylog.cli.summary import run_summary

            return run_summary(ctx, args)
        status: int = args.run(ctx, args)
        return status
    except (StudylogError, EntryError) as err:
        print_error(str(err))
        return 1
    except (OperationalError, sqlite3.Error) as err:
        print_error(f"database: {getattr(err, 'orig', err)}")
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
