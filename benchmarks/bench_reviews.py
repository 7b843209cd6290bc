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
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Figure, median_ms, p95_ms, report, timed
from _review_workload import (
    GRADES,
    NEW_PER_DAY,
    REVIEWS_PER_DAY,
    Measured,
    PlannedCard,
    add_workload_arguments,
    build_studylog,
    learning_day,
    measure_studylog,
    plan,
    split_runs,
    timed_both,
)
from fsrs import State

try:
    from anki.collection import AddNoteRequest, Collection
    from anki.decks import DeckId
    from anki.scheduler.v3 import CardAnswer
except ImportError:  # pragma: no cover - depends on the optional extra
    sys.exit("bench_reviews needs Anki's backend: .venv/bin/pip install -e '.[bench]'")

FSRS_DECAY = 0.1542  # FSRS-6's default decay, which py-fsrs 6 uses too
BATCH = 50_000


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
    return Measured(setup, *split_runs(queue_runs), *split_runs(record_runs), note)


# -- report -----------------------------------------------------------------------------


def main() -> None:
    """Plan the workload, measure both systems, print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_workload_arguments(parser)
    args = parser.parse_args()

    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    cards = plan(args.cards, args.reviews, args.entries, now, args.new_share, args.learning_share)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "studylog.db"
        ours = measure_studylog(
            path, lambda: build_studylog(path, cards, args.entries, now), args, now
        )
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
