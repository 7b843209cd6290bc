"""Printing results: plain lines for people, `--json` for scripts, errors on stderr."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

Subparsers = argparse._SubParsersAction  # the type add_subparsers() returns


def print_json(data: Any) -> None:
    """Machine-readable output, UTF-8 as is (Korean stays readable)."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_error(message: str) -> None:
    """One line on stderr, prefixed like other Unix tools."""
    print(f"studylog: error: {message}", file=sys.stderr)


def day_arg(text: str) -> dt.date:
    """An argparse type for a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None
