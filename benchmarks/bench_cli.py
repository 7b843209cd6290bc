"""CLI start-up benchmark: the commands a learner scripts, against a bare interpreter.

On a journal of 3,650 generated entries plus the example, each command runs as a new
process, the way a shell loop or an editor calls it:
- `studylog --version`;
- `studylog search 자동미분`;
- `studylog check ID ANSWER` on an executable card, right after another check (the
  sandbox server started by the first check is warm).

Baseline, measured in the same run: `python -c pass` with the same interpreter. Figures
are medians of --runs runs (default 5); the targets are ratios to the baseline. The
benchmark uses a runtime folder of its own and stops the server it started. As on a
learner's machine, bytecode is cached: $PYTHONDONTWRITEBYTECODE is dropped, and each
command runs once before it is timed.

Run: .venv/bin/python benchmarks/bench_cli.py [--entries 3650] [--runs 5] [--json OUT]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Figure, median_ms, report, write_entries

from cards.sandbox.serverlink import ServerSpec, stop_server
from studylog.clock import Clock
from studylog.services.importer import collect_markdown, import_files
from studylog.services.journal import JournalService
from studylog.store.engine import open_engine

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "data" / "2022-01-24-pytorch.md"
STUDYLOG = Path(sys.executable).with_name("studylog")


def build_journal(folder: Path, db: Path, entries: int) -> None:
    """The example and `entries` generated days after it, imported into `db`."""
    journal = folder / "journal"
    journal.mkdir()
    (journal / EXAMPLE.name).write_bytes(EXAMPLE.read_bytes())
    write_entries(journal, entries, start=dt.date(2022, 1, 25))
    files, _ = collect_markdown([str(journal)])
    imported = import_files(JournalService(open_engine(db), Clock()), files)
    assert len(imported.saved) == entries + 1 and not imported.failures, "lost entries"


def seconds(argv: list[str], env: dict[str, str], expect: int = 0) -> float:
    """Wall-clock seconds of one run of `argv`, checked to exit with `expect`."""
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    assert done.returncode == expect, f"{argv}: {done.returncode} {done.stderr}"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=3650)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cli-", dir="/tmp") as tmp:
        folder = Path(tmp)
        db = folder / "studylog.db"
        print(f"importing {args.entries} entries and the example…", flush=True)
        build_journal(folder, db, args.entries)
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "STUDYLOG_DB": str(db),
            "STUDYLOG_CONFIG": str(folder / "config.toml"),
            "STUDYLOG_RUNTIME_DIR": str(folder / "run"),
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p
            ),
        }
        cli = [str(STUDYLOG)]
        cards = json.loads(
            subprocess.run(
                [*cli, "cards", "list", "--json"], env=env, capture_output=True, check=True
            ).stdout
        )
        card = next(c["id"] for c in cards if c["key"] == "gen:dot.not_2d")
        check = [*cli, "check", str(card), "RuntimeError", "--seed", "1"]
        version, search = [*cli, "--version"], [*cli, "search", "자동미분"]
        try:
            # The check starts the sandbox server; every timed check follows another.
            for warm_up in (version, search, check):
                seconds(warm_up, env)
            samples: dict[str, list[float]] = {"base": [], "version": [], "search": [], "check": []}
            for _ in range(args.runs):
                samples["base"].append(seconds([sys.executable, "-c", "pass"], env))
                samples["version"].append(seconds(version, env))
                samples["search"].append(seconds(search, env))
                samples["check"].append(seconds(check, env))
        finally:
            stop_server(ServerSpec(folder / "run"))
    base = median_ms(samples["base"])
    label = "python -c pass, median"
    report(
        f"CLI start-up: {args.entries} entries + the example, medians of {args.runs}",
        [
            Figure("studylog --version", median_ms(samples["version"]), base, label, "ms", None, 5),
            Figure(
                "studylog search 자동미분",
                median_ms(samples["search"]),
                base,
                label,
                "ms",
                None,
                10,
            ),
            Figure(
                "studylog check (after a check)",
                median_ms(samples["check"]),
                base,
                label,
                "ms",
                None,
                10,
            ),
        ],
        args.json,
    )


if __name__ == "__main__":
    main()
