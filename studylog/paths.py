"""Where studylog keeps its files, per platform (platformdirs), with overrides."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

from studylog.errors import StudylogError

APP_NAME = "studylog"


def database_path(override: str | None = None, *, create_folder: bool = True) -> Path:
    """The database file: `--db`, else $STUDYLOG_DB, else the platform data directory.

    A chosen file must be a path, not a URL; its folder must exist unless `create_folder`
    (a typo in `--db` would otherwise start a new, empty journal somewhere).
    """
    chosen = override or os.environ.get("STUDYLOG_DB")
    if not chosen:
        return user_data_path(APP_NAME) / "studylog.db"
    if "://" in chosen:
        raise StudylogError(f"{chosen}: only SQLite database files are supported, not URLs")
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
    return user_config_path(APP_NAME) / "config.toml"
