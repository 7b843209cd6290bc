"""The review queue and recording a review on PostgreSQL, beside SQLite in the same run.

The acceptance point: with 100k cards and 1M review-log rows, building today's queue on
PostgreSQL takes at most twice as long as on SQLite, and recording one review takes ≤ 5 ms
on both engines.

The workload is the one of `bench_reviews.py` (planned once, seeded; see there), loaded into
a SQLite file with `executemany` and into a new PostgreSQL database with COPY, each after
`open_engine` has created and migrated the schema; PostgreSQL then gets VACUUM ANALYZE, as
a server's autovacuum would give it after a bulk load. Timed on each engine, through
`ReviewService` exactly as the CLI and the TUI use it: `queue()` after one warm-up call,
and `record()` over the first queued cards, the fixed clock advancing 10 s per review.

The PostgreSQL server: the admin URL in $STUDYLOG_BENCH_PG (or `--pg URL`), for example
the development server's `postgresql://postgres@/postgres?host=/tmp/pgt&port=54329`; when
neither is given, the benchmark runs itself again under `.ci/with-postgres.sh`, which starts
a throwaway PostgreSQL 15 server (Unix socket only, fsync and synchronous_commit off, like
CI's) and hands its URL over in $STUDYLOG_TEST_PG; the server is stopped at the end. The
benchmark creates its own database there (`--pg-name`) and drops it at the end. Both
engines run on this machine, so the ratio PostgreSQL / SQLite is the figure to read on a
shared CPU; the absolute times move with the load.

Run: .venv/bin/python benchmarks/bench_engines.py [--pg URL] [--cards 100000]
     [--reviews 1000000] [--entries 3650] [--queue-runs 50] [--record-runs 200]
     [--pg-name NAME] [--json OUT]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg
from _common import Figure, median_ms, p95_ms, report
from _review_workload import (
    PlannedCard,
    add_workload_arguments,
    build_studylog,
    measure_studylog,
    plan,
    tables,
)
from psycopg import sql

from studylog.paths import ServerDatabase
from studylog.store.engine import open_engine

ROOT = Path(__file__).resolve().parent.parent
# Where the PostgreSQL server's admin URL comes from.
BENCH_PG = "STUDYLOG_BENCH_PG"

# Tables whose ids the loader writes itself; their sequences must start past them.
_ID_TABLES = ("entry", "card")


def _database_url(admin_url: str, name: str) -> str:
    """`admin_url` with its database replaced by `name`."""
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


def build_postgres(url: str, cards: list[PlannedCard], entries: int, now: dt.datetime) -> None:
    """The migrated schema in the (empty) database at `url`, filled by COPY."""
    open_engine(ServerDatabase(url)).dispose()  # creates the tables, runs every migration
    with psycopg.connect(url) as conn:
        for table, columns, rows in tables(cards, entries, now):
            names = sql.SQL(", ").join(map(sql.Identifier, columns))
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), names)
            with conn.cursor().copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        for table in _ID_TABLES:
            conn.execute(
                sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), max(id)) FROM {}").format(
                    sql.Literal(table), sql.Identifier(table)
                )
            )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def run_beside_throwaway_server() -> None:
    """Run this benchmark again, with the same arguments, under `.ci/with-postgres.sh`,
    passing the throwaway server's URL on as $STUDYLOG_BENCH_PG."""
    print("bench_engines: no $STUDYLOG_BENCH_PG; starting a throwaway PostgreSQL server")
    sys.stdout.flush()
    hand_over = f'{BENCH_PG}="$STUDYLOG_TEST_PG" exec "$@"'
    script = str(ROOT / ".ci" / "with-postgres.sh")
    command = [script, "sh", "-c", hand_over, "sh", sys.executable, *sys.argv]
    os.execv(script, command)


def main() -> None:
    """Plan the workload, measure both engines, print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", default=os.environ.get(BENCH_PG), metavar="URL")
    parser.add_argument("--pg-name", default=f"bench_engines_{os.getpid()}", metavar="NAME")
    add_workload_arguments(parser)
    args = parser.parse_args()
    if not args.pg:
        run_beside_throwaway_server()

    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    cards = plan(args.cards, args.reviews, args.entries, now, args.new_share, args.learning_share)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "studylog.db"
        lite = measure_studylog(
            path, lambda: build_studylog(path, cards, args.entries, now), args, now
        )
    url = _database_url(args.pg, args.pg_name)
    with psycopg.connect(args.pg, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.pg_name)))
        try:
            pg = measure_studylog(
                ServerDatabase(url),
                lambda: build_postgres(url, cards, args.entries, now),
                args,
                now,
            )
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(args.pg_name)
                )
            )
    print(f"SQLite: {lite.note}")
    print(f"PostgreSQL: {pg.note}")
    print(
        f"total run time {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs; "
        f"load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    n = f"{args.cards // 1000}k cards, {args.reviews / 1e6:g}M reviews"
    report(
        f"engines: {n}; PostgreSQL vs SQLite (ratio = PostgreSQL / SQLite)",
        [
            Figure(
                "queue build, median",
                median_ms(pg.queue),
                median_ms(lite.queue),
                "SQLite queue build, median",
                "ms",
                ratio_target=2.0,
            ),
            Figure("queue build, p95", p95_ms(pg.queue), p95_ms(lite.queue), "SQLite, p95", "ms"),
            Figure(
                "queue build, CPU time median",
                median_ms(pg.queue_cpu),
                median_ms(lite.queue_cpu),
                "SQLite, CPU time median",
                "ms",
            ),
            Figure(
                "record a review, median",
                median_ms(pg.record),
                median_ms(lite.record),
                "SQLite record, median",
                "ms",
                5.0,
            ),
            Figure(
                "record a review, p95",
                p95_ms(pg.record),
                p95_ms(lite.record),
                "SQLite record, p95",
                "ms",
            ),
            Figure(
                "SQLite: record a review, median",
                median_ms(lite.record),
                median_ms(pg.record),
                "PostgreSQL record, median",
                "ms",
                5.0,
            ),
            Figure("setup: fill the workload", pg.setup, lite.setup, "SQLite executemany", "s"),
        ],
        args.json,
    )


if __name__ == "__main__":
    main()
