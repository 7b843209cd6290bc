"""The SQLite database inside an Anki package (collection.anki2), which genanki fills.

genanki writes Anki's own schema through a sqlite3 cursor; this is the one place outside
the journal's store that opens such a file, so the services never import sqlite3.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path


def write_collection(path: Path, fill: Callable[[sqlite3.Cursor], None]) -> None:
    """Create the collection file at `path`, let `fill` write it through a cursor, commit."""
    conn = sqlite3.connect(path)
    try:
        fill(conn.cursor())
        conn.commit()
    finally:
        conn.close()
