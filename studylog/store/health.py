"""Telling a damaged database file from a sound one, and saying what to do about it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from studylog.store.schema import SCHEMA_VERSION

RESTORE_HINT = "restore from an export (`studylog --db NEW.db import backup.json`)"
# sqlite3's messages for a file that is not, or no longer, a sound database.
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "disk i/o error")


def _is_damage(message: str) -> bool:
    """Whether SQLite's `message` says the file itself is damaged."""
    lowered = message.lower()
    return any(word in lowered for word in _DAMAGE_WORDS)


def describe_failure(path: Path, message: str) -> str:
    """One line for a database error: the file, SQLite's words, and what to do."""
    if _is_damage(message):
        return f"{path}: the database is damaged ({message}); {RESTORE_HINT}"
    return f"{path}: {message}"


@dataclass(frozen=True)
class Health:
    """What `PRAGMA integrity_check` found in one database file."""

    path: Path
    sound: bool
    schema_version: int | None
    problem: str | None

    def describe(self) -> str:
        """One line for the learner."""
        version = f"schema version {self.schema_version} of {SCHEMA_VERSION}"
        if self.sound:
            return f"{self.path}: sound ({version})"
        where = f"; {version}" if self.schema_version is not None else ""
        return f"{self.path}: damaged ({self.problem}{where}); {RESTORE_HINT}"


def check_health(path: Path) -> Health:
    """Run SQLite's integrity check on `path` without creating or migrating anything."""
    if not path.is_file():
        return Health(path, False, None, "no such database file")
    if path.stat().st_size == 0:
        return Health(path, False, None, "the file is empty")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        return Health(path, False, None, str(err))
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        findings = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.Error as err:
        return Health(path, False, None, str(err))
    finally:
        conn.close()
    if findings != ["ok"]:
        extra = f" and {len(findings) - 1} more" if len(findings) > 1 else ""
        return Health(path, False, version, findings[0] + extra)
    return Health(path, True, version, None)
