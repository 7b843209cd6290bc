"""Where studylog keeps its files, per platform (platformdirs), with overrides."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

# platformdirs is imported only when no override names the path: the commands that
# scripts and tests run with --db and $STUDYLOG_* skip its import.
from studylog.errors import StudylogError

APP_NAME = "studylog"


def database_path(override: str | None = None, *, create_folder: bool = True) -> Path:
    """The database file: `--db`, else $STUDYLOG_DB, else the platform data directory.

    A chosen file must be a path, not a URL; its folder must exist unless `create_folder`
    (a typo in `--db` would otherwise start a new, empty journal somewhere).
    """
    chosen = override or os.environ.get("STUDYLOG_DB")
    if not chosen:
        from platformdirs import user_data_path

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
