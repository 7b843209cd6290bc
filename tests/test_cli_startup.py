"""Start-up pays only for what the command uses: `--help` and `--version` load none of the
heavy libraries, and each command imports its own services when it runs."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from studylog import __version__
from tests.conftest import CLI, EXAMPLE

HEAVY = ("sqlalchemy", "sqlmodel", "textual", "fsrs", "torch")

# Runs the CLI in a fresh interpreter, then reports which top-level packages it loaded.
PROBE = """
import json, sys
from studylog.cli.main import run
status = run(sys.argv[1:])
loaded = sorted({name.split(".")[0] for name in sys.modules})
print("\\n" + json.dumps({"status": status, "loaded": loaded}))
"""


def loaded_by(report: dict[str, object]) -> set[str]:
    """The modules the probe found loaded."""
    loaded = report["loaded"]
    assert isinstance(loaded, list)
    return {str(name) for name in loaded}


def probe(*args: str) -> tuple[str, dict[str, object]]:
    """The output of `studylog ARGS…` run in a fresh interpreter, and what it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    out, _, report = done.stdout.rpartition("\n\n")
    return out, json.loads(report)


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_load_no_heavy_library(flag: str) -> None:
    out, report = probe(flag)
    assert report["status"] == 0
    loaded = loaded_by(report)
    assert not loaded & set(HEAVY), f"{flag} loaded {sorted(loaded & set(HEAVY))}"
    # Nothing third-party at all: the standard library, argparse and studylog itself.
    assert not loaded & {"platformdirs", "rich", "markdown_it", "journal", "cards"}
    if flag == "--version":
        assert out.strip() == f"studylog {__version__}"
    else:
        assert "sandbox" in out and "search" in out


def test_search_and_entries_load_no_orm(cli: CLI, db: Path) -> None:
    assert cli("import", str(EXAMPLE)).code == 0
    for args in (["search", "자동미분"], ["entries", "-n", "1"]):
        out, report = probe("--db", str(db), *args)
        assert report["status"] == 0
        assert "2022-01-24" in out
        loaded = loaded_by(report)
        assert not loaded & set(HEAVY), f"{args[0]} loaded {sorted(loaded & set(HEAVY))}"


def test_each_module_lists_the_commands_it_registers() -> None:
    from studylog.cli.main import build_parser

    def commands(parser: argparse.ArgumentParser) -> set[str]:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return set(sub.choices)

    every = commands(build_parser())
    assert every >= {"import", "search", "check", "review", "sandbox", "tasks", "stats"}
    for command in every:
        built = commands(build_parser(command))
        assert command in built and built < every
    assert commands(build_parser("no-such-command")) == every
