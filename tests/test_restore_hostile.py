"""Hostile JSON exports: each is refused with one line and nothing changed, or accepted with
every later command still working (issue 11, item 5)."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studylog.cli.main import run_command
from tests.conftest import CLI, EXAMPLE

# Commands that must keep working on whatever an accepted import left behind.
LATER = (["cards", "list"], ["stats", "--json"], ["due"], ["export", "--format", "apkg"])
HOSTILE_VALUES = (
    None,
    True,
    -1,
    0,
    5,
    2**63,
    -(2**63) - 1,
    10**400,
    1e308,
    float("nan"),
    float("inf"),
    "",
    "x",
    "\ud800",
    "2022-13-40",
    "9999-12-31T23:59:59-05:00",
    "0001-01-01T00:00:00+14:00",
    [],
    {},
    [[[[]]]],
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A database holding the example journal and three reviews, and its export."""
    folder = tmp_path_factory.mktemp("base")
    db = folder / "studylog.db"
    assert _run(db, "import", str(EXAMPLE))[0] == 0
    for card in (1, 2, 3):
        when = f"2022-01-25T09:0{card}:00+00:00"
        assert _run(db, "--now", when, "review", str(card), "x", "--rating", "good")[0] == 0
    code, out, _ = _run(db, "export")
    assert code == 0
    return db, json.loads(out)


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    """One command in this process (the hypothesis test runs hundreds), output captured."""
    out, err = io.StringIO(), io.StringIO()
    words = list(args)
    if words[0] == "--now":
        words = [*words[:2], "--db", str(db), *words[2:]]
    else:
        words = ["--db", str(db), *words]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_command(words)
    return code, out.getvalue(), err.getvalue()


def _mutate(export: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """`export` with one field replaced, removed or one record duplicated."""
    hostile = copy.deepcopy(export)
    table = data.draw(st.sampled_from(["entries", "tasks", "cards", "reviews"]))
    records = hostile[table]
    index = data.draw(st.integers(0, len(records) - 1))
    record = records[index]
    how = data.draw(st.sampled_from(["replace", "replace", "replace", "remove", "duplicate"]))
    if how == "duplicate":
        records.append(copy.deepcopy(record))
        return hostile
    name = data.draw(st.sampled_from(sorted(record)))
    if how == "remove":
        del record[name]
    else:
        record[name] = data.draw(st.sampled_from(HOSTILE_VALUES))
    return hostile


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_mutated_export_is_refused_untouched_or_leaves_a_working_store(
    base: tuple[Path, dict[str, Any]], tmp_path: Path, data: st.DataObject
) -> None:
    db_source, export = base
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    db = folder / "studylog.db"
    shutil.copy(db_source, db)
    before = _run(db, "export")[1]
    backup = folder / "backup.json"
    backup.write_text(json.dumps(_mutate(export, data)), encoding="utf-8")

    code, _, err = _run(db, "import", str(backup))

    if code != 0:
        assert err.startswith(f"studylog: error: {backup}: ") and err.count("\n") == 1, err
        assert _run(db, "export")[1] == before
        return
    for command in LATER:
        done = _run(db, *command, *(["--out", str(folder / "x.apkg")] if "apkg" in command else []))
        assert done[0] == 0, (command, done[2])


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda e: e["cards"][3].update(stability=float("nan")), "cards[3].stability: not a"),
        (lambda e: e["reviews"][0].update(rating=7), "reviews[0].rating: not one of [1, 2, 3, 4]"),
        (lambda e: e["cards"][1].update(id=e["cards"][0]["id"]), "cards[1].id: card id"),
        (lambda e: e["cards"][1].update(key=e["cards"][0]["key"]), "cards[1].key: card key used"),
        (lambda e: e["cards"][0].update(reps=2**63), "cards[0].reps: out of range"),
        (lambda e: e["cards"][0].update(due="9999-12-31T23:00:00-05:00"), "cards[0].due:"),
        (lambda e: e["entries"][0].update(markdown=["#"]), "entries[0].markdown: not a string"),
        (lambda e: e["reviews"].append(dict(e["reviews"][0])), "reviews[3]: a second review"),
        (lambda e: e["tasks"][0].update(done="yes"), "tasks[0].done: not true or false"),
    ],
)
def test_the_first_bad_field_is_named_and_nothing_changes(
    cli: CLI, tmp_path: Path, base: tuple[Path, dict[str, Any]], change: Any, named: str
) -> None:
    export = copy.deepcopy(base[1])
    change(export)
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(export), encoding="utf-8")
    cli("import", str(EXAMPLE))
    before = cli("export").out

    run = cli("import", str(backup))

    assert run.code == 1
    assert run.err == f"studylog: error: {backup}: {named}" + run.err.split(named, 1)[1]
    assert run.err.count("\n") == 1 and "Traceback" not in run.err
    assert cli("export").out == before


@pytest.mark.parametrize(
    "text",
    [
        b'{"format": "studylog", "version": 1, "cards": [',
        b"",
        b"\xff\xfe not utf-8",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": "studylog", "version": 1, "entries": 5}',
    ],
    ids=["truncated", "empty", "not-utf8", "deep-nesting", "wrong-type"],
)
def test_an_unreadable_export_is_one_line(cli: CLI, tmp_path: Path, text: bytes) -> None:
    backup = tmp_path / "backup.json"
    backup.write_bytes(text)

    run = cli("import", str(backup))

    assert run.code == 1
    assert run.err.startswith(f"studylog: error: {backup}: ") and run.err.count("\n") == 1
