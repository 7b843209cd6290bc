"""Settings that travel with the collection: JSON values under a key."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select

from studylog.store.tables import SettingRow, table_of

SETTING = table_of(SettingRow)

FSRS_PARAMETERS = "fsrs.parameters"

# Built once: the review service reads the fitted FSRS parameters for every answer.
_GET = select(SETTING.c.value).where(SETTING.c.key == bindparam("key"))


def get(conn: Connection, key: str) -> Any:
    """The value stored under `key`, or None."""
    stored = conn.execute(_GET, {"key": key}).scalar()
    return None if stored is None else json.loads(stored)


def put(conn: Connection, key: str, value: Any) -> None:
    """Store `value` under `key`, replacing what was there (delete then insert: the same
    statements on both engines, under the transaction's lock)."""
    conn.execute(delete(SETTING).where(SETTING.c.key == key))
    conn.execute(insert(SETTING).values(key=key, value=json.dumps(value)))
