"""Running a unit of work in one transaction, on either engine, with the engine's locking.

SQLite serialises writers itself: every transaction begins with BEGIN IMMEDIATE
(`studylog.store.engine`), so a second writer waits on the busy timeout and never fails
halfway. PostgreSQL lets writers run side by side; there each write runs SERIALIZABLE, and a
transaction the server aborted to keep that promise (a serialization failure or deadlock) is
run again from the start. `work` must therefore be safe to repeat: it reads what it needs
inside the transaction and has no effect outside the database.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

T = TypeVar("T")

# SQLSTATEs after which PostgreSQL asks the client to retry the whole transaction.
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
ATTEMPTS = 20
BACKOFF_S = 0.005
MAX_BACKOFF_S = 0.5


def _must_retry(err: DBAPIError) -> bool:
    # In pipeline mode psycopg reports the statements after the failed one as aborted; the
    # server's reason is further down the chain of causes.
    cause: BaseException | None = err.orig
    while cause is not None:
        if getattr(cause, "sqlstate", None) in _RETRY_SQLSTATES:
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _pause(attempt: int) -> None:
    # Random and growing, so that two writers that keep colliding fall out of step.
    time.sleep(random.uniform(0, min(BACKOFF_S * 2**attempt, MAX_BACKOFF_S)))


def write(engine: Engine, work: Callable[[Connection], T]) -> T:
    """`work(conn)` in one write transaction, committed when it returns."""
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:
            return work(conn)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            serializable = engine.connect().execution_options(isolation_level="SERIALIZABLE")
            with serializable as conn, conn.begin():
                return work(conn)
        except DBAPIError as err:
            if attempt == ATTEMPTS or not _must_retry(err):
                raise
            _pause(attempt)
    raise AssertionError("unreachable: the last attempt returns or raises")


def read(engine: Engine, work: Callable[[Connection], T]) -> T:
    """`work(conn)` in one transaction that is rolled back afterwards (closing the
    connection ends it), for reads that must see one consistent state."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            # PostgreSQL's default (read committed) takes a new snapshot per statement;
            # repeatable read keeps one for the whole transaction, as SQLite's does.
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        return work(conn)
