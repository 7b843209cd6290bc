"""Printing results: plain lines for people, `--json` for scripts, errors on stderr.

Card code, notes and sandbox values are written by strangers, so everything a command
prints passes through `inert`: control characters (C0 but newline and tab, DEL, C1)
become `\\u001b`-style escapes. That spelling is a valid JSON string escape too, so one
filter on stdout serves plain and `--json` output alike (json.dumps leaves DEL and C1
raw). `show DATE` alone writes an entry byte for byte, and only into a pipe or a file:
on a terminal it is made inert like everything else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO, TypeAlias

# The type add_subparsers() returns; a string, as the class is generic only in the stubs.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


_CONTROLS = {
    code: f"\\u{code:04x}" for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in "\n\t"
}


def inert(text: str) -> str:
    """`text` with every control character but newline and tab spelled as an escape."""
    return text.translate(_CONTROLS)


class InertStream(io.TextIOBase):
    """A text stream that makes whatever is written to it inert before passing it on."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        """Write `text` made inert; the count is of the characters given."""
        self.inner.write(inert(text))
        return len(text)

    def flush(self) -> None:
        """Flush the stream underneath."""
        self.inner.flush()

    def isatty(self) -> bool:
        """Whether the stream underneath is a terminal."""
        return self.inner.isatty()

    def fileno(self) -> int:
        """The descriptor of the stream underneath."""
        return self.inner.fileno()


@contextmanager
def inert_stdout() -> Iterator[None]:
    """Make everything printed to stdout inert while a command runs."""
    inner = sys.stdout
    sys.stdout = InertStream(inner)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stdout = inner


def write_verbatim(text: str) -> None:
    """`text` as is into a pipe or file; made inert on a terminal."""
    stream = sys.stdout
    inner = stream.inner if isinstance(stream, InertStream) else stream
    (stream if inner.isatty() else inner).write(text)


def print_json(data: Any) -> None:
    """Machine-readable output, UTF-8 as is (Korean stays readable)."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_error(message: str) -> None:
    """One line on stderr, prefixed like other Unix tools."""
    print(f"studylog: error: {inert(message)}", file=sys.stderr)


def day_arg(text: str) -> dt.date:
    """An argparse type for a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None
