"""Every command the README lists gives the same output on SQLite and on PostgreSQL.

One scenario, the README's tour on the example journal (tests/data), runs once per engine
against fresh databases: import, search, entries, cards, checks and reviews, undo, tasks,
stats, verify, write, doctor, every export format, a restore and the demo journal. Each
test compares one step's exit status and streams between the engines: JSON field by field
with ids aside (a review names its card by key), human output as text, with the database
target and the scenario's folder written as <DB> and <TMP> and, where a listing starts
with ids, without them. The SQLite run must also exit as the step expects, so that two
engines failing alike never pass.

Not here: `cards check`, `sandbox status` and `sandbox stop`, which never open the
database (tests/test_cli_cards.py and tests/test_sandbox_server.py cover them).
"""

from __future__ import annotations

import csv
import difflib
import json
import re
import sqlite3
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import CLI, DATA, Run, make_cli

if TYPE_CHECKING:
    from tests.pg_databases import Databases

NOW = "2022-02-16T09:00:00+00:00"
LATER = "2022-02-16T09:10:00+00:00"
# Cards of the example journal, found by key on each engine (ids are not compared).
SHAPE_CARD = "gen:creation.shape"
RECALL_CARD = "gen:concept.graph.define_by_run"
# What `write` adds to the first day: a claim torch disagrees with, for `verify`.
APPENDED = """
오늘 추가한 메모:

```python
x = torch.arange(6).view(2, 3)
print(x.t().is_contiguous())  # True
```
"""

Comparable = str | int | float | bool | None | list[Any] | dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What one step showed, made comparable across engines."""

    code: int
    out: Comparable
    err: str


@dataclass
class Journal:
    """One engine's databases and folder for the scenario, and what earlier steps found."""

    main: CLI
    restored: CLI
    demo: CLI
    folder: Path
    targets: tuple[str, ...]
    found: dict[str, str] = field(default_factory=dict)

    def text(self, value: str) -> str:
        """`value` with this run's databases and folder replaced by placeholders."""
        for target in sorted(self.targets, key=len, reverse=True):
            value = value.replace(target, "<DB>")
        return value.replace(str(self.folder), "<TMP>")

    def card(self, key: str) -> str:
        """The id this engine gave the card with `key`."""
        if key not in self.found:
            cards = self.main("--json", "cards", "list").json()
            self.found[key] = str(next(card["id"] for card in cards if card["key"] == key))
        return self.found[key]

    def task(self, text: str) -> str:
        """The id this engine gave the task that reads `text`."""
        tasks = self.main("--now", NOW, "--json", "tasks", "--all").json()
        return str(next(task["id"] for task in tasks if task["text"] == text))


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def without_ids(value: Any) -> Any:
    """`value` (parsed JSON) without its id fields, at every depth."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if not _is_id(k)}
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value


def export_without_ids(export: dict[str, Any]) -> Any:
    """A JSON export without ids, each review naming its card by key instead."""
    keys = {card["id"]: card["key"] for card in export.get("cards", [])}
    reviews = [{**r, "card": keys.get(r.get("card_id"))} for r in export.get("reviews", [])]
    return without_ids({**export, "reviews": reviews})


LEADING_ID = re.compile(r"^\s*\d+(?=\s)", re.MULTILINE)


def _plain(journal: Journal, run: Run) -> Outcome:
    return Outcome(run.code, journal.text(run.out), journal.text(run.err))


def _listing(journal: Journal, run: Run) -> Outcome:
    # A listing's first column is the id.
    return Outcome(run.code, LEADING_ID.sub("#", journal.text(run.out)), journal.text(run.err))


CARD_ID = re.compile(r"\bcard \d+")


def _naming_a_card(journal: Journal, run: Run) -> Outcome:
    return Outcome(run.code, CARD_ID.sub("card #", journal.text(run.out)), journal.text(run.err))


def _parsed(strip: Callable[[Any], Any]) -> Callable[[Journal, Run], Outcome]:
    """An outcome of JSON output with `strip` taking out what differs by engine (ids)."""

    def outcome(journal: Journal, run: Run) -> Outcome:
        try:
            parsed = json.loads(run.out)
        except json.JSONDecodeError:
            return _plain(journal, run)
        return Outcome(run.code, strip(parsed), journal.text(run.err))

    return outcome


_json = _parsed(without_ids)
_export = _parsed(export_without_ids)


def _csv_files(folder: Path) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[path.name] = without_ids(list(csv.DictReader(handle)))
    return tables


def _anki_notes(package: Path) -> list[str]:
    """The fields of every note in an .apkg, sorted (Anki's own ids are random)."""
    if not package.exists():
        return []
    with zipfile.ZipFile(package) as archive:
        name = next(n for n in archive.namelist() if n.startswith("collection.anki2"))
        collection = package.with_suffix(".anki2")
        collection.write_bytes(archive.read(name))
    conn = sqlite3.connect(collection)
    try:
        return sorted(row[0] for row in conn.execute("SELECT flds FROM notes"))
    finally:
        conn.close()


Step = Callable[[Journal], Outcome]


def _command(*args: str, shape: Callable[[Journal, Run], Outcome] = _plain) -> Step:
    """A step that runs `studylog --now NOW ARGS…` on the main database."""
    return lambda journal: shape(journal, journal.main("--now", NOW, *args))


def _card_show(journal: Journal) -> Outcome:
    run = journal.main("--now", NOW, "card", "show", journal.card(SHAPE_CARD))
    return _naming_a_card(journal, run)


def _card_show_seed(journal: Journal) -> Outcome:
    card = journal.card(SHAPE_CARD)
    return _json(journal, journal.main("--now", NOW, "card", "show", card, "--seed", "7", "--json"))


def _check(journal: Journal) -> Outcome:
    return _plain(journal, journal.main("--now", NOW, "check", journal.card(SHAPE_CARD), "(2, 3)"))


def _check_recall(journal: Journal) -> Outcome:
    card = journal.card(RECALL_CARD)
    return _json(journal, journal.main("--now", NOW, "--json", "check", card, "define-by-run"))


def _review(journal: Journal) -> Outcome:
    return _plain(journal, journal.main("--now", NOW, "review", journal.card(SHAPE_CARD), "(2, 3)"))


def _review_hard(journal: Journal) -> Outcome:
    card = journal.card(SHAPE_CARD)
    return _json(
        journal, journal.main("--now", LATER, "--json", "review", card, "2x3", "--rating", "hard")
    )


def _review_recall(journal: Journal) -> Outcome:
    card = journal.card(RECALL_CARD)
    return _plain(journal, journal.main("--now", LATER, "review", card, "define-by-run"))


def _task_done(journal: Journal) -> Outcome:
    task = journal.task("코딩 기본과제 풀기")
    return _listing(journal, journal.main("--now", NOW, "task", "done", task))


def _write(journal: Journal) -> Outcome:
    addition = journal.folder / "addition.md"
    addition.write_text(APPENDED, encoding="utf-8")
    editor = journal.folder / "append.sh"
    editor.write_text(f"#!/bin/sh\ncat '{addition}' >> \"$1\"\n", encoding="utf-8")
    editor.chmod(0o755)
    env = {"EDITOR": str(editor), "VISUAL": ""}
    return _plain(journal, journal.main("--now", NOW, "write", "2022-01-24", env_vars=env))


def _export_csv(journal: Journal) -> Outcome:
    out = journal.folder / "csv"
    run = journal.main("--now", NOW, "export", "--format", "csv", "--out", str(out))
    return Outcome(
        run.code, {"stdout": journal.text(run.out), **_csv_files(out)}, journal.text(run.err)
    )


def _export_apkg(journal: Journal) -> Outcome:
    out = journal.folder / "deck.apkg"
    run = journal.main("--now", NOW, "export", "--format", "apkg", "--out", str(out))
    notes = _anki_notes(out)
    return Outcome(
        run.code, {"stdout": journal.text(run.out), "notes": notes}, journal.text(run.err)
    )


def _restore(journal: Journal) -> Outcome:
    backup = journal.folder / "backup.json"
    backup.write_text(journal.main("--now", NOW, "export").out, encoding="utf-8")
    return _plain(journal, journal.restored("--now", NOW, "import", str(backup)))


def _restored_export(journal: Journal) -> Outcome:
    return _export(journal, journal.restored("--now", NOW, "export"))


def _demo(journal: Journal) -> Outcome:
    return _plain(journal, journal.demo("--now", NOW, "demo"))


def _demo_entries(journal: Journal) -> Outcome:
    return _plain(journal, journal.demo("--now", NOW, "entries", "-n", "7"))


# The README's tour, in order: each step may rely on the ones before it.
STEPS: dict[str, tuple[Step, int]] = {
    "--version": (_command("--version"), 0),
    "import folder": (_command("import", str(DATA)), 0),
    "import again": (_command("import", str(DATA)), 0),
    "entries": (_command("entries", "-n", "7"), 0),
    "entries --json": (_command("--json", "entries"), 0),
    "show": (_command("show", "2022-01-24"), 0),
    "search Korean": (_command("search", "파이토치"), 0),
    "search two letters": (_command("search", "자동"), 0),
    "search English": (_command("search", "autograd"), 0),
    "search --json": (_command("--json", "search", "reshape"), 0),
    "search nothing": (_command("search", "no-such-words-anywhere"), 1),
    "due": (_command("due", shape=_listing), 0),
    "due --json": (_command("--json", "due", shape=_json), 0),
    "cards list": (_command("cards", "list", shape=_listing), 0),
    "cards list --json": (_command("--json", "cards", "list", shape=_json), 0),
    "card show": (_card_show, 0),
    "card show --seed --json": (_card_show_seed, 0),
    "check": (_check, 0),
    "check recall --json": (_check_recall, 0),
    "review": (_review, 0),
    "review --rating hard": (_review_hard, 0),
    "review recall": (_review_recall, 0),
    "undo": (_command("--now", LATER, "undo", shape=_naming_a_card), 0),
    "due after reviews": (_command("--now", LATER, "due", shape=_listing), 0),
    "optimize": (_command("optimize"), 0),
    "tasks": (_command("tasks", shape=_listing), 0),
    "tasks --upcoming --all": (_command("tasks", "--upcoming", "7", "--all", shape=_listing), 0),
    "task done": (_task_done, 0),
    "task add date": (
        _command("task", "add", "논문 읽기", "--due", "2022-01-28", shape=_listing),
        0,
    ),
    "task add weekday": (
        _command("task", "add", "과제 제출", "--due", "friday", shape=_listing),
        0,
    ),
    "tasks --all --json": (_command("--json", "tasks", "--all", shape=_json), 0),
    "stats": (_command("stats"), 0),
    "stats --json": (_command("--json", "stats", shape=_json), 0),
    "write": (_write, 0),
    "show after write": (_command("show", "2022-01-24"), 0),
    "verify date": (_command("verify", "2022-01-24"), 1),
    "verify --json": (_command("--json", "verify", "2022-01-24", shape=_json), 1),
    "doctor": (_command("doctor"), 0),
    "export json": (_command("export", shape=_export), 0),
    "export csv": (_export_csv, 0),
    "export md": (_command("export", "--format", "md"), 0),
    "export apkg": (_export_apkg, 0),
    "import backup.json": (_restore, 0),
    "export of the restored journal": (_restored_export, 0),
    "demo": (_demo, 0),
    "entries of the demo journal": (_demo_entries, 0),
}


def run_scenario(targets: tuple[str, str, str], folder: Path) -> dict[str, Outcome]:
    """Every step's outcome on the databases `targets` (journal, restored, demo).

    A step that raises is recorded, not fatal, so one broken command shows as one failed
    comparison and the later steps still run.
    """
    config = folder / "config.toml"
    config.write_text("[review]\nfuzz = false\n", encoding="utf-8")
    main, restored, demo = (make_cli(target, config) for target in targets)
    journal = Journal(main, restored, demo, folder, targets)
    outcomes: dict[str, Outcome] = {}
    for name, (step, _) in STEPS.items():
        try:
            outcomes[name] = step(journal)
        except Exception:  # the comparison shows it; the next steps still run
            outcomes[name] = Outcome(-1, None, journal.text(traceback.format_exc()))
    return outcomes


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """The scenario on three fresh SQLite files."""
    folder = tmp_path_factory.mktemp("sqlite")
    journal, restored, demo = (str(folder / f"{name}.db") for name in ("journal", "r", "demo"))
    return run_scenario((journal, restored, demo), folder)


@pytest.fixture(scope="module")
def on_postgresql(
    tmp_path_factory: pytest.TempPathFactory, pg_databases: Databases
) -> Iterator[dict[str, Outcome]]:
    """The scenario on three fresh PostgreSQL databases."""
    folder = tmp_path_factory.mktemp("postgresql")
    targets = (pg_databases.create(), pg_databases.create(), pg_databases.create())
    try:
        yield run_scenario(targets, folder)
    finally:
        for url in targets:
            pg_databases.drop(url)


def differences(left: Any, right: Any, where: str = "") -> list[str]:
    """Where two parsed values differ, one line per differing leaf."""
    if isinstance(left, dict) and isinstance(right, dict):
        lines = []
        for key in sorted(left.keys() | right.keys(), key=str):
            if key not in right or key not in left:
                lines.append(f"{where}.{key}: only on {'SQLite' if key in left else 'PostgreSQL'}")
            else:
                lines += differences(left[key], right[key], f"{where}.{key}")
        return lines
    if isinstance(left, list) and isinstance(right, list):
        lines = [f"{where}: {len(left)} items on SQLite, {len(right)} on PostgreSQL"]
        if len(left) == len(right):
            lines = []
        for index, (a, b) in enumerate(zip(left, right, strict=False)):
            lines += differences(a, b, f"{where}[{index}]")
        return lines
    if isinstance(left, str) and isinstance(right, str) and "\n" in left + right:
        diff = difflib.unified_diff(
            left.splitlines(), right.splitlines(), "SQLite", "PostgreSQL", lineterm=""
        )
        return [f"{where}:", *diff] if left != right else []
    return [] if left == right else [f"{where}: {left!r} on SQLite, {right!r} on PostgreSQL"]


@pytest.mark.xdist_group("engines_same_output")  # one worker runs both scenarios once
@pytest.mark.parametrize("step", list(STEPS))
def test_the_engines_give_the_same_output(
    step: str, on_sqlite: dict[str, Outcome], on_postgresql: dict[str, Outcome]
) -> None:
    expected_code = STEPS[step][1]
    sqlite, postgresql = on_sqlite[step], on_postgresql[step]
    assert sqlite.code == expected_code, sqlite.err
    found = differences(
        {"exit status": sqlite.code, "stdout": sqlite.out, "stderr": sqlite.err},
        {"exit status": postgresql.code, "stdout": postgresql.out, "stderr": postgresql.err},
    )
    assert not found, f"`{step}` differs:\n" + "\n".join(found[:60])
