"""The parent-side handle on the torch sandbox. Never imports torch.

`Sandbox.start()` launches the worker (`python -m cards.sandbox.worker`) and returns at
once; the worker imports torch in the background and announces when it is ready. `run()`
checks code against the policy, sends it, and waits for the answer. A worker that dies is
replaced transparently; nothing in here raises for a sandbox failure — every failure is a
`RunResult` with a clear message.

Given a `ServerSpec`, a sandbox talks to the shared sandbox server instead (see
`serverlink`), which serves one warm worker to every invocation; it starts that server
when none is running (`start_server`), and falls back to a private worker when the server
cannot be used. A server that goes away during a run is replaced and the run tried once
more, within `SERVER_RETRY_S`.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import IO, Any

from cards.sandbox import serverlink
from cards.sandbox.environment import sandbox_env
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
# When the server goes away during a run: how long the replacement may take to be ready,
# so that the run still ends well within 15 s.
SERVER_RETRY_S = 8.0


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
            try:
                chunk = os.read(self.fd, 1 << 16)
            except ConnectionResetError:  # the server was killed: it is gone, like EOF
                chunk = b""
            if chunk:
                self.buffer += chunk
            else:
                self.eof = True


class _Channel:
    """Messages to and from a worker, or from the server relaying one: a thread waits for
    the `ready` message; run() reads the answers after that."""

    def __init__(self, fd: int) -> None:
        self.started_at = time.monotonic()
        self.ready_at: float | None = None
        self.info: dict[str, Any] = {}
        self.ready = threading.Event()
        self.exited = threading.Event()
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=20)
        self.lines = _Lines(fd)
        threading.Thread(target=self._wait_until_ready, daemon=True).start()

    def _wait_until_ready(self) -> None:
        """Runs until the worker says it is ready (or dies); run() reads after that."""
        while (message := self.receive(None)) is not None:
            if message.get("ready"):
                self.info = message
                self.ready_at = time.monotonic()
                self.ready.set()
                return
            if message.get("failed"):
                self.stderr_tail.append(str(message["failed"]))

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

    @property
    def alive(self) -> bool:
        return not self.exited.is_set()

    def send(self, message: dict[str, Any]) -> bool:
        raise NotImplementedError

    def last_words(self) -> str:
        lines = [line for line in self.stderr_tail if line.strip()]
        return lines[-1] if lines else ""

    def stop(self, grace_s: float = 1.0) -> None:
        raise NotImplementedError

    def kill(self) -> None:
        raise NotImplementedError


class _WorkerProcess(_Channel):
    """One private worker process: its pipes, and a thread that keeps the tail of its
    stderr for error messages."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
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
        super().__init__(self.proc.stdout.fileno())
        threading.Thread(target=self._drain, args=(self.proc.stderr,), daemon=True).start()

    def _drain(self, stream: IO[bytes]) -> None:
        for line in stream:
            self.stderr_tail.append(line.decode(errors="replace").rstrip())

    @property
    def alive(self) -> bool:
        return super().alive and self.proc.poll() is None

    def send(self, message: dict[str, Any]) -> bool:
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            stdin.write(encode(message))
            stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            return False
        return True

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


class _ServerChannel(_Channel):
    """An attached connection to the shared sandbox server. Stopping or killing it only
    hangs up: the server and its worker serve others."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._hung_up = False
        self._reading = True
        self._closing = threading.Lock()
        super().__init__(sock.fileno())

    def _wait_until_ready(self) -> None:
        try:
            super()._wait_until_ready()
        finally:
            with self._closing:
                self._reading = False
                if self._hung_up:
                    self.sock.close()

    def send(self, message: dict[str, Any]) -> bool:
        try:
            self.sock.sendall(encode(message))
        except OSError:
            return False
        return True

    def stop(self, grace_s: float = 1.0) -> None:
        self.kill()

    def kill(self) -> None:
        # shutdown() wakes a reader waiting for `ready` with an end of file. The socket is
        # closed only once no thread reads it: its descriptor could otherwise be reused
        # by the next connection while that thread still reads from the number.
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        with self._closing:
            self._hung_up = True
            if not self._reading:
                self.sock.close()


class Sandbox:
    """A torch sandbox: one worker process, forking a fresh child for every run.

    Thread-safe: runs are serialised with a lock. Use as a context manager, or call
    `close()`. Limits: `memory_limit_bytes` of address space above what torch maps
    (1 GiB by default), `cpu_seconds` of CPU time (default: the run's timeout + 1 s).
    `prefork` keeps a spare child forked ahead of each run; `hugepages` backs the worker's
    heap with huge pages so forking is cheap. Both are on by default and exist to be
    measured (see benchmarks/bench_sandbox.py).

    `server`: use the shared sandbox server there (starting it if `start_server`) rather
    than a worker of this process's own; the worker's options then are the server's.
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
        server: serverlink.ServerSpec | None = None,
        start_server: bool = True,
    ) -> None:
        self.server = server
        self.start_server = start_server
        self.memory_limit_bytes = memory_limit_bytes
        self.cpu_seconds = cpu_seconds
        self.startup_timeout_s = startup_timeout_s
        self.prefork = prefork
        self.hugepages = hugepages
        self.python = python or sys.executable
        self._lock = threading.Lock()
        self._worker: _Channel | None = None
        self._next_id = 0
        self._closed = False
        self._launch_error = ""
        self.server_error = ""
        """Why the shared server could not be used, when this sandbox fell back."""

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
        return self.submit(
            {
                "code": code,
                "exprs": list(exprs),
                "timeout_s": timeout_s,
                "memory_bytes": self.memory_limit_bytes,
                "cpu_s": self.cpu_seconds,
            }
        )

    def submit(self, request: dict[str, Any]) -> RunResult:
        """`run` for a request already in the worker's shape (`code`, `exprs`,
        `timeout_s`, `memory_bytes`, `cpu_s`): what the server does with its clients'."""
        started = time.perf_counter()
        try:
            check_source(str(request.get("code", "")), mode="exec")
            for expr in request.get("exprs", ()):
                check_source(str(expr), mode="eval")
        except Rejected as exc:
            return RunResult.failed(FailureKind.REJECTED, str(exc))
        timeout_s = float(request.get("timeout_s") or DEFAULT_TIMEOUT_S)
        with self._lock:
            result = self._run_locked(dict(request), timeout_s)
        return RunResult(
            values=result.values,
            failure=result.failure,
            setup_error=result.setup_error,
            stdout=result.stdout,
            elapsed_s=time.perf_counter() - started,
        )

    def _run_locked(
        self, request: dict[str, Any], timeout_s: float, *, retry: bool = True
    ) -> RunResult:
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
            if retry and isinstance(worker, _ServerChannel):
                return self._run_elsewhere(request, timeout_s)
            return self._worker_lost(worker, "the sandbox worker stopped; it has been restarted")
        deadline = time.monotonic() + timeout_s + WORKER_GRACE_S
        while True:
            try:
                message = worker.receive(deadline)
            except TimeoutError:
                worker.kill()
                return self._worker_lost(worker, "the sandbox worker stopped responding")
            if message is None:
                if retry and isinstance(worker, _ServerChannel):
                    return self._run_elsewhere(request, timeout_s)
                return self._worker_lost(worker, "the sandbox worker crashed")
            if message.get("id") == request["id"]:
                try:
                    return RunResult.from_wire(message, 0.0)
                except (KeyError, TypeError, ValueError, AttributeError):
                    return RunResult.failed(FailureKind.CRASH, FORGED_MESSAGE)
            # An answer to an earlier, abandoned request: skip it.

    def _run_elsewhere(self, request: dict[str, Any], timeout_s: float) -> RunResult:
        """The server went away during a run (stopped, killed, replaced): run it once more
        on whatever replaces it, if that is ready within SERVER_RETRY_S."""
        if self._worker is not None:
            self._worker.kill()
            self._worker = None
        worker = self._ensure_started()
        if worker is None or not self._await_ready(worker, SERVER_RETRY_S):
            return RunResult.failed(
                FailureKind.UNAVAILABLE,
                "the sandbox server stopped during this check, and no other was ready "
                f"within {format_seconds(SERVER_RETRY_S)}; try again",
            )
        return self._run_locked(request, timeout_s, retry=False)

    def _await_ready(self, worker: _Channel, within_s: float | None = None) -> bool:
        deadline = time.monotonic() + (self.startup_timeout_s if within_s is None else within_s)
        while not worker.ready.wait(0.05):
            if not worker.alive or time.monotonic() >= deadline:
                return False
        return worker.alive

    def _ensure_started(self) -> _Channel | None:
        """The running worker, launching one if needed; None if it cannot be launched."""
        worker = self._worker
        if worker is not None and worker.alive:
            return worker
        if worker is not None:  # died since the last run: replace it
            worker.kill()
        self._worker = self._open()
        return self._worker

    def _open(self) -> _Channel | None:
        """The shared server if there is one to use, else a private worker."""
        if self.server is not None:
            try:
                sock = serverlink.connect(self.server, start=self.start_server)
            except serverlink.ServerUnavailable as exc:
                self.server_error = str(exc)
            else:
                if sock is not None:
                    return _ServerChannel(sock)
        return self._launch()

    def _worker_lost(self, worker: _Channel, message: str) -> RunResult:
        """Replace a worker that died or hung, in the background, and report it."""
        words = worker.last_words()
        worker.kill()
        self._worker = None if self._closed else self._open()  # warms up in the background
        detail = f" ({words})" if words else ""
        return RunResult.failed(FailureKind.CRASH, message + detail)

    def _launch(self) -> _WorkerProcess | None:
        argv = [self.python, "-P", "-m", "cards.sandbox.worker"]
        if not self.prefork:
            argv.append("--no-prefork")
        if not self.hugepages:
            argv.append("--no-hugepages")
        try:
            return _WorkerProcess(argv, sandbox_env())
        except OSError as exc:  # e.g. the interpreter is gone: a failure, not a crash
            self._launch_error = str(exc)
            return None


_shared: Sandbox | None = None
_shared_lock = threading.Lock()


def shared_sandbox(
    server: serverlink.ServerSpec | None = None, *, start_server: bool = True
) -> Sandbox:
    """The process-wide sandbox, started on first use and closed at interpreter exit.

    Asked for with other settings (say, another runtime folder), it closes the previous
    one and opens one with these, so repeated in-process runs each get what they ask for.
    """
    global _shared
    with _shared_lock:
        if _shared is not None and (_shared.server, _shared.start_server) != (
            server,
            start_server,
        ):
            _shared.close()
            _shared = None
        if _shared is None:
            _shared = Sandbox(server=server, start_server=start_server)
            _shared.start()
            atexit.register(_shared.close)
        return _shared
