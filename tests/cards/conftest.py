"""Fixtures for the cards tests: one real torch sandbox shared by the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cards.sandbox import Sandbox


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """A started sandbox (real worker, real torch), closed at the end of the session."""
    with Sandbox() as box:
        assert box.wait_ready(120), "the torch sandbox did not start"
        yield box
