"""Everything a front end needs, built once: settings, clock, database and services.

Each service is imported when first asked for, so a command pays only for what it uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from studylog import __version__
from studylog.clock import Clock
from studylog.config import Config, device_name, load_config
from studylog.paths import DatabaseTarget, ServerDatabase, config_path, database_target, runtime_dir

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from cards.sandbox.runner import Sandbox
    from cards.sandbox.serverlink import ServerSpec
    from studylog.services.journal import JournalService
    from studylog.services.quiz import QuizService
    from studylog.services.reviews import ReviewService
    from studylog.services.stats import StatsService
    from studylog.services.tasks import TaskService
    from studylog.store.reader import Reading

P = ParamSpec("P")
T = TypeVar("T")


class AppContext:
    """Lazily opens the database, so commands that fail early never create a file.

    `start_sandbox_server`: whether the first check may start the shared sandbox server
    (the CLI) or only uses one that is already running, else a private worker (the TUI).
    """

    def __init__(
        self,
        db: str | None = None,
        now: dt.datetime | None = None,
        config: Config | None = None,
        *,
        start_sandbox_server: bool = True,
        create_folder: bool = False,
    ) -> None:
        self.database: DatabaseTarget = database_target(db, create_folder=create_folder)
        self.config = config if config is not None else load_config(config_path())
        self.clock = Clock(fixed=now, day_starts_at=self.config.day_starts_at)
        self.start_sandbox_server = start_sandbox_server

    @cached_property
    def engine(self) -> Engine:
        """The migrated database engine."""
        from studylog.store.engine import open_engine

        return open_engine(self.database)

    def close(self) -> None:
        """Close the database connections, if the engine was ever opened."""
        if "engine" in self.__dict__:
            self.engine.dispose()

    def read(self, query: Callable[Concatenate[Reading, P], T], *args: P.args, **kw: P.kwargs) -> T:
        """Run a quick read (`studylog.store.reader`, `studylog.store.search`) on the
        reader's own connection to a SQLite file, without importing SQLAlchemy; a file that
        must first be created or migrated, and a PostgreSQL database, go through the engine."""
        from studylog.store.reader import open_reader

        conn = None if isinstance(self.database, ServerDatabase) else open_reader(self.database)
        if conn is None:
            with self.engine.connect() as engine_conn:
                return query(engine_conn, *args, **kw)
        try:
            return query(conn, *args, **kw)
        finally:
            conn.close()

    @property
    def sandbox_server(self) -> ServerSpec:
        """Where the shared sandbox server listens, and how long it may sit idle."""
        from cards.sandbox.serverlink import ServerSpec

        return ServerSpec(
            folder=runtime_dir(),
            idle_s=self.config.sandbox_idle_minutes * 60,
            app_version=__version__,
        )

    def sandbox(self) -> Sandbox:
        """The process-wide torch sandbox, through the shared server (see `sandbox_server`)."""
        from cards.sandbox.runner import shared_sandbox

        return shared_sandbox(self.sandbox_server, start_server=self.start_sandbox_server)

    @cached_property
    def reviews(self) -> ReviewService:
        """The review queue and log."""
        from cards.scheduling import Settings
        from studylog.services.reviews import ReviewService

        cfg = self.config
        return ReviewService(
            self.engine,
            self.clock,
            Settings(desired_retention=cfg.desired_retention, enable_fuzzing=cfg.fuzz),
            new_per_day=cfg.new_per_day,
            reviews_per_day=cfg.reviews_per_day,
            device=device_name(cfg),
        )

    @cached_property
    def quiz(self) -> QuizService:
        """Questions and verdicts; torch runs in the shared sandbox."""
        from studylog.services.quiz import QuizService

        return QuizService(self.reviews, self.sandbox)

    @cached_property
    def stats(self) -> StatsService:
        """Progress statistics."""
        from studylog.services.stats import StatsService

        return StatsService(self.engine, self.clock)

    @cached_property
    def tasks(self) -> TaskService:
        """Planned tasks."""
        from studylog.services.tasks import TaskService

        return TaskService(self.engine, self.clock)

    @cached_property
    def journal(self) -> JournalService:
        """Entries, their derived rows, and search."""
        from studylog.services.journal import JournalService

        return JournalService(
            self.engine, self.clock, self.config.vocabulary(), sandbox=self.sandbox
        )
