"""The CLI as a real `python -m studylog` process: what only a process shows.

Every other CLI test runs commands in the test process through `run(argv)`; these check
the parts around it: start-up, the statuses `main()` exits with, Ctrl-C, a reader that
goes away, and that the CLI process leaves torch to the sandbox worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CLI, EXAMPLE, cli_env

pytestmark = pytest.mark.engines


def _environment(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, **cli_env(tmp_path / "config.toml")}


@pytest.mark.engines("sqlite")  # exit statuses, before any database
def test_help_usage_errors_and_failures_exit_with_their_status(cli_process: CLI) -> None:
    helped = cli_process("--help")
    assert helped.code == 0 and helped.out.startswith("usage: studylog")
    assert "import" in helped.out and helped.err == ""
    unknown = cli_process("no-such-command")
    assert unknown.code == 2 and "invalid choice: 'no-such-command'" in unknown.err
    assert "Traceback" not in unknown.err
    missing = cli_process("show", "2022-01-30")
    assert missing.code == 1
    assert missing.err == "studylog: error: 2022-01-30: no entry for that day\n"
    assert cli_process("entries").code == 0


@pytest.mark.engines("sqlite")  # exit statuses, before any database
def test_no_command_without_a_terminal_exits_2(cli_process: CLI) -> None:
    run = cli_process(stdin="")
    assert run.code == 2
    assert run.err == (
        "studylog: error: the terminal UI needs a terminal; `studylog --help` lists the commands\n"
    )


def _as_from_a_terminal() -> None:
    # A shell starts a command with SIGINT unblocked and at its default; a test worker's
    # own mask or disposition (which a child would inherit) must not decide the outcome.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.engines("sqlite")  # signals, not the store
def test_ctrl_c_exits_130_without_a_traceback(db: str, tmp_path: Path) -> None:
    started = tmp_path / "editor-started"
    editor = tmp_path / "slow.sh"
    editor.write_text(f"#!/bin/sh\ntouch '{started}'\nexec sleep 60\n", encoding="utf-8")
    editor.chmod(0o755)
    env = {**_environment(tmp_path), "EDITOR": str(editor), "VISUAL": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "studylog", "--db", str(db), "write", "2022-01-24"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
        preexec_fn=_as_from_a_terminal,
    )
    deadline = time.monotonic() + 60
    while not started.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the editor never started"
        time.sleep(0.05)
    # Ctrl-C at a terminal signals the whole foreground group: studylog and its editor.
    # Signalling studylog alone could leave the editor (holding studylog's output pipes)
    # running when the signal lands before studylog waits for it.
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err
    assert out == b""


def test_a_reader_that_goes_away_ends_the_command_quietly(
    cli: CLI, db: str, tmp_path: Path
) -> None:
    assert cli("import", str(EXAMPLE)).code == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "studylog", "--db", str(db), "export"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(tmp_path),
    )
    assert proc.stdout is not None
    proc.stdout.close()  # like `studylog export | head -0`
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141
    assert err == b""


@pytest.mark.engines("sqlite")  # lists the modules a SQLite run imports
def test_checking_an_answer_leaves_torch_to_the_sandbox(cli: CLI, cli_process: CLI) -> None:
    cli("import", str(EXAMPLE))
    card = next(c for c in cli("cards", "list", "--json").json() if c["key"] == "gen:dot.not_2d")
    # Python lists every module the process imports on stderr, one per line.
    profiled = {"PYTHONPROFILEIMPORTTIME": "1"}
    run = cli_process(
        "--json", "check", str(card["id"]), "RuntimeError", "--seed", "1", env_vars=profiled
    )
    assert run.code == 0, run.err[-2000:]
    assert run.json()["correct"] is True  # torch ran, in the worker
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.err.splitlines() if "|" in line}
    assert {"sqlite3", "cards.sandbox.runner"} <= imported  # the listing is complete
    assert not {name for name in imported if name.split(".")[0] == "torch"}
