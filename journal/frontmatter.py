"""The date a Jekyll or Hugo post's YAML front matter gives (`date: 2022-01-25 10:00 +0900`).

Only top-level `key: value` lines are read; that is all a post's date ever needs, and it
spares a YAML dependency.
"""

from __future__ import annotations

import datetime as dt

from markdown_it.token import Token


def front_matter(parsed: list[Token]) -> dict[str, str]:
    """The top-level `key: value` pairs of the front matter, if the notes open with one."""
    if not parsed or parsed[0].type != "front_matter":
        return {}
    pairs: dict[str, str] = {}
    for line in parsed[0].content.splitlines():
        key, sep, value = line.partition(":")
        if sep and key and not key[0].isspace():
            pairs[key.strip().lower()] = value.strip().strip("\"'")
    return pairs


def front_matter_date(parsed: list[Token]) -> dt.date | None:
    """The `date:` of the front matter (its day; the time and zone are dropped)."""
    value = front_matter(parsed).get("date", "")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
