"""Where studylog keeps its files, per platform (platformdirs), with overrides."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

# platformdirs is imported only when no override names the path: the commands that
# scripts and tests run with --db and $STUDYLOG_* skip its import.
from studylog.errors import StudylogError

APP_NAME = "studylog"


# URL schemes taken for PostgreSQL; SQLAlchemy is told to use psycopg 3 for all of them.
_POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


@dataclass(frozen=True)
class ServerDatabase:
    """A database on a PostgreSQL server, named by its `postgresql://` URL."""

    url: str

    @property
    def sqlalchemy_url(self) -> str:
        """The URL with the driver SQLAlchemy is to use (psycopg 3)."""
        return "postgresql+psycopg://" + self.url.split("://", 1)[1]

    def __str__(self) -> str:
        # Messages name the database, never its password.
        scheme, rest = self.url.split("://", 1)
        credentials, at, place = rest.rpartition("@")
        if at and ":" in credentials:
            rest = f"{credentials.split(':', 1)[0]}:***@{place}"
        return f"{scheme}://{rest}"


# What `--db` names: a SQLite file, or a database on a PostgreSQL server.
DatabaseTarget: TypeAlias = Path | ServerDatabase


def database_target(override: str | None = None, *, create_folder: bool = True) -> DatabaseTarget:
    """The database: `--db`, else $STUDYLOG_DB, else a file in the platform data directory.

    A file's folder must exist unless `create_folder` (a typo in `--db` would otherwise
    start a new, empty journal somewhere); a URL must be a PostgreSQL one.
    """
    chosen = override or os.environ.get("STUDYLOG_DB")
    if not chosen:
        from platformdirs import user_data_path

        return user_data_path(APP_NAME) / "studylog.db"
    if "://" in chosen:
        scheme = chosen.split("://", 1)[0].lower()
        if scheme not in _POSTGRES_SCHEMES:
            raise StudylogError(
                f"{chosen.split('://', 1)[0]}://…: not a database studylog can use "
                "(a SQLite file path, or a postgresql:// URL)"
            )
        return ServerDatabase(chosen)
    path = Path(chosen).expanduser()
    if not create_folder and not path.parent.is_dir():
        raise StudylogError(
            f"{path}: the folder {path.parent} does not exist (only import and demo create it)"
        )
    return path


def config_path() -> Path:
    """The TOML configuration file: $STUDYLOG_CONFIG, else the platform config directory."""
    chosen = os.environ.get("STUDYLOG_CONFIG")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def runtime_dir() -> Path:
    """The folder for the sandbox server's socket: $STUDYLOG_RUNTIME_DIR, else the platform
    runtime directory (`$XDG_RUNTIME_DIR/studylog`); without one, platformdirs falls back to
    a per-user folder in /tmp."""
    chosen = os.environ.get("STUDYLOG_RUNTIME_DIR")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_runtime_path

    with warnings.catch_warnings():
        # The fallback is announced as a warning, which would reach the learner's terminal.
        warnings.simplefilter("ignore")
        return user_runtime_path(APP_NAME)
