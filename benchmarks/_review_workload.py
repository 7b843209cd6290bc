"""The reviews workload the review benchmarks share: 100k cards and 1M reviews, planned
once (seeded), the SQLite loader, and the timing of `ReviewService.queue()` and `record()`.

See `bench_reviews.py` for what the workload looks like and why.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import median_ms, timed
from fsrs import State

from cards.scheduling import Grade, Memory, Settings
from studylog.clock import Clock
from studylog.paths import DatabaseTarget
from studylog.services.reviews import ReviewService
from studylog.store.engine import open_engine
from studylog.store.types import sqlite_stamp

NEW_PER_DAY = 20
REVIEWS_PER_DAY = 200
DAY_STARTS_AT = 4
# The grades given, in turn, both when building history and when recording.
GRADES = (3, 3, 3, 3, 3, 3, 1, 2, 3, 4)


@dataclass(frozen=True)
class PlannedCard:
    """One card of the shared workload, and what its history looks like."""

    index: int
    entry: int
    created: dt.datetime
    state: State
    step: int | None
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None
    reps: int
    lapses: int

    @property
    def is_new(self) -> bool:
        """Never reviewed."""
        return self.reps == 0

    def review_stamps(self) -> list[float]:
        """When each past review happened (Unix seconds): from creation to the last review,
        the gaps growing. Plain floats: this runs for a million rows per side."""
        assert self.last_review is not None
        first = self.created.timestamp()
        span = self.last_review.timestamp() - first
        return [first + span * ((j + 1) / self.reps) ** 2 for j in range(self.reps)]

    def rating(self, j: int) -> int:
        """The grade given at the card's j-th review: Good first, then the usual mix."""
        return 3 if j == 0 else GRADES[(self.index * 7 + j * 3) % len(GRADES)]


def add_workload_arguments(parser: argparse.ArgumentParser) -> None:
    """The options both review benchmarks take: the workload's size and shape, how many
    timed runs, and where to write the figures as JSON."""
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=3650)
    parser.add_argument("--new-share", type=float, default=0.10)
    parser.add_argument("--learning-share", type=float, default=0.001)
    parser.add_argument("--queue-runs", type=int, default=50)
    parser.add_argument("--record-runs", type=int, default=200)
    parser.add_argument("--json", metavar="OUT")


def learning_day(at: dt.datetime) -> dt.date:
    """The learning day an instant falls in (the studylog and Anki rollover: 4 am local)."""
    return (at.astimezone() - dt.timedelta(hours=DAY_STARTS_AT)).date()


def day_start(day: dt.date) -> dt.datetime:
    """When a learning day begins, in UTC."""
    return dt.datetime.combine(day, dt.time(DAY_STARTS_AT)).astimezone().astimezone(dt.UTC)


def plan(
    cards: int,
    reviews: int,
    entries: int,
    now: dt.datetime,
    new_share: float,
    learning_share: float,
    seed: int = 11,
) -> list[PlannedCard]:
    """The shared workload: every card's scheduling state and how many reviews it had."""
    rng = random.Random(seed)
    today = learning_day(now)
    start = day_start(today)  # all history lies before today, so today's limits are untouched
    kinds: list[str] = []
    for _ in range(cards):
        r = rng.random()
        kinds.append(
            "new" if r < new_share else "learn" if r < new_share + learning_share else "rev"
        )
    reviewed = sum(k != "new" for k in kinds)
    per_card, extra = divmod(reviews, max(1, reviewed))
    out: list[PlannedCard] = []
    seen = 0
    for i, kind in enumerate(kinds):
        entry = i * entries // cards
        created = day_start(today - dt.timedelta(days=entries - entry)) + dt.timedelta(minutes=30)
        if kind == "new":
            out.append(
                PlannedCard(i, entry, created, State.Learning, 0, None, None, created, None, 0, 0)
            )
            continue
        reps = per_card + (1 if seen < extra else 0)
        seen += 1
        if kind == "learn":
            due = now + dt.timedelta(minutes=rng.uniform(-120, 600))
            last = min(due, start) - dt.timedelta(minutes=rng.uniform(1, 600))
            relearning = rng.random() < 0.5
            state = State.Relearning if relearning else State.Learning
            out.append(
                PlannedCard(
                    i, entry, created, state, rng.randint(0, 1), rng.uniform(0.5, 5),
                    rng.uniform(1, 10), due, max(last, created + dt.timedelta(minutes=1)), reps,
                    rng.randint(1, 3) if relearning else 0,
                )
            )  # fmt: skip
            continue
        interval = rng.uniform(1, 180)
        due = now + dt.timedelta(days=rng.uniform(-60, 60))
        last = min(due - dt.timedelta(days=interval), start - dt.timedelta(minutes=5))
        if last <= created:
            last = created + (start - created) / 2
        out.append(
            PlannedCard(
                i, entry, created, State.Review, None, interval * rng.uniform(0.8, 1.2),
                rng.uniform(1, 10), due, last, reps, rng.randint(0, min(3, reps - 1)),
            )
        )  # fmt: skip
    return out


def split_runs(runs: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """Wall-clock samples and CPU samples, from `timed_both` results."""
    return [wall for wall, _ in runs], [cpu for _, cpu in runs]


# -- studylog ---------------------------------------------------------------------------


# The columns each loader fills, in the order the row generators yield them.
ENTRY_COLUMNS = ("id", "day", "category", "markdown", "source", "created_at", "updated_at")
CARD_COLUMNS = (
    "id", "key", "entry_id", "kind", "topics", "spec", "created_at", "state", "step",
    "stability", "difficulty", "due", "last_review", "reps", "lapses",
)  # fmt: skip
REVIEW_COLUMNS = (
    "card_id", "reviewed_at", "rating", "correct", "answer", "duration_ms", "seed",
    "state_before", "was_new", "before",
)  # fmt: skip


def _db_time(at: dt.datetime | None) -> str | None:
    """An instant as the store keeps it on SQLite (UTC text with its offset); PostgreSQL's
    COPY reads the same text into a timestamptz."""
    return None if at is None else sqlite_stamp(at)


def _key(card: PlannedCard) -> str:
    """Mostly written-in cards (one family per entry day), and some built-in ones."""
    if card.index % 100 == 0:  # a few built-in cards, in 40 generator families
        return f"gen:family{card.index % 4000 // 100}.variant{card.index}"
    return f"authored:{card.index:08x}"


def _spec(card: PlannedCard, key: str) -> str:
    """The stored CardSpec JSON."""
    if key.startswith("gen:"):
        body: dict[str, Any] = {"generator_id": key.removeprefix("gen:")}
        kind = "predict"
    else:
        body = {"front": f"What does view({card.index % 7 + 1}, -1) do?", "back": "reshapes"}
        kind = "recall"
    return json.dumps({"key": key, "kind": kind, "topics": ["view"], **body})


def _isos(stamps: list[float]) -> list[str]:
    """ISO 8601 UTC with microseconds, as `record()` snapshots datetimes."""
    return [dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="microseconds") for t in stamps]


def _db_from_iso(iso: str) -> str:
    """`_db_time` for an `_isos` string, by slicing (a million of these are needed)."""
    return f"{iso[:10]} {iso[11:]}"


def review_rows(cards: list[PlannedCard]) -> Iterator[tuple[Any, ...]]:
    """Review rows: each with the card's state before it, as `record()` would store it.

    The `before` snapshots are written as JSON text directly (same keys and layout as
    `json.dumps` of `_snapshot`), because building a million dicts doubles the setup time.
    """
    for card in cards:
        if card.is_new:
            continue
        isos = _isos(card.review_stamps())
        created = card.created.isoformat()
        stability, difficulty = card.stability or 1.0, card.difficulty or 5.0
        for j, iso in enumerate(isos):
            rating = card.rating(j)
            if j == 0:
                state_before = int(State.Learning)
                before = (
                    f'{{"state": {state_before}, "step": 0, "stability": null, '
                    f'"difficulty": null, "due": "{created}", "last_review": null, '
                    '"reps": 0, "lapses": 0}'
                )
            else:
                state_before = int(State.Review)
                before = (
                    f'{{"state": {state_before}, "step": null, '
                    f'"stability": {stability * j / card.reps:.4f}, "difficulty": {difficulty!r}, '
                    f'"due": "{iso}", "last_review": "{isos[j - 1]}", "reps": {j}, '
                    f'"lapses": {min(card.lapses, j - 1)}}}'
                )
            yield (
                card.index + 1, _db_from_iso(iso), rating, int(rating > 1), None, 8000, None,
                state_before, int(j == 0), before,
            )  # fmt: skip


def entry_rows(entries: int, now: dt.datetime) -> Iterator[tuple[Any, ...]]:
    """One minimal entry a day, up to yesterday."""
    today = learning_day(now)
    stamp = _db_time(now)
    for e in range(entries):
        day = (today - dt.timedelta(days=entries - e)).isoformat()
        yield (e + 1, day, "Pytorch", f"# {day} Pytorch\n\nview :: reshape\n", None, stamp, stamp)


def card_rows(cards: list[PlannedCard]) -> Iterator[tuple[Any, ...]]:
    """Card rows with their FSRS state."""
    for c in cards:
        key = _key(c)
        kind = "predict" if key.startswith("gen:") else "recall"
        yield (
            c.index + 1, key, c.entry + 1, kind, '["view"]', _spec(c, key), _db_time(c.created),
            int(c.state), c.step, c.stability, c.difficulty, _db_time(c.due),
            _db_time(c.last_review), c.reps, c.lapses,
        )  # fmt: skip


def tables(
    cards: list[PlannedCard], entries: int, now: dt.datetime
) -> Iterator[tuple[str, tuple[str, ...], Iterator[tuple[Any, ...]]]]:
    """Each table of the workload in the order to load it: name, columns, rows."""
    yield "entry", ENTRY_COLUMNS, entry_rows(entries, now)
    yield "card", CARD_COLUMNS, card_rows(cards)
    yield "review", REVIEW_COLUMNS, review_rows(cards)


def build_studylog(path: Path, cards: list[PlannedCard], entries: int, now: dt.datetime) -> None:
    """A migrated database filled with the workload through bulk inserts."""
    open_engine(path).dispose()  # creates the file and runs every migration
    conn = sqlite3.connect(path)
    # Bulk-load settings for this one connection: the random-order inserts into the review
    # indexes stay in memory, and nothing is synced until the end.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-524288")  # 512 MiB
    with conn:
        for table, columns, rows in tables(cards, entries, now):
            names = ", ".join(f'"{name}"' for name in columns)
            marks = ", ".join("?" for _ in columns)
            conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    conn.close()


@dataclass(frozen=True)
class Measured:
    """One system's timings, in seconds: wall clock, and this process's CPU time."""

    setup: float
    queue: list[float]
    queue_cpu: list[float]
    record: list[float]
    record_cpu: list[float]
    note: str


def timed_both(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call of `fn`.

    CPU time leaves out time the process spent waiting: for other processes on a busy
    machine, and for sleeps and I/O. Shown beside the wall clock (which is what the targets
    are about) so that a run on a loaded machine can still be read.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure_studylog(
    target: DatabaseTarget, fill: Callable[[], object], args: argparse.Namespace, now: dt.datetime
) -> Measured:
    """Fill the studylog database at `target` with `fill()`, then time `queue()` and
    `record()` on it."""
    setup = timed(fill)
    service = ReviewService(
        open_engine(target),
        Clock(fixed=now, day_starts_at=DAY_STARTS_AT),
        Settings(),
        new_per_day=NEW_PER_DAY,
        reviews_per_day=REVIEWS_PER_DAY,
    )
    queue = service.queue()  # warm-up: the connection pool and SQLite's page cache
    counts = service.counts()
    queue_runs = [timed_both(service.queue) for _ in range(args.queue_runs)]
    record_runs: list[tuple[float, float]] = []
    for k, view in enumerate(queue[: args.record_runs]):
        service.clock = Clock(fixed=now + dt.timedelta(seconds=10 * k), day_starts_at=DAY_STARTS_AT)
        grade = Grade(GRADES[k % len(GRADES)])
        record_runs.append(
            timed_both(lambda v=view, g=grade: service.record(v.id, g, correct=g > 1))
        )
    service.engine.dispose()
    # `record()` turns the card's memory into an `fsrs.Card` twice (retrievability, review);
    # fsrs.Card() sleeps 1 ms whenever it is given no card_id. Shown so the figure reads right.
    card_s = [timed(Memory.new(now).to_card) for _ in range(20)]
    note = (
        f"studylog queue: {len(queue)} cards "
        f"(new {counts.new}, learning {counts.learning}, review {counts.review}); "
        f"fsrs.Card() in cards.scheduling.Memory.to_card: {median_ms(card_s):.2f} ms per call"
    )
    return Measured(setup, *split_runs(queue_runs), *split_runs(record_runs), note)
