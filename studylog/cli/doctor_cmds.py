"""`doctor`: whether the database file is sound, in one line."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from studylog.cli.output import Subparsers, print_error, print_json

if TYPE_CHECKING:
    from studylog.context import AppContext

# The commands `register` adds, so that the CLI builds only the one it runs.
COMMANDS = ("doctor",)


def register(sub: Subparsers, json_opt: argparse.ArgumentParser) -> None:
    """Add the doctor command to the CLI."""
    p = sub.add_parser(
        "doctor",
        parents=[json_opt],
        help="check the database (SQLite's integrity check; on PostgreSQL, that every table reads)",
    )
    p.set_defaults(run=run_doctor)


def run_doctor(ctx: AppContext, args: argparse.Namespace) -> int:
    """Exit 0 when the store is sound, 1 (with what to do) when it is not."""
    from studylog.store.health import check_health

    health = check_health(ctx.database)
    if args.json:
        print_json(
            {
                "path": str(health.path),
                "sound": health.sound,
                "schema_version": health.schema_version,
                "problem": health.problem,
            }
        )
    elif health.sound:
        print(health.describe())
    else:
        print_error(health.describe())
    return 0 if health.sound else 1
