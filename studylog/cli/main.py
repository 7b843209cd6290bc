"""Argument parsing and dispatch. Every command returns an exit status.

`studylog` with no command opens the terminal UI. Nothing here, nor in the `*_cmds`
modules, imports more than the standard library up front: each command imports the
services it uses when it runs, so `--help` and `--version` start as fast as Python does
(tests/test_cli_startup.py checks it).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from studylog import __version__
from studylog.cli.output import inert_stdout, print_error
from studylog.clock import parse_instant
from studylog.errors import StudylogError, one_line

# The commands that start a journal may create the folder of a chosen `--db`.
FOLDER_MAKERS = ("import", "demo")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI: global options first, then one subcommand. Given the `command` about to
    run, only that one is built (each costs argparse a few milliseconds); every one is
    when it is None or unknown, so `--help` and "invalid choice" list them all."""
    from studylog.cli import (
        cards_cmds,
        doctor_cmds,
        entry_cmds,
        journal_cmds,
        sandbox_cmds,
        stats_cmds,
        tasks_cmds,
        verify_cmds,
    )

    modules: tuple[ModuleType, ...] = (
        journal_cmds,
        entry_cmds,
        cards_cmds,
        tasks_cmds,
        stats_cmds,
        sandbox_cmds,
        verify_cmds,
        doctor_cmds,
    )
    if any(command in module.COMMANDS for module in modules):
        modules = tuple(module for module in modules if command in module.COMMANDS)

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
    parser.add_argument("--version", action="version", version=f"studylog {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in modules:
        module.register(sub, json_opt)
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
    return run_command(words, rest[0])


def run_command(argv: Sequence[str], command: str | None = None) -> int:
    """Run one subcommand (`command`, when the caller has found it among `argv`);
    `--help`, `--version` and usage errors return argparse's status."""
    parser = build_parser(command)
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.error("a command is needed")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    from studylog.context import AppContext

    ctx: AppContext | None = None
    try:
        now = parse_instant(args.now) if args.now else None
        ctx = AppContext(db=args.db, now=now, create_folder=args.command in FOLDER_MAKERS)
        with inert_stdout():
            status: int = args.run(ctx, args)
        return status
    except Exception as err:
        message = _expected_error(err, args.db)
        if message is None:
            raise
        print_error(message)
        return 1
    finally:
        if ctx is not None:
            ctx.close()


def _expected_error(err: Exception, db: str | None) -> str | None:
    """The one line for an error that is no bug (bad input, a database problem: named with
    the database file `db` and what to do); None for anything else. A library's errors are
    looked for only if the command imported it."""
    entry_error = getattr(sys.modules.get("journal"), "EntryError", None)
    if isinstance(err, StudylogError) or (entry_error and isinstance(err, entry_error)):
        return str(err)
    sqlite_error = getattr(sys.modules.get("sqlite3"), "Error", None)
    sqlalchemy_error = getattr(sys.modules.get("sqlalchemy.exc"), "SQLAlchemyError", None)
    if (sqlite_error and isinstance(err, sqlite_error)) or (
        sqlalchemy_error and isinstance(err, sqlalchemy_error)
    ):
        from studylog.paths import database_target
        from studylog.store.health import describe_failure

        return describe_failure(database_target(db), one_line(err))
    return None


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
