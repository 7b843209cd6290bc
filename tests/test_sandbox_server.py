"""The shared sandbox server, for real: started by the first check, reused by the next,
replaced when stale, one for concurrent first invocations, gone when idle or stopped, and
never a hang when it dies in the middle of a check.

Each test has its own runtime folder (the `runtime_dir` fixture), which stops any server
started there when the test ends.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cards.sandbox import FailureKind, RunResult, Sandbox
from cards.sandbox.serverlink import ServerSpec, server_status
from studylog import __version__
from studylog.config import Config
from studylog.context import AppContext
from tests.conftest import CLI, EXAMPLE


@pytest.fixture
def cli(cli_process: CLI) -> CLI:
    """Each command a process of its own: the server is shared across invocations, and an
    in-process caller would keep its connection (and so the server) alive."""
    return cli_process


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def server_pids(folder: Path) -> list[int]:
    """Live processes running `cards.sandbox.server` on a socket in `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ours = b"cards.sandbox.server" in argv and any(str(folder).encode() in a for a in argv)
        if ours and running(int(entry.name)):
            found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def card_id(cli: CLI) -> str:
    """An executable card of the example (its answer is an error torch raises)."""
    assert cli("import", str(EXAMPLE)).code == 0
    cards = cli("cards", "list", "--json").json()
    return str(next(c["id"] for c in cards if c["key"] == "gen:dot.not_2d"))


def check(cli: CLI, card_id: str) -> dict[str, object]:
    run = cli("check", card_id, "RuntimeError", "--seed", "1", "--json")
    assert run.code == 0, run.err
    verdict: dict[str, object] = run.json()
    return verdict


def test_first_check_starts_a_server_the_next_reuses_and_stop_ends_it(
    cli: CLI, card_id: str, runtime_dir: Path
) -> None:
    assert cli("sandbox", "status", "--json").json()["running"] is False
    assert check(cli, card_id)["correct"] is True
    status = cli("sandbox", "status", "--json").json()
    assert status["running"] and status["current"] and status["checks"] >= 1
    sock = runtime_dir / "sandbox.sock"
    info = sock.lstat()
    assert stat.S_ISSOCK(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert info.st_uid == os.getuid()
    assert check(cli, card_id)["correct"] is True
    again = cli("sandbox", "status", "--json").json()
    assert again["pid"] == status["pid"]
    assert again["checks"] > status["checks"]
    assert server_pids(runtime_dir) == [status["pid"]]
    human = cli("sandbox", "status").out
    assert f"pid {status['pid']}" in human and "torch" in human

    stopped = cli("sandbox", "stop")
    assert stopped.out.strip() == f"stopped the sandbox server (pid {status['pid']})"
    assert not running(status["pid"])
    assert not sock.exists()
    assert cli("sandbox", "status").out.startswith("no sandbox server running")


def test_concurrent_first_checks_start_one_server(
    cli: CLI, card_id: str, runtime_dir: Path
) -> None:
    verdicts: list[dict[str, object]] = []
    runs = [threading.Thread(target=lambda: verdicts.append(check(cli, card_id))) for _ in range(3)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(120)
    assert len(verdicts) == 3 and all(v["correct"] is True for v in verdicts)
    assert len(server_pids(runtime_dir)) == 1
    # One server answered all three: none was started, then lost a race and replaced.
    assert cli("sandbox", "status", "--json").json()["checks"] == 3


def test_a_dead_socket_is_cleaned_up_and_a_stale_server_replaced(
    cli: CLI, card_id: str, runtime_dir: Path
) -> None:
    # A socket file nobody listens on, as a server killed with SIGKILL leaves behind.
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(runtime_dir / "sandbox.sock"))
    dead.close()
    assert check(cli, card_id)["correct"] is True
    first = cli("sandbox", "status", "--json").json()
    assert first["running"] and first["current"]

    # A server of another studylog version, listening at the same socket.
    spec = ServerSpec(runtime_dir, app_version=__version__)
    cli("sandbox", "stop")
    old = subprocess.Popen(
        [
            *(sys.executable, "-m", "cards.sandbox.server"),
            *("--socket", str(spec.socket_path), "--app-version", "0.0.1-old"),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert wait_until(lambda: server_status(spec) is not None, 30)
        stale = cli("sandbox", "status", "--json").json()
        assert stale["pid"] == old.pid and stale["current"] is False
        assert "the next check replaces it" in cli("sandbox", "status").out
        assert check(cli, card_id)["correct"] is True
        old.wait(15)  # told to stop by the check that replaced it
        fresh = cli("sandbox", "status", "--json").json()
        assert fresh["current"] and fresh["pid"] != old.pid
        assert server_pids(runtime_dir) == [fresh["pid"]]
    finally:
        if old.poll() is None:
            os.killpg(old.pid, signal.SIGKILL)
            old.wait()


def test_the_server_exits_after_the_configured_idle_time(
    cli: CLI, card_id: str, runtime_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "config.toml").write_text("[sandbox]\nidle_minutes = 0.05\n", encoding="utf-8")
    assert check(cli, card_id)["correct"] is True
    status = cli("sandbox", "status", "--json").json()
    assert status["idle_timeout_s"] == pytest.approx(3.0)
    assert wait_until(lambda: not running(status["pid"]), 30), "the server outlived its idle time"
    assert not (runtime_dir / "sandbox.sock").exists()
    assert server_pids(runtime_dir) == []


def test_bad_idle_setting_is_one_line(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[sandbox]\nidle_minutes = 0\n", encoding="utf-8")
    run = cli("sandbox", "status")
    assert run.code == 1
    assert run.err.strip() == (
        f"studylog: error: {tmp_path / 'config.toml'}: "
        "sandbox.idle_minutes must be a number of minutes > 0"
    )


def test_a_check_while_the_server_is_killed_ends_within_15_s(runtime_dir: Path) -> None:
    spec = ServerSpec(runtime_dir, app_version=__version__)
    with Sandbox(server=spec) as sandbox:
        assert sandbox.wait_ready(120)
        status = server_status(spec)
        assert status is not None
        outcome: list[RunResult] = []
        # About a second of work, so that the kill lands while it runs; time enough for a
        # second run on a loaded machine.
        slow = "x = 0\nfor i in range(10_000_000):\n    x += i"
        runner = threading.Thread(
            target=lambda: outcome.append(sandbox.run(slow, ["x"], timeout_s=10))
        )
        started = time.monotonic()
        runner.start()
        time.sleep(0.3)
        os.killpg(status["pid"], signal.SIGKILL)
        runner.join(20)
        elapsed = time.monotonic() - started
        assert outcome, "the check hung"
        assert elapsed < 15
        result = outcome[0]
        if result.ok:
            assert result.values[0].text == str(sum(range(10_000_000)))
        else:
            assert result.failure is not None and result.failure.kind is FailureKind.UNAVAILABLE
            assert result.failure.message.startswith("the sandbox server stopped during this check")
        # Whatever happened, the next check is answered; so is one after the server was
        # killed between checks.
        for _ in range(2):
            assert sandbox.wait_ready(120)
            after = sandbox.run("x = torch.ones(2)", ["int(x.sum())"])
            assert after.ok, after.failure
            assert after.values[0].text == "2"
            status = server_status(spec)
            assert status is not None
            os.killpg(status["pid"], signal.SIGKILL)


def test_the_tui_uses_a_running_server_and_starts_none(
    cli: CLI, card_id: str, db: Path, runtime_dir: Path
) -> None:
    tui = AppContext(db=str(db), config=Config(), start_sandbox_server=False)
    spec = tui.sandbox_server
    private = Sandbox(server=spec, start_server=False)
    try:
        assert private.wait_ready(120)  # no server: a worker of its own
        assert server_status(spec) is None and server_pids(runtime_dir) == []
    finally:
        private.close()
    assert check(cli, card_id)["correct"] is True
    # The check's process has hung up once the server has seen it go.
    assert wait_until(lambda: (server_status(spec) or {}).get("connections") == 0, 10)
    status = server_status(spec)
    assert status is not None
    assert tui.sandbox().wait_ready(120)
    question = tui.quiz.question(int(card_id), 1)
    assert tui.quiz.check(question, "RuntimeError").correct
    attached = server_status(spec)
    assert attached is not None
    assert attached["connections"] == 1 and attached["checks"] > status["checks"]


def test_a_runtime_folder_others_can_write_is_not_used(
    cli: CLI, card_id: str, runtime_dir: Path
) -> None:
    runtime_dir.chmod(0o777)
    try:
        assert check(cli, card_id)["correct"] is True  # on a worker of its own
        assert not (runtime_dir / "sandbox.sock").exists() and server_pids(runtime_dir) == []
        status = cli("sandbox", "status")
        assert (status.code, status.err) == (
            1,
            f"studylog: error: {runtime_dir}: not private to this user\n",
        )
    finally:
        runtime_dir.chmod(0o700)  # for the fixture that ends the folder
