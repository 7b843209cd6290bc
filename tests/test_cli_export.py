"""The JSON export round trip through the real CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CLI, DATA, EXAMPLE

pytestmark = pytest.mark.engines


def _without_ids(export: dict[str, Any]) -> dict[str, Any]:
    for table in ("tasks", "cards"):
        for row in export[table]:
            row.pop("id")
    for review in export["reviews"]:
        review.pop("card_id")
    return export


def test_json_export_imports_back_without_loss(cli: CLI, tmp_path: Path) -> None:
    cli(
        "--now",
        "2022-02-03T21:00:00+00:00",
        "import",
        str(EXAMPLE),
        str(DATA / "2022-02-03-heading.md"),
    )
    cards = cli("cards", "list", "--json").json()
    recall = [c["id"] for c in cards if c["kind"] == "recall"][:2]
    for when in ("2022-02-04T09:00:00+00:00", "2022-02-04T09:11:00+00:00"):
        for card_id in recall:
            cli("--now", when, "review", str(card_id), "x", "--rating", "good")
    cli("task", "done", "1")
    cli("task", "add", "논문 읽기", "--due", "2022-02-05")
    first = tmp_path / "first.json"
    assert cli("export", "--format", "json", "--out", str(first)).code == 0

    restored_db = tmp_path / "restored.db"
    again = cli("--db", str(restored_db), "import", str(first))
    assert again.code == 0, again.err
    assert "restored 2 entries" in again.err
    second = cli("--db", str(restored_db), "export").json()
    original = json.loads(first.read_text(encoding="utf-8"))
    assert len(original["reviews"]) == 4
    assert _without_ids(second) == _without_ids(original)
    # Times are written as `isoformat()` writes the aware UTC instant.
    times = [r["reviewed_at"] for r in original["reviews"]] + [c["due"] for c in original["cards"]]
    assert all(dt.datetime.fromisoformat(t).isoformat() == t for t in times)
    assert all(t.endswith("+00:00") for t in times)

    # Restoring the same export again adds nothing.
    assert cli("--db", str(restored_db), "import", str(first)).code == 0
    third = cli("--db", str(restored_db), "export").json()
    assert _without_ids(third) == _without_ids(json.loads(first.read_text(encoding="utf-8")))


def test_not_an_export_is_a_clear_error(cli: CLI, tmp_path: Path) -> None:
    bogus = tmp_path / "data.json"
    bogus.write_text('{"hello": 1}')
    run = cli("import", str(bogus))
    assert run.code == 1
    assert (
        run.err.strip()
        == f'studylog: error: {bogus}: not a studylog export (no "format": "studylog")'
    )
