"""Words for counts, shared by the CLI and the TUI."""


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 card`, `3 cards`, `1 day`, `2 entries` (with `many` for irregular plurals)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
