"""A Jekyll or Hugo post's front matter: YAML between `---` lines (markdown-it's front
matter plugin makes it a token) or Hugo's TOML between `+++` lines (read here, since the
plugin knows only `---`). It gives the post's date and title.

Of YAML only top-level `key: value` lines are read; that is all a post's date and title
ever need, and it spares a YAML dependency. TOML is read with `tomllib`.
"""

from __future__ import annotations

import datetime as dt
import tomllib

from markdown_it.token import Token

_TOML_FENCE = "+++"


def split_toml(text: str) -> tuple[str, Token | None]:
    """`text` with a leading `+++` TOML block blanked out, and that block as a
    `front_matter` token; `(text, None)` when the notes do not open with one.

    The block's lines become empty lines rather than disappearing, so every later token
    keeps the line numbers of the learner's file."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != _TOML_FENCE:
        return text, None
    for end in range(1, len(lines)):
        if lines[end].rstrip() == _TOML_FENCE:
            token = Token("front_matter", "", 0, content="".join(lines[1:end]))
            token.markup, token.block, token.map = _TOML_FENCE, True, [0, end + 1]
            return "\n" * (end + 1) + "".join(lines[end + 1 :]), token
    return text, None


def _toml_pairs(content: str) -> dict[str, str]:
    try:
        table = tomllib.loads(content)
    except tomllib.TOMLDecodeError:
        return {}
    return {
        key.lower(): value.isoformat() if isinstance(value, dt.date | dt.time) else value
        for key, value in table.items()
        if isinstance(value, str | dt.date | dt.time)
    }


def _yaml_pairs(content: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in content.splitlines():
        key, sep, value = line.partition(":")
        if sep and key and not key[0].isspace():
            pairs[key.strip().lower()] = value.strip().strip("\"'")
    return pairs


def front_matter(parsed: list[Token]) -> dict[str, str]:
    """The top-level `key: value` pairs of the front matter, if the notes open with one."""
    if not parsed or parsed[0].type != "front_matter":
        return {}
    if parsed[0].markup == _TOML_FENCE:
        return _toml_pairs(parsed[0].content)
    return _yaml_pairs(parsed[0].content)


def front_matter_date(parsed: list[Token]) -> dt.date | None:
    """The `date:` of the front matter (its day; the time and zone are dropped)."""
    value = front_matter(parsed).get("date", "")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def front_matter_title(parsed: list[Token]) -> str | None:
    """The `title:` of the front matter, if it has a non-empty one."""
    return front_matter(parsed).get("title") or None
