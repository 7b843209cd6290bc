"""Fixtures for the TUI tests: the real app under Pilot, on a real SQLite file.

Time is fixed (2022-01-29 10:00 UTC, the day after the demo journal's last entry) and the
local time zone is UTC, so learning days and snapshots are the same everywhere. Tests wait
on conditions (`until`), never on fixed sleeps.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tui_support import Until, make_context, wait_until

from studylog.context import AppContext


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC for every TUI test."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def private_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the learner's own config, editor and unsaved texts out of the tests."""
    monkeypatch.setenv("STUDYLOG_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


@pytest.fixture
def demo_ctx(db: Path | str) -> AppContext:
    """The demo journal: 5 entries, 60 cards (20 new due today), 9 open tasks (three
    plans that name lectures are closed by the later days that record them). In a module
    marked `engines`, once per engine."""
    return make_context(db, demo=True)


@pytest.fixture
def empty_ctx(db: Path | str) -> AppContext:
    """A database with nothing in it."""
    return make_context(db, demo=False)


@pytest.fixture
def until() -> Until:
    """`await until(pilot, predicate, "what", timeout=…)`."""
    return wait_until
