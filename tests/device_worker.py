"""One device of the two-device test: records reviews and imports entries, interleaved.

Run as `python -m tests.device_worker TARGET DEVICE SEED FOLDER`, from the repository root.
It opens the database, prints `ready` and waits for a line on stdin, so that the test can
start both devices at the same moment. Then, ten times over, it imports a tenth of the
markdown files in FOLDER (one transaction each time) and records 50 reviews of cards
chosen at random among those that existed at the start, with random grades. Last it prints
the ids of the reviews it recorded, as JSON.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from cards.scheduling import Grade
from studylog.config import Config
from studylog.context import AppContext
from studylog.services.importer import import_files

ROUNDS = 10
REVIEWS_PER_ROUND = 50


def main(target: str, device: str, seed: int, folder: Path) -> None:
    """Drive one device against `target`; see the module docstring."""
    ctx = AppContext(db=target, config=Config(fuzz=False, device=device))
    cards = [card.id for card in ctx.reviews.cards()]
    files = sorted(folder.glob("*.md"))
    per_round = len(files) // ROUNDS
    rng = random.Random(seed)
    print("ready", flush=True)
    sys.stdin.readline()
    recorded: list[int] = []
    for n in range(ROUNDS):
        report = import_files(ctx.journal, files[n * per_round : (n + 1) * per_round])
        if report.failures:
            raise SystemExit(f"{device}: import failed: {report.failures[0]}")
        for _ in range(REVIEWS_PER_ROUND):
            grade = rng.choice(list(Grade))
            recorded.append(ctx.reviews.record(rng.choice(cards), grade).review_id)
    ctx.close()
    print(json.dumps(recorded), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]))
