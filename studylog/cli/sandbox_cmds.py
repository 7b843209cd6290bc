"""`sandbox status` and `sandbox stop`: the shared torch sandbox server."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from studylog.cli.output import Subparsers, print_json
from studylog.errors import StudylogError

if TYPE_CHECKING:
    from cards.sandbox.serverlink import ServerUnavailable
    from studylog.context import AppContext


# The commands `register` adds, so that the CLI builds only the one it runs.
COMMANDS = ("sandbox",)


def register(sub: Subparsers, json_opt: argparse.ArgumentParser) -> None:
    """Add the sandbox server commands to the CLI."""
    p = sub.add_parser(
        "sandbox",
        help="the shared torch sandbox server",
        description="The first check starts a sandbox server that keeps torch imported for "
        "later commands; it exits by itself after [sandbox] idle_minutes (default 10).",
    )
    sandbox_sub = p.add_subparsers(dest="sandbox_command", metavar="COMMAND", required=True)
    status = sandbox_sub.add_parser("status", parents=[json_opt], help="whether it runs, and how")
    status.set_defaults(run=run_status)
    stop = sandbox_sub.add_parser("stop", parents=[json_opt], help="stop it now")
    stop.set_defaults(run=run_stop)


def _refused(err: ServerUnavailable) -> StudylogError:
    """A folder or socket that is not the user's own, as a one-line error."""
    return StudylogError(str(err))


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


def run_status(ctx: AppContext, args: argparse.Namespace) -> int:
    """Print the server's pid, torch, uptime, idle limit and checks served."""
    from cards.sandbox.serverlink import ServerUnavailable, server_status

    spec = ctx.sandbox_server
    try:
        status = server_status(spec)
    except ServerUnavailable as err:
        raise _refused(err) from None
    if args.json:
        print_json(
            {"running": status is not None, "socket": str(spec.socket_path), **(status or {})}
        )
        return 0
    if status is None:
        print(f"no sandbox server running ({spec.socket_path})")
        return 0
    torch = (
        f"torch {status['torch']}, confinement: {status.get('confinement')}"
        if status["ready"]
        else "torch still importing"
    )
    print(f"sandbox server running: pid {status['pid']}, {torch}, socket {status['socket']}")
    print(
        f"  up {_duration(status['uptime_s'])}, {status['checks']} checks served, "
        f"{status['connections']} connected; exits after {_duration(status['idle_timeout_s'])} "
        "idle"
    )
    if not status["current"]:
        print("  started by another studylog or torch: the next check replaces it")
    return 0


def run_stop(ctx: AppContext, args: argparse.Namespace) -> int:
    """Stop the server, if one runs; waits until it has exited."""
    from cards.sandbox.serverlink import ServerUnavailable, stop_server

    try:
        pid = stop_server(ctx.sandbox_server)
    except ServerUnavailable as err:
        raise _refused(err) from None
    if args.json:
        print_json({"stopped": pid is not None, "pid": pid})
    elif pid is None:
        print("no sandbox server running")
    else:
        print(f"stopped the sandbox server (pid {pid})")
    return 0
