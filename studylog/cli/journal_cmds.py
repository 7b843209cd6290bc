"""`import`, `search` and `export`: getting entries in, finding them, getting them out."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from studylog.cli.output import Subparsers, day_arg, print_error, print_json
from studylog.errors import StudylogError

if TYPE_CHECKING:
    from studylog.context import AppContext

# Below this many files a progress bar would only flicker.
PROGRESS_FROM = 20
# Rows of a JSON or CSV export from which writing takes long enough to show progress.
EXPORT_PROGRESS_ROWS = 20_000
DEFAULT_OUT = {"csv": "studylog-csv", "apkg": "studylog.apkg"}


# The commands `register` adds, so that the CLI builds only the one it runs.
COMMANDS = ("import", "search", "demo", "export")


def register(sub: Subparsers, json_opt: argparse.ArgumentParser) -> None:
    """Add the journal commands to the CLI."""
    p = sub.add_parser("import", parents=[json_opt], help="import markdown files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--date", type=day_arg, metavar="YYYY-MM-DD", help="the day of a file that names none"
    )
    second = p.add_mutually_exclusive_group()
    second.add_argument(
        "--append",
        dest="second_file",
        action="store_const",
        const="append",
        help="add a file's text to a day's entry that came from another file",
    )
    second.add_argument(
        "--replace",
        dest="second_file",
        action="store_const",
        const="replace",
        help="replace a day's entry that came from another file",
    )
    p.set_defaults(run=run_import)

    p = sub.add_parser("search", parents=[json_opt], help="full-text search over entries")
    p.add_argument("query", metavar="QUERY")
    p.set_defaults(run=run_search)

    p = sub.add_parser("demo", parents=[json_opt], help="fill an empty journal with samples")
    p.set_defaults(run=run_demo)

    p = sub.add_parser(
        "export",
        parents=[json_opt],
        help="export the journal",
        description="json: everything, importable again (stdout by default). "
        "csv: one file per table in a folder (default studylog-csv/). "
        "md: a progress report (stdout by default). "
        "apkg: an Anki package of every card (default studylog.apkg).",
    )
    p.add_argument("--format", choices=["json", "csv", "md", "apkg"], default="json")
    p.add_argument("--out", metavar="PATH", help="where to write (see the formats above)")
    p.set_defaults(run=run_export)


def run_import(ctx: AppContext, args: argparse.Namespace) -> int:
    """Import every file; report each bad one and exit 1 if there was any."""
    from studylog.services.importer import SecondFile, collect_markdown, import_files
    from studylog.services.restore import read_export, restore

    exports = [p for p in args.paths if p.endswith(".json")]
    for export in exports:
        data = read_export(Path(export))
        try:
            restored = restore(ctx.journal, data)
        except StudylogError as err:
            raise StudylogError(f"{export}: {err}") from None
        print(f"restored {restored.describe()} from {export}", file=sys.stderr)
    markdown = [p for p in args.paths if not p.endswith(".json")]
    if not markdown:
        return 0
    files, failures = collect_markdown(markdown)
    with _progress("importing", len(files), len(files) >= PROGRESS_FROM and not args.json) as tick:
        second_file = SecondFile(args.second_file or SecondFile.REFUSE)
        report = import_files(ctx.journal, files, tick, args.date, second_file)
    report.failures[:0] = failures
    if args.json:
        print_json(
            {
                "imported": [
                    {
                        "date": r.day.isoformat(),
                        "status": r.status.value,
                        "category": r.category,
                        "lectures": r.lectures,
                        "tasks": r.tasks.total,
                        "path": r.source,
                    }
                    for r in report.saved
                ],
                "failed": [{"path": f.path, "error": f.reason} for f in report.failures],
            }
        )
    else:
        for result in report.saved:
            print(f"{result.describe()} ({result.source})")
        counts = {s: sum(r.status.value == s for r in report.saved) for s in ("new", "updated")}
        print(
            f"{counts['new']} new, {counts['updated']} updated, "
            f"{len(report.saved) - sum(counts.values())} unchanged, {len(report.failures)} failed"
        )
    for failure in report.failures:
        print_error(failure.describe())
    return 1 if report.failures else 0


def run_demo(ctx: AppContext, args: argparse.Namespace) -> int:
    """Import the sample entries, unless the journal already has entries."""
    from studylog.services.demo import load_demo

    report = load_demo(ctx.journal)
    if report is None:
        print(f"{ctx.database} already has entries; the demo journal was not added")
        return 0
    cards = sum(r.cards.added for r in report.saved)
    print(f"demo journal: {len(report.saved)} entries, {cards} cards in {ctx.database}")
    return 0


def run_search(ctx: AppContext, args: argparse.Namespace) -> int:
    """Print matching entries, newest first; exit 1 when nothing matched, like grep."""
    from studylog.store.search import search

    hits = ctx.read(search, args.query)
    if args.json:
        print_json(
            [
                {"date": h.day.isoformat(), "category": h.category, "snippet": h.snippet}
                for h in hits
            ]
        )
    else:
        for hit in hits:
            print(f"{hit.day.isoformat()}  {hit.category or '-'}  {hit.snippet}")
        if not hits:
            # On stderr, so that stdout stays a list of matches (empty) for scripts.
            print(f"no entries match {args.query!r}", file=sys.stderr)
    return 0 if hits else 1


def run_export(ctx: AppContext, args: argparse.Namespace) -> int:
    """Export in the chosen format; files are written atomically (temporary, then renamed)."""
    exporters: dict[str, Callable[[AppContext, argparse.Namespace], int]] = {
        "json": _export_json,
        "csv": _export_csv,
        "md": _export_md,
        "apkg": _export_apkg,
    }
    return exporters[args.format](ctx, args)


@contextmanager
def _progress(label: str, total: int, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr, only when stderr is a terminal and `enabled`; yields the
    callback to report the count done (None without a bar)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    if not (enabled and console.is_terminal):
        yield None
        return
    bar = Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    )
    with bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)


def _target(out: Path) -> Path:
    """A file to export to, checked before any slow work."""
    if out.is_dir():
        raise StudylogError(f"{out}: is a folder; give a file name")
    if not out.parent.is_dir():
        raise StudylogError(f"{out.parent}: no such folder")
    return out


def _atomic_write(out: Path, write: Callable[[IO[str]], object]) -> None:
    """Write a text file through a temporary name, so a reader never sees half of it."""
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as stream:
            write(stream)
        os.replace(partial, out)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise StudylogError(f"{out}: cannot write ({err.strerror})") from None


def _done(args: argparse.Namespace, message: str, summary: dict[str, object]) -> None:
    """Say where the export went: a line on stderr, or a JSON summary with --json."""
    if args.json:
        print_json(summary)
    else:
        print(message, file=sys.stderr)


def _export_json(ctx: AppContext, args: argparse.Namespace) -> int:
    from studylog.services.export_json import count_rows, write_json

    if args.out is None:
        write_json(ctx.engine, sys.stdout)
        return 0
    out = _target(Path(args.out))
    total = sum(count_rows(ctx.engine).values())
    with _progress("exporting", total, total >= EXPORT_PROGRESS_ROWS) as tick:
        _atomic_write(out, lambda stream: write_json(ctx.engine, stream, tick))
    _done(args, f"exported to {out}", {"format": "json", "out": str(out)})
    return 0


def _export_csv(ctx: AppContext, args: argparse.Namespace) -> int:
    from studylog.services.export_csv import write_csv
    from studylog.services.export_json import count_rows

    out = Path(args.out or DEFAULT_OUT["csv"])
    daily = ctx.stats.daily()
    total = sum(count_rows(ctx.engine).values()) + len(daily)
    with _progress("exporting", total, total >= EXPORT_PROGRESS_ROWS) as tick:
        counts = write_csv(ctx.engine, daily, out, tick)
    files = ", ".join(f"{name} ({n})" for name, n in counts.items())
    _done(
        args,
        f"exported to {out}/: {files}",
        {"format": "csv", "out": str(out), "rows": counts},
    )
    return 0


def _export_md(ctx: AppContext, args: argparse.Namespace) -> int:
    from studylog.services.export_report import ReportData, entry_lectures, render_report

    out = None if args.out is None else _target(Path(args.out))
    text = render_report(
        ReportData(
            stats=ctx.stats.snapshot(),
            open_tasks=ctx.tasks.list(upcoming_days=14),
            entries=entry_lectures(ctx.engine),
        )
    )
    if out is None:
        sys.stdout.write(text)
        return 0
    _atomic_write(out, lambda stream: stream.write(text))
    _done(args, f"exported to {out}", {"format": "md", "out": str(out)})
    return 0


def _export_apkg(ctx: AppContext, args: argparse.Namespace) -> int:
    # genanki is imported only for this format.
    from studylog.services.export_anki import build_deck, write_package

    out = _target(Path(args.out or DEFAULT_OUT["apkg"]))
    cards = ctx.reviews.cards()
    # Every executable card runs once in the sandbox.
    with _progress("exporting cards", len(cards), len(cards) >= PROGRESS_FROM) as tick:
        deck, result = build_deck(ctx.quiz, cards, tick)
    write_package(deck, out, ctx.clock.now().timestamp())
    for skipped in result.skipped:
        print(f"studylog: warning: {skipped.describe()}", file=sys.stderr)
    _done(
        args,
        f"exported {result.notes} notes to {out}",
        {
            "format": "apkg",
            "out": str(out),
            "notes": result.notes,
            "skipped": [{"id": s.card_id, "reason": s.reason} for s in result.skipped],
        },
    )
    return 0
