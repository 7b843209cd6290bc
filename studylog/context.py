"""Everything a front end needs, built once: settings, clock, database and services."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine

from cards.sandbox.runner import shared_sandbox
from cards.scheduling import Settings
from studylog.clock import Clock
from studylog.config import Config, load_config
from studylog.paths import config_path, database_path
from studylog.services.journal import JournalService
from studylog.services.quiz import QuizService
from studylog.services.reviews import ReviewService
from studylog.services.stats import StatsService
from studylog.services.tasks import TaskService
from studylog.store.engine import open_engine


class AppContext:
    """Lazily opens the database, so commands that fail early never create a file."""

    def __init__(
        self,
        db: str | None = None,
        now: dt.datetime | None = None,
        config: Config | None = None,
        *,
        create_folder: bool = False,
    ) -> None:
        self.db_path: Path = database_path(db, create_folder=create_folder)
        self.config = config if config is not None else load_config(config_path())
        self.clock = Clock(fixed=now, day_starts_at=self.config.day_starts_at)

    @cached_property
    def engine(self) -> Engine:
        """The migrated database engine."""
        return open_engine(self.db_path)

    @cached_property
    def reviews(self) -> ReviewService:
        """The review queue and log."""
        cfg = self.config
        return ReviewService(
            self.engine,
            self.clock,
            Settings(desired_retention=cfg.desired_retention, enable_fuzzing=cfg.fuzz),
            new_per_day=cfg.new_per_day,
            reviews_per_day=cfg.reviews_per_day,
        )

    @cached_property
    def quiz(self) -> QuizService:
        """Questions and verdicts; torch runs in the shared sandbox worker."""
        return QuizService(self.reviews, shared_sandbox)

    @cached_property
    def stats(self) -> StatsService:
        """Progress statistics."""
        return StatsService(self.engine, self.clock)

    @cached_property
    def tasks(self) -> TaskService:
        """Planned tasks."""
        return TaskService(self.engine, self.clock)

    @cached_property
    def journal(self) -> JournalService:
        """Entries, their derived rows, and search."""
        return JournalService(self.engine, self.clock, self.config.vocabulary())
