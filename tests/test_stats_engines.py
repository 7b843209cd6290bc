"""`studylog stats` on both engines: learning days across a daylight-saving change.

A review log laid in through a JSON import puts reviews on both sides of the learning
day's 4 o'clock boundary before and after Europe/Berlin moves its clocks forward; the
figures `stats` prints are checked against the same figures worked out here from the
exported log with zoneinfo, so the engines' day arithmetic is checked, not just compared.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import CLI, EXAMPLE

pytestmark = pytest.mark.engines

ZONE = "Europe/Berlin"
NOW = "2022-04-05T10:00:00+00:00"
# Around 2022-03-27 01:00 UTC, when Berlin goes from +01:00 to +02:00, and the boundary
# of the learning day (04:00 local) on the days either side.
EDGES = (
    "2022-03-26T02:59:59+00:00",  # 03:59:59 CET: still the 25th's learning day
    "2022-03-26T03:00:00+00:00",  # 04:00 CET: the 26th's
    "2022-03-27T01:30:00+00:00",  # 03:30 CEST: the 26th's
    "2022-03-27T02:00:00+00:00",  # 04:00 CEST: the 27th's
    "2022-03-28T01:59:59+00:00",  # 03:59:59 CEST: the 27th's
)
START = dt.datetime(2022, 3, 10, tzinfo=dt.UTC)


def _learning_day(when: str) -> dt.date:
    local = dt.datetime.fromisoformat(when).astimezone(ZoneInfo(ZONE))
    return (local - dt.timedelta(hours=4)).date()


def _before(card: dict[str, Any]) -> str:
    fields = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
    return json.dumps({name: card[name] for name in fields})


def _reviews(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reviews of the first three cards at the edges and at seeded random times."""
    rng = random.Random(14)
    # In time order, as reviews are recorded: the day's first answer is also its first row.
    stamps = sorted(
        [*EDGES]
        + [
            (START + dt.timedelta(seconds=rng.randrange(25 * 86_400))).isoformat()
            for _ in range(60)
        ]
    )
    reviews = []
    for n, when in enumerate(stamps):
        card = cards[n % 3]
        reviews.append(
            {
                "card_id": card["id"],
                "reviewed_at": when,
                "rating": rng.choice((1, 2, 3, 3, 4)),
                "correct": None,
                "answer": None,
                "duration_ms": 1000 * (n + 1),
                "seed": n,
                "retrievability": None,
                "state_before": 2 if n % 4 else 1,
                "was_new": False,
                "before": _before(card),
            }
        )
    return reviews


def test_stats_count_learning_days_across_a_clock_change(cli: CLI, tmp_path: Path) -> None:
    berlin = {"TZ": ZONE}
    assert cli("--now", "2022-03-01T09:00:00+00:00", "import", str(EXAMPLE)).code == 0
    export = cli("export").json()
    export["reviews"] = _reviews(export["cards"])
    log = tmp_path / "log.json"
    log.write_text(json.dumps(export), encoding="utf-8")
    restored = cli("import", str(log))
    assert restored.code == 0, restored.err

    stats = cli("--json", "--now", NOW, "stats", env_vars=berlin).json()
    reviews = cli("export").json()["reviews"]
    assert len(reviews) == len(EDGES) + 60

    per_day = Counter(_learning_day(r["reviewed_at"]) for r in reviews)
    assert {dt.date.fromisoformat(f["day"]): f["count"] for f in stats["reviews_per_day"]} == (
        per_day
    )
    assert [_learning_day(when) for when in EDGES] == [
        dt.date(2022, 3, day) for day in (25, 26, 26, 27, 27)
    ]

    # True retention over the last 30 learning days: the first review-state answer of each
    # card on each day, passed unless rated Again.
    firsts: dict[tuple[int, dt.date], dict[str, Any]] = {}
    for review in sorted(reviews, key=lambda r: r["reviewed_at"]):
        if review["state_before"] == 2:
            firsts.setdefault((review["card_id"], _learning_day(review["reviewed_at"])), review)
    passed = sum(1 for r in firsts.values() if r["rating"] > 1)
    assert stats["true_retention"] == pytest.approx(passed / len(firsts))

    # The CSV export's daily figures: the same learning days, with the time spent.
    folder = tmp_path / "csv"
    assert cli("--now", NOW, "export", "--format", "csv", "--out", str(folder), env_vars=berlin)
    seconds: Counter[dt.date] = Counter()
    for review in reviews:
        seconds[_learning_day(review["reviewed_at"])] += review["duration_ms"] / 1000
    lines = (folder / "daily_stats.csv").read_text(encoding="utf-8").splitlines()[1:]
    daily = {dt.date.fromisoformat(line.split(",")[0]): line.split(",") for line in lines}
    assert {day: int(row[1]) for day, row in daily.items()} == per_day
    assert {day: float(row[2]) for day, row in daily.items()} == pytest.approx(seconds)
