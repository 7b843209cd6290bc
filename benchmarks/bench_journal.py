"""Journal benchmark: import ten years of daily entries, then search them.

Baselines, measured in the same run over the same files:
- import: inserting the raw files into a plain SQLite table (no parsing, no derivation);
- search: `grep -rl` over the same folder.

Run: .venv/bin/python benchmarks/bench_journal.py [--entries 3650] [--runs 3] [--json OUT]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Figure, median_ms, report, timed, write_entries

from studylog.clock import Clock
from studylog.services.importer import collect_markdown, import_files
from studylog.services.journal import JournalService
from studylog.store.engine import open_engine

QUERIES = [
    "파이토치",
    "브로드캐스팅",
    "matmul",
    "gradient",
    "자동미분",
    "unsqueeze",
    "데이터셋",
    "bmm",
]


def raw_insert(db: Path, files: list[Path]) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE doc (name TEXT, body TEXT)")
    with conn:
        conn.executemany(
            "INSERT INTO doc VALUES (?, ?)", ((f.name, f.read_text("utf-8")) for f in files)
        )
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=3650)
    parser.add_argument("--runs", type=int, default=3, help="imports to take the median of")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "journal"
        folder.mkdir()
        write_entries(folder, args.entries)
        files, _ = collect_markdown([str(folder)])

        # Each run imports into a new database; the median of the runs is reported, since
        # one run on a 2-core machine swings with whatever else is scheduled.
        imports, baselines = [], []
        for run in range(args.runs):
            service = JournalService(open_engine(root / f"bench{run}.db"), Clock())
            start = time.perf_counter()
            imported = import_files(service, files)
            imports.append(time.perf_counter() - start)
            assert len(imported.saved) == args.entries and not imported.failures, "lost entries"
            baselines.append(timed(lambda run=run: raw_insert(root / f"raw{run}.db", files)))
        print("import runs (s):", ", ".join(f"{s:.2f}" for s in imports))
        import_s, baseline_import_s = statistics.median(imports), statistics.median(baselines)

        search = [timed(lambda q=q: service.search(q)) for q in QUERIES * 5]
        grep = [
            timed(lambda q=q: subprocess.run(["grep", "-rl", q, str(folder)], capture_output=True))
            for q in QUERIES * 5
        ]
    report(
        f"journal: {args.entries} entries",
        [
            Figure(
                "import (parse, store, derive), median",
                import_s,
                baseline_import_s,
                "raw SQLite insert, median",
                "s",
                15.0,
            ),
            Figure(
                "search, median", median_ms(search), median_ms(grep), "grep -rl, median", "ms", 50.0
            ),
        ],
        args.json,
    )


if __name__ == "__main__":
    main()
