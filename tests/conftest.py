"""Shared fixtures: paths to test data and a runner for the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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
