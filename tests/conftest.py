"""Shared fixtures: paths to test data and a runner for the real CLI in a subprocess."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cards.sandbox.serverlink import ServerSpec, ServerUnavailable, stop_server

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


@pytest.fixture(autouse=True)
def runtime_dir(session_runtime_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A runtime folder of the test's own, so that no test shares a sandbox server with
    another or with the user; a server started there is stopped when the test ends."""
    folder = _private_runtime_dir()
    monkeypatch.setenv("STUDYLOG_RUNTIME_DIR", str(folder))
    yield folder
    _end_runtime_dir(folder)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A fresh database path in the test's own folder."""
    return tmp_path / "studylog.db"


@pytest.fixture
def cli(db: Path, tmp_path: Path) -> CLI:
    """Run `studylog --db DB ARGS…` as a subprocess, the way a script would."""
    env = {**os.environ, "STUDYLOG_CONFIG": str(tmp_path / "config.toml"), "NO_COLOR": "1"}

    def run(*args: str, stdin: str | None = None, env_vars: dict[str, str] | None = None) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", "studylog", "--db", str(db), *args],
            capture_output=True,
            text=True,
            input=stdin,
            env={**env, **(env_vars or {})},
            timeout=120,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run
