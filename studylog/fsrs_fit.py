"""Worker process for `studylog optimize`: fits FSRS parameters with `fsrs.Optimizer`.

The optimizer needs torch, which the app process never imports, so it runs here: review
logs come in as JSON on stdin, the fitted parameters go out as JSON on stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from fsrs import Optimizer, Rating, ReviewLog


def main() -> None:
    """Read `[[card_id, rating, iso_time], …]`, print the fitted parameter list."""
    rows = json.load(sys.stdin)
    logs = [
        ReviewLog(
            card_id=card_id,
            rating=Rating(rating),
            review_datetime=dt.datetime.fromisoformat(when),
            review_duration=None,
        )
        for card_id, rating, when in rows
    ]
    parameters = Optimizer(logs).compute_optimal_parameters()
    json.dump([float(p) for p in parameters], sys.stdout)


if __name__ == "__main__":
    main()
