"""Reviews benchmark: today's queue and recording a review, beside Anki's own backend.

The acceptance point: with 100k cards and 1M review-log rows, building today's queue takes
≤ 20 ms at the median and recording a review ≤ 5 ms, measured side by side, in the same run,
with the same workload in Anki's backend (the `anki` package from PyPI).

The workload is planned once (seeded) and loaded into both systems:
- 3,650 daily entries up to yesterday; 100k cards spread over them in creation order. By
  default 10% are new, 0.1% in (re)learning and due around now, the rest in Review, due over
  the past and next 60 days with varied stability and difficulty. (`--learning-share 0.1`
  is a stress case: ~5k learning cards due at once, which no real day has, since learning
  cards are the day's new cards and lapses.)
- 1M review-log rows over the reviewed cards (~11 each), from each card's creation to its
  last review, all before today, so both systems start the day with nothing studied; each
  row has its `before` snapshot, `state_before` and `was_new`.
- Daily limits 20 new and 200 reviews; FSRS on both sides; the clock is the real now, since
  Anki's cannot be fixed. Anki's `newCardsIgnoreReviewLimit` is on, as studylog's new-card
  limit does not shrink when the review limit is reached.

studylog: the database is created and migrated by `open_engine`, then filled with sqlite3
`executemany` (bulk-load pragmas on that one connection only). Timed:
`ReviewService.queue()` (the whole queue, as CardViews) after one warm-up call, and
`ReviewService.record()` over the first 200 queued cards, the fixed clock advancing 10 s per
review.

Anki: a fresh `Collection`; the notes are added with `col.add_notes` (Basic notetype, one card
each). Answering 900k cards through the scheduler would take hours, so the cards' scheduling
fields (type, queue, due, ivl, reps, lapses, FSRS memory state in `data`) and the 1M revlog
rows are written with `col.db.executemany` inside `col.db.transact`, mirroring how the
studylog side is filled. Timed:
- queue build: `col.sched.get_queued_cards()`. The backend caches its queues and only patches
  them after an answer, so before each timed call the cache is dropped by saving the deck's
  options unchanged (`col.decks.update_config`, untimed): every timed call is a full rebuild
  (it builds the whole queue and returns its first card);
- answer: `col.sched.build_answer(...)` + `col.sched.answer_card(...)` for the top queued card
  (fetching that card with `get_queued_cards`, which computes its next states, is untimed).

Ratios are studylog / Anki: below 1 means studylog is faster. A run takes 3-5 minutes on a
2-core machine, mostly filling the two databases.

`anki` is a benchmark-only dependency, in the `bench` extra: `.venv/bin/pip install anki`
or `.venv/bin/pip install -e '.[bench]'`.

Run: .venv/bin/python benchmarks/bench_reviews.py [--cards 100000] [--reviews 1000000]
     [--entries 3650] [--queue-runs 50] [--record-runs 200] [--json OUT]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Figure, median_ms, p95_ms, report, timed
from fsrs import State

from cards.scheduling import Grade, Memory, Settings
from studylog.clock import Clock
from studylog.services.reviews import ReviewService
from studylog.store.engine import open_engine

try:
    from anki.collection import AddNoteRequest, Collection
    from anki.decks import DeckId
    from anki.scheduler.v3 import CardAnswer
except ImportError:  # pragma: no cover - depends on the optional extra
    sys.exit("bench_reviews needs Anki's backend: .venv/bin/pip install -e '.[bench]'")

NEW_PER_DAY = 20
REVIEWS_PER_DAY = 200
DAY_STARTS_AT = 4
# The grades given, in turn, both when building history and when recording.
GRADES = (3, 3, 3, 3, 3, 3, 1, 2, 3, 4)
FSRS_DECAY = 0.1542  # FSRS-6's default decay, which py-fsrs 6 uses too
BATCH = 50_000


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


def _split(runs: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """Wall-clock samples and CPU samples, from `timed_both` results."""
    return [wall for wall, _ in runs], [cpu for _, cpu in runs]


# -- studylog ---------------------------------------------------------------------------


def _db_time(at: dt.datetime | None) -> str | None:
    """How SQLAlchemy stores a DateTime in SQLite: naive UTC text."""
    return None if at is None else at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


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
    return f"{iso[:10]} {iso[11:26]}"


def _studylog_reviews(cards: list[PlannedCard]) -> Iterator[tuple[Any, ...]]:
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


def _entry_rows(entries: int, now: dt.datetime) -> Iterator[tuple[Any, ...]]:
    """One minimal entry a day, up to yesterday."""
    today = learning_day(now)
    stamp = _db_time(now)
    for e in range(entries):
        day = (today - dt.timedelta(days=entries - e)).isoformat()
        yield (e + 1, day, f"# {day} Pytorch\n\nview :: reshape\n", stamp, stamp)


def _card_rows(cards: list[PlannedCard]) -> Iterator[tuple[Any, ...]]:
    """Card rows with their FSRS state."""
    for c in cards:
        key = _key(c)
        kind = "predict" if key.startswith("gen:") else "recall"
        yield (
            c.index + 1, key, c.entry + 1, kind, _spec(c, key), _db_time(c.created),
            int(c.state), c.step, c.stability, c.difficulty, _db_time(c.due),
            _db_time(c.last_review), c.reps, c.lapses,
        )  # fmt: skip


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
        conn.executemany(
            "INSERT INTO entry (id, day, category, markdown, source, created_at, updated_at) "
            "VALUES (?, ?, 'Pytorch', ?, NULL, ?, ?)",
            _entry_rows(entries, now),
        )
        conn.executemany(
            "INSERT INTO card (id, key, entry_id, kind, topics, spec, created_at, state, step, "
            "stability, difficulty, due, last_review, reps, lapses) "
            "VALUES (?, ?, ?, ?, '[\"view\"]', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _card_rows(cards),
        )
        conn.executemany(
            "INSERT INTO review (card_id, reviewed_at, rating, correct, answer, duration_ms, "
            'seed, state_before, was_new, "before") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            _studylog_reviews(cards),
        )
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
    root: Path, cards: list[PlannedCard], args: argparse.Namespace, now: dt.datetime
) -> Measured:
    """Fill a studylog database, then time `queue()` and `record()`."""
    path = root / "studylog.db"
    setup = timed(lambda: build_studylog(path, cards, args.entries, now))
    service = ReviewService(
        open_engine(path),
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
    return Measured(setup, *_split(queue_runs), *_split(record_runs), note)


# -- Anki -------------------------------------------------------------------------------


def _anki_card_rows(
    cards: list[PlannedCard], cids: list[int], now: dt.datetime, anki_today: int
) -> Iterator[tuple[Any, ...]]:
    """(type, queue, due, ivl, factor, reps, lapses, left, data, id) for each reviewed card."""
    today = learning_day(now)
    for card, cid in zip(cards, cids, strict=True):
        if card.is_new:
            continue  # Anki's own new-card state: type 0, queue 0, due = position
        assert card.last_review is not None
        data = json.dumps(
            {
                "s": round(card.stability or 1.0, 4),
                "d": round(card.difficulty or 5.0, 3),
                "dr": 0.9,
                "decay": FSRS_DECAY,
                "lrt": int(card.last_review.timestamp()),
            }
        )
        ivl = max(1, round((card.due - card.last_review) / dt.timedelta(days=1)))
        if card.state == State.Review:  # due is a day number
            kind, queue, left = 2, 2, 0
            due = anki_today + (learning_day(card.due) - today).days
        else:  # intraday (re)learning, one step left: due is a Unix time
            kind, queue, left = (3 if card.state == State.Relearning else 1), 1, 1
            due = int(card.due.timestamp())
            ivl = ivl if kind == 3 else 0
        yield (kind, queue, due, ivl, 2500, card.reps, card.lapses, left, data, cid)


def _anki_revlog_rows(cards: list[PlannedCard], cids: list[int]) -> Iterator[tuple[Any, ...]]:
    """(id, cid, usn, ease, ivl, lastIvl, factor, time, type): the same history as studylog's."""
    used: set[int] = set()
    for card, cid in zip(cards, cids, strict=True):
        if card.is_new:
            continue
        stamps = [*card.review_stamps(), card.due.timestamp()]
        last_ivl = 0
        for j in range(card.reps):
            rid = int(stamps[j] * 1000)
            while rid in used:  # revlog ids are millisecond times and must be unique
                rid += 1
            used.add(rid)
            ivl = max(1, round((stamps[j + 1] - stamps[j]) / 86400))
            yield (rid, cid, -1, card.rating(j), ivl, last_ivl, 2500, 8000, 0 if j == 0 else 1)
            last_ivl = ivl


def _batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def build_anki(col: Collection, cards: list[PlannedCard], now: dt.datetime) -> None:
    """Add one Basic note per card, then write scheduling state and revlog in bulk."""
    col.set_config("fsrs", True)  # the same scheduler family as studylog
    # studylog's new-card limit does not shrink when the review limit is reached; Anki's does
    # unless this is on, which would leave Anki's queue without the 20 new cards.
    col.set_config("newCardsIgnoreReviewLimit", True)
    basic = col.models.by_name("Basic")
    assert basic is not None
    deck = DeckId(1)  # "Default"
    for start in range(0, len(cards), 10_000):
        requests = []
        for card in cards[start : start + 10_000]:
            note = col.new_note(basic)
            note.fields[0] = f"What does view({card.index % 7 + 1}, -1) do? #{card.index}"
            note.fields[1] = "reshapes"
            requests.append(AddNoteRequest(note=note, deck_id=deck))
        col.add_notes(requests)
    db = col.db
    assert db is not None
    cids = [int(c) for c in db.list("SELECT id FROM cards ORDER BY nid, ord")]
    for batch in _batches(_anki_card_rows(cards, cids, now, col.sched.today)):
        db.transact(
            lambda b=batch: db.executemany(
                "UPDATE cards SET type=?, queue=?, due=?, ivl=?, factor=?, reps=?, lapses=?, "
                "left=?, data=? WHERE id=?",
                b,
            )
        )
    # Sorted, so the rows append to revlog's id-keyed table instead of landing at random.
    for batch in _batches(iter(sorted(_anki_revlog_rows(cards, cids)))):
        db.transact(
            lambda b=batch: db.executemany(
                "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                b,
            )
        )


def measure_anki(
    root: Path, cards: list[PlannedCard], args: argparse.Namespace, now: dt.datetime
) -> Measured:
    """Fill an Anki collection, then time queue rebuilds and answers."""
    col = Collection(str(root / "anki" / "collection.anki2"))
    try:
        setup = timed(lambda: build_anki(col, cards, now))
        sched = col.sched
        options = col.decks.config_dict_for_deck_id(DeckId(1))
        assert options["new"]["perDay"] == NEW_PER_DAY
        assert options["rev"]["perDay"] == REVIEWS_PER_DAY

        def rebuild() -> tuple[float, float]:
            col.decks.update_config(options)  # untimed: drops the backend's cached queues
            return timed_both(sched.get_queued_cards)

        rebuild()  # warm-up, as on the studylog side
        first = sched.get_queued_cards()
        queue_runs = [rebuild() for _ in range(args.queue_runs)]
        record_runs: list[tuple[float, float]] = []
        for k in range(args.record_runs):
            queued = sched.get_queued_cards().cards[0]
            card = col.get_card(queued.card.id)
            card.start_timer()
            rating = (CardAnswer.AGAIN, CardAnswer.HARD, CardAnswer.GOOD, CardAnswer.EASY)[
                GRADES[k % len(GRADES)] - 1
            ]

            def answer(c: Any = card, q: Any = queued, r: Any = rating) -> None:
                sched.answer_card(sched.build_answer(card=c, states=q.states, rating=r))

            record_runs.append(timed_both(answer))
        note = (
            f"Anki queue counts: new {first.new_count}, learning {first.learning_count}, "
            f"review {first.review_count}"
        )
    finally:
        col.close()
    return Measured(setup, *_split(queue_runs), *_split(record_runs), note)


# -- report -----------------------------------------------------------------------------


def main() -> None:
    """Plan the workload, measure both systems, print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=3650)
    parser.add_argument("--new-share", type=float, default=0.10)
    parser.add_argument("--learning-share", type=float, default=0.001)
    parser.add_argument("--queue-runs", type=int, default=50)
    parser.add_argument("--record-runs", type=int, default=200)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()

    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    cards = plan(args.cards, args.reviews, args.entries, now, args.new_share, args.learning_share)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ours = measure_studylog(root, cards, args, now)
        (root / "anki").mkdir()
        anki = measure_anki(root, cards, args, now)
    print(ours.note)
    print(anki.note)
    print(
        f"total run time {time.perf_counter() - started:.0f} s on {os.cpu_count()} CPUs; "
        f"load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    n = f"{args.cards // 1000}k cards, {args.reviews / 1e6:g}M reviews"
    report(
        f"reviews: {n}; studylog vs Anki {_anki_version()} (ratio = studylog / Anki)",
        [
            Figure(
                "queue build, median",
                median_ms(ours.queue),
                median_ms(anki.queue),
                "Anki get_queued_cards, median",
                "ms",
                20.0,
            ),
            Figure(
                "queue build, p95",
                p95_ms(ours.queue),
                p95_ms(anki.queue),
                "Anki get_queued_cards, p95",
                "ms",
            ),
            Figure(
                "queue build, CPU time median",
                median_ms(ours.queue_cpu),
                median_ms(anki.queue_cpu),
                "Anki, CPU time median",
                "ms",
            ),
            Figure(
                "record a review, median",
                median_ms(ours.record),
                median_ms(anki.record),
                "Anki answer_card, median",
                "ms",
                5.0,
            ),
            Figure(
                "record a review, CPU time median",
                median_ms(ours.record_cpu),
                median_ms(anki.record_cpu),
                "Anki, CPU time median",
                "ms",
            ),
            Figure(
                "record a review, p95",
                p95_ms(ours.record),
                p95_ms(anki.record),
                "Anki answer_card, p95",
                "ms",
            ),
            Figure(
                "setup: fill the workload",
                ours.setup,
                anki.setup,
                "Anki add_notes + bulk SQL",
                "s",
            ),
        ],
        args.json,
    )


def _anki_version() -> str:
    from anki.buildinfo import version

    return str(version)


if __name__ == "__main__":
    main()
