"""`import`, `search` and `export`: getting entries in, finding them, getting them out."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from studylog.cli.output import Subparsers, print_error, print_json
from studylog.context import AppContext
from studylog.errors import StudylogError
from studylog.services.demo import load_demo
from studylog.services.export_json import export_json
from studylog.services.importer import collect_markdown, import_files
from studylog.services.restore import read_export, restore

# Below this many files a progress bar would only flicker.
PROGRESS_FROM = 20


def register(sub: Subparsers, json_opt: argparse.ArgumentParser) -> None:
    """Add the journal commands to the CLI."""
    p = sub.add_parser("import", parents=[json_opt], help="import markdown files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(run=run_import)

    p = sub.add_parser("search", parents=[json_opt], help="full-text search over entries")
    p.add_argument("query", metavar="QUERY")
    p.set_defaults(run=run_search)

    p = sub.add_parser("demo", parents=[json_opt], help="fill an empty journal with samples")
    p.set_defaults(run=run_demo)

    p = sub.add_parser("export", parents=[json_opt], help="export the journal")
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("--out", metavar="PATH", help="write to PATH instead of stdout")
    p.set_defaults(run=run_export)


def run_import(ctx: AppContext, args: argparse.Namespace) -> int:
    """Import every file; report each bad one and exit 1 if there was any."""
    exports = [p for p in args.paths if p.endswith(".json")]
    for export in exports:
        restored = restore(ctx.journal, read_export(Path(export)))
        print(f"restored {restored.describe()} from {export}", file=sys.stderr)
    markdown = [p for p in args.paths if not p.endswith(".json")]
    if not markdown:
        return 0
    files, failures = collect_markdown(markdown)
    console = Console(stderr=True)
    show_bar = console.is_terminal and len(files) >= PROGRESS_FROM and not args.json
    bar = Progress(
        TextColumn("importing"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    )
    with bar if show_bar else nullcontext():
        task = bar.add_task("import", total=len(files)) if show_bar else None
        report = import_files(
            ctx.journal,
            files,
            (lambda n: bar.update(task, completed=n)) if task is not None else None,
        )
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
                        "tasks": r.tasks.added + r.tasks.kept,
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
    report = load_demo(ctx.journal)
    if report is None:
        print(f"{ctx.db_path} already has entries; the demo journal was not added")
        return 0
    cards = sum(r.cards.added for r in report.saved)
    print(f"demo journal: {len(report.saved)} entries, {cards} cards in {ctx.db_path}")
    return 0


def run_search(ctx: AppContext, args: argparse.Namespace) -> int:
    """Print matching entries, newest first; exit 1 when nothing matched, like grep."""
    hits = ctx.journal.search(args.query)
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
    return 0 if hits else 1


def run_export(ctx: AppContext, args: argparse.Namespace) -> int:
    """Write the export to --out (atomically) or stdout."""
    text = json.dumps(export_json(ctx.engine), ensure_ascii=False, indent=2)
    if args.out is None:
        sys.stdout.write(text + "\n")
        return 0
    out = Path(args.out)
    tmp = out.with_name(out.name + ".partial")
    try:
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(out)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise StudylogError(f"{out}: cannot write ({err.strerror})") from None
    print(f"exported to {out}", file=sys.stderr)
    return 0
