"""Fresh PostgreSQL databases for tests, cloned from a template migrated once per process.

Migrating a database takes far longer
than copying one, so each test process (each xdist worker) migrates one template database
the first time a test asks for PostgreSQL, and every test then gets its own database made
by `CREATE DATABASE … TEMPLATE`, dropped when the test ends. The names carry the worker
and its pid, so several workers, and several runs on a developer's shared server, never
collide.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

PREFIX = "sltest"


def database_url(admin_url: str, name: str) -> str:
    """`admin_url` with its database replaced by `name` (host, port and user kept)."""
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class Databases:
    """Creates and drops this process's test databases on the server at `admin_url`.

    `migrate(url)` brings the empty template at `url` to the current schema; it is called
    once, before the first clone, and must close every connection it opened, since
    PostgreSQL copies a template only while nobody is connected to it.
    """

    def __init__(self, admin_url: str, migrate: Callable[[str], None]) -> None:
        self.admin_url = admin_url
        self._migrate = migrate
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self._stem = f"{PREFIX}_{worker}_{os.getpid()}"
        self._template = f"{self._stem}_template"
        self._numbers = itertools.count(1)
        self._admin = psycopg.connect(admin_url, autocommit=True)
        self._template_ready = False

    def _execute(self, statement: sql.Composable) -> None:
        self._admin.execute(statement)

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        url = database_url(self.admin_url, self._template)
        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self._template)))
        try:
            self._migrate(url)
        except BaseException:
            self.drop(url)  # the next test tries again, and shows the same failure
            raise
        self._template_ready = True

    def create(self) -> str:
        """The URL of a new database holding the migrated, empty schema."""
        self._ensure_template()
        name = f"{self._stem}_{next(self._numbers)}"
        self._execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(self._template)
            )
        )
        return database_url(self.admin_url, name)

    def drop(self, url: str) -> None:
        """Drop the database at `url`, ending any connection a test left open to it."""
        name = urlsplit(url).path.lstrip("/")
        self._execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def close(self) -> None:
        """Drop the template and close the admin connection."""
        try:
            if self._template_ready:
                self.drop(database_url(self.admin_url, self._template))
        finally:
            self._admin.close()
