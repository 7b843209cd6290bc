"""Planned tasks: `tasks`, `task done`, `task undo`, `task add`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from studylog.cli.output import Subparsers, print_json
from studylog.services.dates import DaysAhead, DueDate, due_on, read_due

if TYPE_CHECKING:
    from studylog.context import AppContext
    from studylog.services.tasks import TaskView


# The commands `register` adds, so that the CLI builds only the one it runs.
COMMANDS = ("tasks", "task")


def register(sub: Subparsers, json_opt: argparse.ArgumentParser) -> None:
    """Add the task commands to the CLI."""
    p = sub.add_parser("tasks", parents=[json_opt], help="open tasks due today or earlier")
    p.add_argument("--upcoming", type=int, default=0, metavar="DAYS", help="also the next DAYS")
    p.add_argument("--all", action="store_true", help="include done tasks")
    p.set_defaults(run=run_tasks)

    p = sub.add_parser("task", help="change one task")
    task_sub = p.add_subparsers(dest="task_command", metavar="COMMAND", required=True)
    for name, helptext in (("done", "tick a task off"), ("undo", "mark a task not done")):
        q = task_sub.add_parser(name, parents=[json_opt], help=helptext)
        q.add_argument("id", type=int, metavar="ID")
        q.set_defaults(run=run_done, done=name == "done")
    q = task_sub.add_parser("add", parents=[json_opt], help="add a task of your own")
    q.add_argument("text", metavar="TEXT")
    q.add_argument(
        "--due",
        type=due_arg,
        default=DaysAhead(0),
        metavar="WHEN",
        help="YYYY-MM-DD, today (the default), tomorrow, +N days or a weekday (fri, 금요일)",
    )
    q.set_defaults(run=run_add)


def due_arg(text: str) -> DueDate:
    """An argparse type for a due date; which day it is is settled once the clock is known."""
    try:
        return read_due(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _line(task: TaskView) -> str:
    box = "[x]" if task.done else "[ ]"
    flag = "  OVERDUE" if task.overdue else ""
    why = f"  ({task.closed})" if task.closed else ""
    return f"{task.id:>5} {box} {task.due.isoformat()}  {task.text}{flag}{why}"


def run_tasks(ctx: AppContext, args: argparse.Namespace) -> int:
    """List tasks, overdue ones marked."""
    tasks = ctx.tasks.list(upcoming_days=args.upcoming, include_done=args.all)
    if args.json:
        print_json([t.to_dict() for t in tasks])
        return 0
    if not tasks:
        print("no open tasks due")
    for task in tasks:
        print(_line(task))
    return 0


def run_done(ctx: AppContext, args: argparse.Namespace) -> int:
    """Tick a task off, or back on."""
    task = ctx.tasks.set_done(args.id, args.done)
    if args.json:
        print_json(task.to_dict())
    else:
        print(_line(task))
    return 0


def run_add(ctx: AppContext, args: argparse.Namespace) -> int:
    """Add a task due `--due` (counted from the learning day `--now` falls on) or today."""
    task = ctx.tasks.get(ctx.tasks.add(args.text, due_on(args.due, ctx.clock.today())))
    if args.json:
        print_json(task.to_dict())
    else:
        print(_line(task))
    return 0
