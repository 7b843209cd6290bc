"""TUI start-up benchmark, in a real terminal: tmux at 120×40.

For each run, `studylog --db DEMO` is launched in a fresh tmux session and the pane is
polled (capture-pane) until
- the first screen is painted (the Today screen's panels are on screen), and
- its content is in (the cards due and the tasks, which arrive once the services load).
Baseline, launched the same way with the same Python: a minimal Textual app that shows one
Static. Medians over `--runs` (5) runs of each.

Once the app is up and the sandbox has imported torch, the benchmark reads /proc/PID/maps of
the UI process (libtorch must not be mapped) and of its sandbox worker (where it must be),
then presses ctrl+q and reads the exit status.

Run: .venv/bin/python benchmarks/bench_tui_start.py [--runs 5] [--json OUT]
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Figure, report

ROOT = Path(__file__).resolve().parent.parent
STUDYLOG = Path(sys.executable).parent / "studylog"
NOW = "2022-01-29T10:00"
FIRST_PAINT = "Cards due now"  # a panel title of the Today screen's first frame
CONTENT = "to review"  # "Press r to review 20 cards.": the due counts are in
TASKS = "open"  # "Today's tasks · 12 open": the tasks are in
BASELINE_TEXT = "baseline ready"
BASELINE_APP = f"""
from textual.app import App
from textual.widgets import Static

class Baseline(App):
    def compose(self):
        yield Static({BASELINE_TEXT!r})

Baseline().run()
"""
POLL_S = 0.01
TIMEOUT_S = 60.0


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def pane_text(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


@dataclass
class Launch:
    """One app launched in its own tmux session."""

    session: str
    status_file: Path
    started: float

    def wait_for(self, *markers: str) -> float:
        """Seconds from launch until every marker is on screen."""
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            screen = pane_text(self.session)
            if all(marker in screen for marker in markers):
                return time.perf_counter() - self.started
            time.sleep(POLL_S)
        raise TimeoutError(f"{markers} not on screen after {TIMEOUT_S} s:\n{screen}")

    def shell_pid(self) -> int:
        return int(tmux("list-panes", "-t", self.session, "-F", "#{pane_pid}").split()[0])

    def quit(self) -> int | None:
        """Press ctrl+q; the app's exit status (None if it did not exit)."""
        tmux("send-keys", "-t", self.session, "C-q")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.status_file.exists() and self.status_file.read_text().strip():
                status = int(self.status_file.read_text())
                tmux("kill-session", "-t", self.session)
                return status
            time.sleep(0.05)
        tmux("kill-session", "-t", self.session)
        return None


def launch(session: str, argv: list[str], folder: Path) -> Launch:
    """Start `argv` in a detached 120×40 tmux session; its status goes to a file."""
    status = folder / f"{session}.status"
    status.unlink(missing_ok=True)
    command = f"{shlex.join(argv)}; echo $? > {shlex.quote(str(status))}; sleep 30"
    env = {**os.environ, "TZ": os.environ.get("TZ", "UTC")}
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command],
        check=True,
        env=env,
    )
    return Launch(session, status, started)


def children(pid: int) -> list[int]:
    """Children started by any thread of `pid` (the sandbox is started from a worker)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in task.read_text().split()]
    return found


def descendants(pid: int) -> list[int]:
    out: list[int] = []
    for child in children(pid):
        out += [child, *descendants(child)]
    return out


def cmdline(pid: int) -> str:
    raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    return raw.replace(b"\0", b" ").decode(errors="replace")


def maps_libtorch(pid: int) -> bool:
    return "libtorch" in Path(f"/proc/{pid}/maps").read_text()


def median_s(fn: Callable[[int], float], runs: int) -> float:
    return statistics.median(fn(n) for n in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("bench_tui_start: needs tmux")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "demo.db"
        env = {**os.environ, "STUDYLOG_CONFIG": str(folder / "config.toml")}
        os.environ.update(env)
        subprocess.run([str(STUDYLOG), "--db", str(db), "demo"], check=True, env=env)
        app_argv = [str(STUDYLOG), "--db", str(db), "--now", NOW]
        base_argv = [sys.executable, "-c", BASELINE_APP]

        paints: list[float] = []
        contents: list[float] = []
        for n in range(args.runs):
            run = launch(f"bench-tui-{os.getpid()}-{n}", app_argv, folder)
            paints.append(run.wait_for(FIRST_PAINT))
            contents.append(run.wait_for(CONTENT, TASKS))
            if n < args.runs - 1:
                run.quit()
        baselines = []
        for n in range(args.runs):
            base = launch(f"bench-base-{os.getpid()}-{n}", base_argv, folder)
            baselines.append(base.wait_for(BASELINE_TEXT))
            base.quit()

        # The last app run is still up: wait for torch in the sandbox, then look at maps.
        run.wait_for("torch sandbox ready")
        shell = run.shell_pid()
        procs = [(pid, cmdline(pid)) for pid in [shell, *descendants(shell)]]
        ui = next(pid for pid, cmd in procs if "studylog" in cmd and "--db" in cmd)
        workers = [pid for pid, cmd in procs if "cards.sandbox.worker" in cmd]
        ui_maps = maps_libtorch(ui)
        worker_maps = any(maps_libtorch(pid) for pid in workers)
        status = run.quit()

    base = statistics.median(baselines) * 1000
    report(
        "TUI start-up in tmux 120×40 (demo journal)",
        [
            Figure(
                "first paint (Today screen)",
                statistics.median(paints) * 1000,
                base,
                "minimal Textual app, one Static",
                "ms",
                1000.0,
            ),
            Figure(
                "due cards and tasks on screen",
                statistics.median(contents) * 1000,
                base,
                "minimal Textual app, one Static",
                "ms",
            ),
        ],
        args.json,
    )
    print(f"runs: {args.runs}; first paint each (ms): {[round(p * 1000) for p in paints]}")
    print(f"content each (ms): {[round(c * 1000) for c in contents]}")
    print(f"baseline each (ms): {[round(b * 1000) for b in baselines]}")
    print(f"UI process {ui}: libtorch mapped: {'YES' if ui_maps else 'no'}")
    print(f"sandbox worker {workers}: libtorch mapped: {'yes' if worker_maps else 'NO'}")
    print(f"ctrl+q exit status: {status}")


if __name__ == "__main__":
    main()
