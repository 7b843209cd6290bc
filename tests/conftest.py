"""Shared fixtures: paths to test data and runners for the real CLI.

`cli` runs a command in this process through `studylog.cli.main.run(argv)`, the function
the console script calls, with stdin, stdout, stderr and the environment of that one call
swapped in, so a test sees what a user would: the exit status and both streams. Nothing
is mocked: the command opens the real SQLite file and checks answers in the real torch
sandbox (the process-wide worker, shared by every in-process call). `cli_process` runs
the same command as a real `python -m studylog` process, for what only a process shows:
start-up, exit statuses set by `main()`, signals and broken pipes.

`db` is a fresh SQLite file's Path; in a module marked `pytestmark = pytest.mark.engines`
each test that uses it runs twice, with `db` a target string: a SQLite file's path, then
the URL of a new database on the PostgreSQL server named by $STUDYLOG_TEST_PG (skipped
without one, a failure under CI=true; `make test-pg` and `.ci/run` start a server).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from cards.sandbox.serverlink import ServerSpec, ServerUnavailable, stop_server
from studylog.cli.main import run as run_cli
from studylog.paths import ServerDatabase
from studylog.store.engine import open_engine

if TYPE_CHECKING:
    from tests.pg_databases import Databases

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "2022-01-24-pytorch.md"
# The topics the example's notes are about, which its cards must cover (issue 3's list).
EXAMPLE_CARD_TOPICS = frozenset(
    {"view", "reshape", "squeeze", "unsqueeze", "dot", "mm", "matmul"}
    | {"autograd", "graph_types", "nn.functional"}
)


@dataclass(frozen=True)
class Run:
    """A finished CLI run."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.out)


CLI = Callable[..., Run]


@contextlib.contextmanager
def _environment(changes: Mapping[str, str]) -> Iterator[None]:
    """os.environ with `changes` for the duration, restored exactly afterwards."""
    saved = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    if "TZ" in changes:
        time.tzset()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if "TZ" in changes:
            time.tzset()


@contextlib.contextmanager
def _stdin(text: str | None) -> Iterator[None]:
    """sys.stdin reads `text` (an empty stream when None)."""
    saved = sys.stdin
    sys.stdin = io.StringIO(text or "")
    try:
        yield
    finally:
        sys.stdin = saved


def _exit_status(code: object, err: io.StringIO) -> int:
    """The status a process would exit with after `sys.exit(code)`."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)  # sys.exit("message") prints it and exits with 1
    return 1


def run_in_process(argv: list[str], env: Mapping[str, str], stdin: str | None = None) -> Run:
    """`studylog ARGV…` run by `run(argv)` in this process, with `env` set for the call.

    An exception that `run` lets escape is not turned into an exit status: it fails the
    test, as the traceback a user would see is always a bug.
    """
    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(env),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        _stdin(stdin),
    ):
        try:
            code = run_cli(argv)
        except SystemExit as exit_:  # argparse's usage errors and --help
            code = _exit_status(exit_.code, err)
    return Run(code, out.getvalue(), err.getvalue())


def run_process(
    argv: list[str], env: Mapping[str, str], stdin: str | None = None, timeout: float = 120
) -> Run:
    """`python -m studylog ARGV…` as a real process, with `env` added to this one's."""
    done = subprocess.run(
        [sys.executable, "-m", "studylog", *argv],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **env},
        timeout=timeout,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def _private_runtime_dir() -> Path:
    # Short, under /tmp: a Unix socket's path has at most 107 bytes.
    return Path(tempfile.mkdtemp(prefix="sl-", dir="/tmp"))


def _end_runtime_dir(folder: Path) -> None:
    # A folder a test made unsafe holds no server: none is ever started there.
    with contextlib.suppress(ServerUnavailable):
        stop_server(ServerSpec(folder))
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def session_runtime_dir() -> Iterator[Path]:
    """A runtime folder for the whole run, so that fixtures built once per module never
    start a sandbox server in the user's own runtime directory."""
    folder = _private_runtime_dir()
    before = os.environ.get("STUDYLOG_RUNTIME_DIR")
    os.environ["STUDYLOG_RUNTIME_DIR"] = str(folder)
    yield folder
    if before is None:
        del os.environ["STUDYLOG_RUNTIME_DIR"]
    else:
        os.environ["STUDYLOG_RUNTIME_DIR"] = before
    _end_runtime_dir(folder)


@pytest.fixture
def runtime_dir(session_runtime_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A runtime folder of the test's own, for tests about the sandbox server itself; a
    server started there is stopped when the test ends. Every other test shares the
    session's folder, and so one warm server per test process."""
    folder = _private_runtime_dir()
    monkeypatch.setenv("STUDYLOG_RUNTIME_DIR", str(folder))
    yield folder
    _end_runtime_dir(folder)


ENGINES = ("sqlite", "postgresql")
# The admin URL of a PostgreSQL server the tests may create databases on.
PG_ADMIN_URL = "STUDYLOG_TEST_PG"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test of a module marked `engines` that uses `db` once per engine; a
    test's own `@pytest.mark.engines("sqlite")` narrows its module's list."""
    marker = metafunc.definition.get_closest_marker("engines")
    if marker is not None and "db" in metafunc.fixturenames:
        metafunc.parametrize("db", marker.args or ENGINES, indirect=True)


def _migrate(url: str) -> None:
    open_engine(ServerDatabase(url)).dispose()


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[Databases]:
    """This test process's maker of PostgreSQL databases, on $STUDYLOG_TEST_PG's server.

    Without the variable the PostgreSQL runs are skipped, except under CI, which must run
    them: there a missing server fails every one of them.
    """
    admin_url = os.environ.get(PG_ADMIN_URL)
    if not admin_url:
        message = f"${PG_ADMIN_URL} is not set: no PostgreSQL server to test against"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} (CI must run both engines; .ci/run starts one)")
        pytest.skip(f"{message} (`make test-pg` starts one)")
    # psycopg is imported only where PostgreSQL is used.
    from tests.pg_databases import Databases

    databases = Databases(admin_url, _migrate)
    yield databases
    databases.close()


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """A fresh database in the test's own folder (a Path), or, in a module marked
    `engines`, a target string per engine: a SQLite file's path, or the URL of a new
    database on the PostgreSQL test server."""
    engine = getattr(request, "param", None)
    if engine is None:
        yield tmp_path / "studylog.db"
    elif engine == "sqlite":
        yield str(tmp_path / "studylog.db")
    else:
        databases: Databases = request.getfixturevalue("pg_databases")
        url = databases.create()
        yield url
        databases.drop(url)


def cli_env(config: Path) -> dict[str, str]:
    """The variables every CLI run in the tests gets: its own settings file, no colour."""
    return {"STUDYLOG_CONFIG": str(config), "NO_COLOR": "1"}


def make_cli(db: Path | str, config: Path, runner: Callable[..., Run] = run_in_process) -> CLI:
    """`cli(*args, stdin=None, env_vars=None)`: `studylog --db DB ARGS…` with `config` as its
    settings file, run by `runner` (in this process unless told otherwise)."""
    env = cli_env(config)

    def run(*args: str, stdin: str | None = None, env_vars: dict[str, str] | None = None) -> Run:
        return runner(["--db", str(db), *args], {**env, **(env_vars or {})}, stdin)

    return run


@pytest.fixture
def cli(db: Path | str, tmp_path: Path) -> CLI:
    """Run `studylog --db DB ARGS…` in this process and return what a script would see."""
    return make_cli(db, tmp_path / "config.toml")


@pytest.fixture
def cli_process(db: Path | str, tmp_path: Path) -> CLI:
    """Run `studylog --db DB ARGS…` as a subprocess, the way a script would."""
    return make_cli(db, tmp_path / "config.toml", run_process)
