"""Stats and export benchmark: a journal with a million review-log rows.

Builds a migrated database straight through sqlite3 (bulk inserts, no services): ~3,650
daily entries, ~100,000 cards and 1,000,000 reviews whose times, ratings, durations,
predicted recall and states look like years of real use. Then times:

The journal spans ten years, but the learner started reviewing ~15 months before "now"
(they imported the archive), so most of the log falls inside the stats' 365-day window:
the heaviest case for the per-day figures.

- `StatsService.snapshot()` (target ≤ 2 s), against a plain
  `SELECT count(*), sum(rating > 1) FROM review`, the least any stats pass must do;
- the full JSON export (target ≤ 10 s), against a raw sqlite3 `SELECT * FROM review` fetch
  + `json.dumps` of those rows. Twice: as `export_json(engine)` + `json.dumps` (the dict
  API) and as `write_json(engine, out)`, the streaming writer `studylog export` uses.

Run: .venv/bin/python benchmarks/bench_stats_export.py [--reviews 1000000] [--json OUT]
     [--db PATH (keep the database there and reuse it on the next run)]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Figure, report

from cards.topics import TOPICS
from studylog.clock import Clock
from studylog.services.export_json import export_json, write_json
from studylog.services.stats import StatsService
from studylog.store.engine import open_engine

# The first entry's day; "now" is the day after the last entry.
START = dt.datetime(2016, 1, 1, 12, 0, tzinfo=dt.UTC)
REVIEWING_DAYS = 450  # reviews began this many days before "now"
KINDS = ("predict", "predict", "produce", "recall", "recall", "cloze", "choice")
ANSWERS = ("(2, 3)", "tensor([1., 2.])", "True", "RuntimeError", "view")
RATINGS = (3, 3, 3, 2, 4)


class _Stamps:
    """Times as float days since START, formatted the way SQLAlchemy stores DateTime in
    SQLite ("YYYY-MM-DD HH:MM:SS.ffffff") and the way the services print them (ISO with
    +00:00). strftime would cost more than everything else the builder does."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}

    def _parts(self, days: float) -> tuple[str, int, int, int, int]:
        micros = round((days + 0.5) * 86_400_000_000)  # + 0.5: START is at noon
        day, rest = divmod(micros, 86_400_000_000)
        if day not in self._days:
            self._days[day] = (START.date() + dt.timedelta(days=day)).isoformat()
        seconds, micro = divmod(rest, 1_000_000)
        hour, seconds = divmod(seconds, 3600)
        minute, second = divmod(seconds, 60)
        return self._days[day], hour, minute, second, micro

    def db(self, days: float) -> str:
        date, hour, minute, second, micro = self._parts(days)
        return f"{date} {hour:02d}:{minute:02d}:{second:02d}.{micro:06d}"

    def iso(self, days: float) -> str:
        date, hour, minute, second, micro = self._parts(days)
        frac = f".{micro:06d}" if micro else ""
        return f"{date}T{hour:02d}:{minute:02d}:{second:02d}{frac}+00:00"


@dataclass
class _Card:
    """Where one simulated card's memory stands."""

    state: int = 1  # fsrs.State: 1 learning, 2 review, 3 relearning
    stability: float = 1.0
    interval: float = 10 / 1440  # days to the next review: a 10-minute learning step
    lapses: int = 0
    last: float | None = None


def _reviews_of(
    rng: random.Random, stamps: _Stamps, card_id: int, first: float, count: int, until: float
) -> list[tuple[object, ...]]:
    """One card's review log, roughly as FSRS would schedule it: learning steps, then
    intervals growing to months; recall decays between reviews and draws the rating; a
    lapse sends the card to relearning; now and then the learner reviews ahead (twice on
    one day in review state). Stops at `until`; the `before` snapshot is what undo keeps."""
    card = _Card()
    log: list[tuple[object, ...]] = []
    at = first
    for reps in range(count):
        if at >= until:
            break
        last = card.last
        recall = None if last is None else (1 + (at - last) / (9 * card.stability)) ** -1
        passed = rng.random() < (0.85 if recall is None else recall)
        due = at if last is None else last + card.interval
        last_iso = "null" if last is None else f'"{stamps.iso(last)}"'
        memory = "null" if reps == 0 else f"{card.stability:.4f}"
        before = (
            f'{{"state": {card.state}, "step": {"null" if card.state == 2 else 0}, '
            f'"stability": {memory}, "difficulty": {"null" if reps == 0 else 5.1}, '
            f'"due": "{stamps.iso(due)}", "last_review": {last_iso}, '
            f'"reps": {reps}, "lapses": {card.lapses}}}'
        )
        log.append(
            (
                card_id,
                stamps.db(at),
                rng.choice(RATINGS) if passed else 1,
                passed,
                rng.choice(ANSWERS),
                rng.randint(2_000, 60_000),
                rng.getrandbits(31),
                recall,
                card.state,
                reps == 0,
                before,
            )
        )
        if passed and card.state == 2:
            card.stability = min(365.0, card.stability * rng.uniform(1.8, 3.0))
            card.interval = max(1.0, min(card.stability, 120.0))  # FSRS: a day at least
        elif passed:  # a learning step passed: graduate to review, next look tomorrow
            card.state, card.interval = 2, rng.uniform(1.0, 2.5)
        else:
            card.lapses += card.state == 2
            card.state = 3 if card.state == 2 else card.state
            card.stability, card.interval = max(0.2, card.stability * 0.3), 10 / 1440
        card.last = at
        # Due cards are answered on time or late; a learner reviewing ahead (rarely) can
        # answer a review card twice in one learning day.
        ahead = card.state == 2 and rng.random() < 0.005
        at += rng.uniform(1, 4) / 24 if ahead else card.interval * rng.uniform(1.0, 1.4)
    return log


def _without_indexes(conn: sqlite3.Connection, table: str) -> list[str]:
    """Drop `table`'s indexes (bulk inserts into a bare table are several times faster)
    and return the SQL that recreates them exactly as the migrations made them."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


def build(path: Path, reviews: int, entries: int = 3650, seed: int = 11) -> dt.datetime:
    """Fill a fresh database at `path`; returns the instant to run the stats at."""
    open_engine(path).dispose()  # create and migrate with the real schema
    rng = random.Random(seed)
    stamps = _Stamps()
    until = float(entries)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")  # a throwaway database: no rollback needed
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")  # 1 GB: the indexes are built in memory
    created = stamps.db(0)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO entry (id, day, category, markdown, source, created_at, updated_at) "
        "VALUES (?, ?, 'Pytorch', ?, NULL, ?, ?)",
        (
            (
                n + 1,
                (START + dt.timedelta(days=n)).date().isoformat(),
                f"# Day {n}\n\n" + "텐서 view reshape matmul 자동미분 " * 40,
                created,
                created,
            )
            for n in range(entries)
        ),
    )
    conn.executemany(
        "INSERT INTO lecture (entry_id, number, title) VALUES (?, ?, ?)",
        ((n // 2 + 1, n, f"Lecture {n}") for n in range(2 * entries)),
    )
    conn.executemany(
        "INSERT INTO entry_topic (entry_id, topic) VALUES (?, ?)",
        ((n + 1, topic) for n in range(entries) for topic in random.Random(n).sample(TOPICS, 3)),
    )
    conn.executemany(
        "INSERT INTO task (entry_id, text, due, done, done_at, position, created_at) "
        "VALUES (?, ?, ?, ?, NULL, ?, ?)",
        (
            (
                n // 3 + 1,
                f"과제 {n}",
                (START + dt.timedelta(days=n // 3 + 1)).date().isoformat(),
                rng.random() < 0.8,
                n % 3,
                created,
            )
            for n in range(3 * entries)
        ),
    )
    # Cards start being reviewed at random times in the last REVIEWING_DAYS and are
    # added until the log holds `reviews` rows; a card owns an entry by its number.
    card_rows: list[tuple[object, ...]] = []
    review_rows: list[tuple[object, ...]] = []
    # Cards share topic sets: each generator has its own, and notes mention a few topics
    # together.
    topic_sets = [tuple(sorted(rng.sample(TOPICS, rng.randint(1, 3)))) for _ in range(150)]
    expected_cards = max(1, reviews // 10)
    card_id = 0
    while len(review_rows) < reviews:
        card_id += 1
        first = until - rng.uniform(0.1, REVIEWING_DAYS)
        wanted = min(reviews - len(review_rows), 1 + int(rng.expovariate(1 / 16)))
        log = _reviews_of(rng, stamps, card_id, first, wanted, until)
        review_rows.extend(log)
        kind = rng.choice(KINDS)
        topics = list(rng.choice(topic_sets))
        key = f"authored:{card_id:012x}"
        spec = {"key": key, "kind": kind, "topics": topics, "front": "f", "back": "b"}
        last = dt.datetime.fromisoformat(str(log[-1][1])).replace(tzinfo=dt.UTC)
        last_day = (last - START).total_seconds() / 86400
        stability = 0.5 + 3 * math.log1p(len(log)) ** 2
        card_rows.append(
            (
                card_id,
                key,
                min(entries, 1 + (card_id - 1) * entries // expected_cards),
                kind,
                json.dumps(topics),
                json.dumps(spec),
                stamps.db(first),
                2 if log[-1][3] else 3,
                None,
                stability,
                rng.uniform(2, 9),
                stamps.db(last_day + stability),
                log[-1][1],
                len(log),
                sum(1 for r in log if r[2] == 1),
            )
        )
    conn.executemany(
        "INSERT INTO card (id, key, entry_id, kind, topics, spec, created_at, state, step, "
        "stability, difficulty, due, last_review, reps, lapses) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        card_rows,
    )
    # Reviews go in in time order, as they would have been recorded.
    review_rows.sort(key=lambda r: str(r[1]))  # the time stamp, as text
    indexes = _without_indexes(conn, "review")
    conn.executemany(
        "INSERT INTO review (card_id, reviewed_at, rating, correct, answer, duration_ms, "
        "seed, retrievability, state_before, was_new, before) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        review_rows,
    )
    for sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")  # as the app leaves it
    conn.close()
    return START + dt.timedelta(days=entries)


def raw_review_dump(path: Path) -> str:
    """The export baseline: every review row fetched with sqlite3 and dumped as JSON."""
    conn = sqlite3.connect(path)
    try:
        return json.dumps(conn.execute("SELECT * FROM review").fetchall(), ensure_ascii=False)
    finally:
        conn.close()


def raw_counts(path: Path) -> tuple[int, int]:
    """Reviews and cards in the database."""
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT count(*) FROM review").fetchone()[0],
            conn.execute("SELECT count(*) FROM card").fetchone()[0],
        )
    finally:
        conn.close()


def raw_review_count(path: Path) -> tuple[int, int]:
    """The stats baseline: one pass over the review log."""
    conn = sqlite3.connect(path)
    try:
        count, passed = conn.execute("SELECT count(*), sum(rating > 1) FROM review").fetchone()
        return count, passed
    finally:
        conn.close()


def best_of(runs: int, fn: object) -> float:
    """The fastest of `runs` timed calls (the least disturbed by the machine)."""
    assert callable(fn)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return min(samples)


def _json_to_devnull(engine: Engine) -> None:
    with open(os.devnull, "w", encoding="utf-8") as sink:
        write_json(engine, sink)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="best of N for each figure")
    parser.add_argument("--db", metavar="PATH", help="build (or reuse) the database here")
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "bench.db"
        started = time.perf_counter()
        if path.exists():
            conn = sqlite3.connect(path)
            (last,) = conn.execute("SELECT max(day) FROM entry").fetchone()
            conn.close()
            now = dt.datetime.combine(
                dt.date.fromisoformat(last) + dt.timedelta(days=1), START.timetz()
            )
            print(f"reusing {path}")
        else:
            # Built under another name, so a run cut short leaves nothing to "reuse".
            building = path.with_name(path.name + ".building")
            building.unlink(missing_ok=True)
            now = build(building, args.reviews)
            building.replace(path)
            print(f"built {path} in {time.perf_counter() - started:.1f} s")
        engine = open_engine(path)
        rows, cards = raw_counts(path)
        print(f"{rows:,} reviews, {cards:,} cards")
        stats = StatsService(engine, Clock(fixed=now))
        stats_s = best_of(args.runs, stats.snapshot)
        count_s = best_of(args.runs, lambda: raw_review_count(path))
        dict_s = best_of(args.runs, lambda: json.dumps(export_json(engine), ensure_ascii=False))
        write_s = best_of(args.runs, lambda: _json_to_devnull(engine))
        dump_s = best_of(args.runs, lambda: raw_review_dump(path))
        engine.dispose()
    report(
        f"stats and export: {rows:,} reviews",
        [
            Figure("stats snapshot", stats_s, count_s, "SELECT count(*), sum(rating>1)", "s", 2.0),
            Figure(
                "JSON export: export_json + dumps",
                dict_s,
                dump_s,
                "raw SELECT * FROM review + dumps",
                "s",
                10.0,
            ),
            Figure(
                "JSON export as the CLI writes it",
                write_s,
                dump_s,
                "raw SELECT * FROM review + dumps",
                "s",
                10.0,
            ),
        ],
        args.json,
    )


if __name__ == "__main__":
    main()
