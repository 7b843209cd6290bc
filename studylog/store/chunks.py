"""Splitting long value lists so that each statement binds few enough parameters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

# SQLite allows a limited number of bound parameters per statement.
CHUNK = 500

T = TypeVar("T")


def chunks(items: Sequence[T]) -> Iterator[list[T]]:
    """`items` in slices small enough to bind in one statement."""
    for start in range(0, len(items), CHUNK):
        yield list(items[start : start + CHUNK])
