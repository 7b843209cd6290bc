"""The parent-side handle on the torch sandbox. Never imports torch.

`Sandbox.start()` launches the worker (`python -m cards.sandbox.worker`) and returns at
once; the worker imports torch in the background and announces when it is ready. `run()`
checks code against the policy, sends it, and waits for the answer. A worker that dies is
replaced transparently; nothing in here raises for a sandbox failure — every failure is a
`RunResult` with a clear message.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from cards.sandbox.policy import Rejected, check_source
from cards.sandbox.protocol import (
    DEFAULT_MEMORY_BYTES,
    DEFAULT_TIMEOUT_S,
    FORGED_MESSAGE,
    FailureKind,
    RunResult,
    decode,
    encode,
    format_seconds,
)

# Extra time the runner gives the worker beyond the run's own timeout: forking, confining,
# describing results and the pipes. Only a hung worker ever uses it up.
WORKER_GRACE_S = 5.0
DEFAULT_STARTUP_TIMEOUT_S = 120.0
# The package root that must be importable in the worker (the folder holding `cards/`).
_ROOT = Path(__file__).resolve().parents[2]


class _Lines:
    """JSON lines from a pipe, read with a deadline by whoever is waiting for them.

    run() reads its answer itself instead of through a reader thread and a queue: under
    load every extra thread wake-up can cost a scheduling slice.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        self.eof = False

    def read(self, deadline: float | None) -> bytes | None:
        """The next line, None at end of file; TimeoutError once `deadline` passes."""
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line = bytes(self.buffer[: end + 1])
                del self.buffer[: end + 1]
                return line
            if self.eof:
                return None
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([self.fd], [], [], timeout)[0]:
                raise TimeoutError
            chunk = os.read(self.fd, 1 << 16)
            if chunk:
                self.buffer += chunk
            else:
                self.eof = True


class _WorkerProcess:
    """One worker process: its pipes, a thread that waits for it to be ready, and one
    that keeps the tail of its stderr for error messages."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started_at = time.monotonic()
        self.ready_at: float | None = None
        self.info: dict[str, Any] = {}
        self.ready = threading.Event()
        self.exited = threading.Event()
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=20)
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd="/",  # nothing relative to the user's folder is ever looked up
            start_new_session=True,  # its own process group: killable as a whole
            close_fds=True,
        )
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.lines = _Lines(self.proc.stdout.fileno())
        threading.Thread(target=self._wait_until_ready, daemon=True).start()
        threading.Thread(target=self._drain, args=(self.proc.stderr,), daemon=True).start()

    def _wait_until_ready(self) -> None:
        """Runs until the worker says it is ready (or dies); run() reads after that."""
        while (message := self.receive(None)) is not None:
            if message.get("ready"):
                self.info = message
                self.ready_at = time.monotonic()
                self.ready.set()
                return

    def receive(self, deadline: float | None) -> dict[str, Any] | None:
        """The next message; None if the worker is gone; TimeoutError past `deadline`."""
        while True:
            line = self.lines.read(deadline)
            if line is None:
                self.exited.set()
                return None
            try:
                return decode(line)
            except ValueError:
                self.stderr_tail.append(f"unreadable worker output: {line[:200]!r}")

    def _drain(self, stream: IO[bytes]) -> None:
        for line in stream:
            self.stderr_tail.append(line.decode(errors="replace").rstrip())

    @property
    def alive(self) -> bool:
        return not self.exited.is_set() and self.proc.poll() is None

    def send(self, message: dict[str, Any]) -> bool:
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            stdin.write(encode(message))
            stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            return False
        return True

    def last_words(self) -> str:
        lines = [line for line in self.stderr_tail if line.strip()]
        return lines[-1] if lines else ""

    def stop(self, grace_s: float = 1.0) -> None:
        """Close stdin (the worker exits on EOF), then kill the group if it lingers."""
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


class Sandbox:
    """A torch sandbox: one worker process, forking a fresh child for every run.

    Thread-safe: runs are serialised with a lock. Use as a context manager, or call
    `close()`. Limits: `memory_limit_bytes` of address space above what torch maps
    (1 GiB by default), `cpu_seconds` of CPU time (default: the run's timeout + 1 s).
    `prefork` keeps a spare child forked ahead of each run; `hugepages` backs the worker's
    heap with huge pages so forking is cheap. Both are on by default and exist to be
    measured (see benchmarks/bench_sandbox.py).
    """

    def __init__(
        self,
        *,
        memory_limit_bytes: int = DEFAULT_MEMORY_BYTES,
        cpu_seconds: float | None = None,
        startup_timeout_s: float = DEFAULT_STARTUP_TIMEOUT_S,
        prefork: bool = True,
        hugepages: bool = True,
        python: str | None = None,
    ) -> None:
        self.memory_limit_bytes = memory_limit_bytes
        self.cpu_seconds = cpu_seconds
        self.startup_timeout_s = startup_timeout_s
        self.prefork = prefork
        self.hugepages = hugepages
        self.python = python or sys.executable
        self._lock = threading.Lock()
        self._worker: _WorkerProcess | None = None
        self._next_id = 0
        self._closed = False
        self._launch_error = ""

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Launch the worker if it is not running; returns without waiting for torch."""
        with self._lock:
            self._closed = False
            self._ensure_started()

    @property
    def ready(self) -> bool:
        """Whether a worker is up with torch imported."""
        worker = self._worker
        return worker is not None and worker.ready.is_set() and worker.alive

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Start if needed and wait up to `timeout` seconds for torch to be imported."""
        self.start()
        worker = self._worker
        if worker is None:
            return False
        deadline = None if timeout is None else time.monotonic() + timeout
        # Wait on "ready" but notice a worker that died while importing.
        while not worker.ready.wait(0.05):
            if not worker.alive or (deadline is not None and time.monotonic() >= deadline):
                return False
        return worker.alive

    @property
    def startup_seconds(self) -> float | None:
        """Seconds from launching the current worker until it was ready (None until then)."""
        worker = self._worker
        if worker is None or worker.ready_at is None:
            return None
        return worker.ready_at - worker.started_at

    @property
    def torch_version(self) -> str | None:
        """The torch version the worker imported, once it is ready."""
        worker = self._worker
        return str(worker.info.get("torch")) if worker is not None and worker.info else None

    @property
    def confinement(self) -> str | None:
        """How the worker confines each child, once it is ready, e.g. "landlock ABI 7 +
        seccomp + rlimits"; a kernel without Landlock shows as "seccomp + rlimits"."""
        worker = self._worker
        if worker is None or not worker.info:
            return None
        return str(worker.info.get("confinement") or "rlimits")

    def close(self) -> None:
        """Stop the worker. A later `start()` or `run()` starts a new one."""
        with self._lock:
            self._closed = True
            if self._worker is not None:
                self._worker.stop()
                self._worker = None

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- running ------------------------------------------------------------------------

    def run(
        self, code: str, exprs: Sequence[str], *, timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> RunResult:
        """Run `code`, then evaluate each of `exprs` in its namespace, in a fresh child.

        Returns one value per expression, or a failure ("rejected: …", "timed out after
        2 s", "ran out of memory (limit 1 GiB)", …). Never raises for sandbox trouble.
        """
        started = time.perf_counter()
        try:
            check_source(code, mode="exec")
            for expr in exprs:
                check_source(expr, mode="eval")
        except Rejected as exc:
            return RunResult.failed(FailureKind.REJECTED, str(exc))
        request = {
            "code": code,
            "exprs": list(exprs),
            "timeout_s": timeout_s,
            "memory_bytes": self.memory_limit_bytes,
            "cpu_s": self.cpu_seconds,
        }
        with self._lock:
            result = self._run_locked(request, timeout_s)
        return RunResult(
            values=result.values,
            failure=result.failure,
            failure_kind=result.failure_kind,
            setup_error=result.setup_error,
            stdout=result.stdout,
            elapsed_s=time.perf_counter() - started,
        )

    def _run_locked(self, request: dict[str, Any], timeout_s: float) -> RunResult:
        worker = self._ensure_started()
        if worker is None:
            return RunResult.failed(
                FailureKind.UNAVAILABLE, f"the torch sandbox could not start: {self._launch_error}"
            )
        if not self._await_ready(worker):
            if not worker.alive:
                words = worker.last_words()
                self._worker = None  # the next run tries a fresh worker
                return RunResult.failed(
                    FailureKind.UNAVAILABLE,
                    "the torch sandbox failed to start" + (f": {words}" if words else ""),
                )
            return RunResult.failed(
                FailureKind.UNAVAILABLE,
                "the torch sandbox is still starting "
                f"(not ready after {format_seconds(self.startup_timeout_s)})",
            )
        self._next_id += 1
        request["id"] = self._next_id
        if not worker.send(request):
            return self._worker_lost(worker, "the sandbox worker stopped; it has been restarted")
        deadline = time.monotonic() + timeout_s + WORKER_GRACE_S
        while True:
            try:
                message = worker.receive(deadline)
            except TimeoutError:
                worker.kill()
                return self._worker_lost(worker, "the sandbox worker stopped responding")
            if message is None:
                return self._worker_lost(worker, "the sandbox worker crashed")
            if message.get("id") == request["id"]:
                try:
                    return RunResult.from_wire(message, 0.0)
                except (KeyError, TypeError, ValueError, AttributeError):
                    return RunResult.failed(FailureKind.CRASH, FORGED_MESSAGE)
            # An answer to an earlier, abandoned request: skip it.

    def _await_ready(self, worker: _WorkerProcess) -> bool:
        deadline = time.monotonic() + self.startup_timeout_s
        while not worker.ready.wait(0.05):
            if not worker.alive or time.monotonic() >= deadline:
                return False
        return worker.alive

    def _ensure_started(self) -> _WorkerProcess | None:
        """The running worker, launching one if needed; None if it cannot be launched."""
        worker = self._worker
        if worker is not None and worker.alive:
            return worker
        if worker is not None:  # died since the last run: replace it
            worker.kill()
        self._worker = self._launch()
        return self._worker

    def _worker_lost(self, worker: _WorkerProcess, message: str) -> RunResult:
        """Replace a worker that died or hung, in the background, and report it."""
        words = worker.last_words()
        worker.kill()
        self._worker = None if self._closed else self._launch()  # warms up in the background
        detail = f" ({words})" if words else ""
        return RunResult.failed(FailureKind.CRASH, message + detail)

    def _launch(self) -> _WorkerProcess | None:
        argv = [self.python, "-P", "-m", "cards.sandbox.worker"]
        if not self.prefork:
            argv.append("--no-prefork")
        if not self.hugepages:
            argv.append("--no-hugepages")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH", "")) if p)
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            env[var] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        try:
            return _WorkerProcess(argv, env)
        except OSError as exc:  # e.g. the interpreter is gone: a failure, not a crash
            self._launch_error = str(exc)
            return None


_shared: Sandbox | None = None
_shared_lock = threading.Lock()


def shared_sandbox() -> Sandbox:
    """The process-wide sandbox, started on first use and closed at interpreter exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Sandbox()
            _shared.start()
            atexit.register(_shared.close)
        return _shared
