"""Helpers the TUI tests share (imported by conftest.py and the test modules)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from studylog.config import Config
from studylog.context import AppContext
from studylog.services.demo import load_demo
from studylog.tui.app import StudylogApp

NOW = dt.datetime(2022, 1, 29, 10, 0, tzinfo=dt.UTC)
SIZE = (120, 40)
# The first check of a session waits for the sandbox worker to import torch.
SANDBOX_TIMEOUT_S = 240.0

Until = Callable[..., Awaitable[None]]


def make_context(db: Path | str, *, demo: bool) -> AppContext:
    """A context on the database `db` (a file, or a PostgreSQL URL) at NOW, fuzz off; with
    the demo journal if asked."""
    ctx = AppContext(db=str(db), now=NOW, config=Config(fuzz=False))
    if demo:
        load_demo(ctx.journal)
    return ctx


def make_app(ctx: AppContext, **options: Any) -> StudylogApp:
    """The app on `ctx`; no warm-up and no demo offer unless asked (checks still run)."""
    options.setdefault("warm_sandbox", False)
    options.setdefault("offer_demo", False)
    return StudylogApp(ctx, **options)


async def wait_until(
    pilot: Pilot[Any],
    predicate: Callable[[], object],
    what: str,
    timeout: float = 30.0,
) -> None:
    """Let the app run until `predicate()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if predicate():
                return
        except Exception:  # e.g. a widget not mounted yet: keep waiting
            pass
        if time.monotonic() > deadline:
            failures = [f"{f.what}: {f.error}" for f in getattr(pilot.app, "failures", [])]
            raise AssertionError(f"timed out waiting for {what}; app failures: {failures}")
        await pilot.pause()


def text_of(widget: Any) -> str:
    """What a Static shows, as plain text."""
    return str(widget.render())
