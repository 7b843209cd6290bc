"""The sandbox worker: `python -m cards.sandbox.worker [--no-prefork] [--no-hugepages]`.

It imports torch once, says it is ready, then serves requests (JSON lines on stdin, see
`protocol`). Each request runs in a fresh child forked from the worker, so nothing leaks
from one check to the next and the torch import is paid once.

Three measures keep a check fast (benchmarks/bench_sandbox.py measures each):
- one spare child is forked ahead of time, right after each answer is sent, which takes
  the fork off the critical path;
- the worker's heap sits on huge pages (`hugepages`), so that fork copies ~70 page-table
  entries instead of ~35,000;
- while it waits, the spare runs the warm-up snippets once (`warmup`), taking the
  copy-on-write faults a check would otherwise take on its critical path.

The child confines itself (`confine`), reads its request from a pipe, applies the CPU and
memory limits, restricts its filesystem view with the worker's prepared Landlock ruleset
(`landlock`), runs the code (`execute`) and writes one length-framed message carrying the
request's nonce to another pipe. Anything else on that pipe drops the child and makes the
run a sandbox failure, so a card can only ever affect its own verdict. The
worker caps how much it reads, enforces the wall-clock timeout by killing the child's
process group, and turns every way a child can end into a result with a clear message.

torch is imported in `main()` only, never when this module is imported.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import select
import signal
import sys
import time
import warnings
from dataclasses import dataclass
from typing import Any, BinaryIO

from cards.sandbox import confine, execute, hugepages, landlock, warmup
from cards.sandbox.protocol import (
    CPU_MESSAGE,
    DEFAULT_MEMORY_BYTES,
    DEFAULT_TIMEOUT_S,
    FORGED_MESSAGE,
    MAX_OUTPUT_BYTES,
    OUTPUT_MESSAGE,
    FailureKind,
    decode,
    encode,
    frame,
    memory_message,
    timeout_message,
    unframe,
)

MAX_REQUEST_BYTES = 1 << 20
# Exit code of a child whose own machinery failed (distinct from anything Python uses).
_EXIT_CHILD_BROKEN = 71
# A child that died by one of these after using most of its memory allowance ran out of it.
_OOM_SIGNALS = (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGKILL)


@dataclass
class _Child:
    """A forked child waiting for, or running, one request."""

    pid: int
    request_w: int
    result_r: int


@dataclass(frozen=True)
class _Limits:
    timeout_s: float
    memory_bytes: int
    cpu_s: float


class Worker:
    """Forks and supervises sandbox children; one request at a time."""

    def __init__(self, *, prefork: bool, ruleset: landlock.Ruleset) -> None:
        self.prefork = prefork
        self.ruleset = ruleset
        self._spare: _Child | None = None
        self._zombies: set[int] = set()
        # RSS of the worker, and so of a fresh child: the base for the memory heuristic.
        self._base_rss_kib = _rss_kib()

    def serve(self, requests: BinaryIO, responses: BinaryIO) -> None:
        """Answer requests until stdin closes."""
        if self.prefork:
            self._spare = self._fork()
        while line := requests.readline(MAX_REQUEST_BYTES):
            responses.write(self.handle(line))
            responses.flush()
            # Off the critical path: the answer is already on its way.
            self._reap(block=False)
            if self.prefork and self._spare is None:
                self._spare = self._fork()
        self.shutdown()

    def handle(self, line: bytes) -> bytes:
        """One request line in, one response line out; never raises."""
        try:
            request = decode(line)
            code = str(request.get("code", ""))
            exprs = [str(e) for e in request.get("exprs", ())]
            timeout_s = float(request.get("timeout_s") or DEFAULT_TIMEOUT_S)
            cpu_s = request.get("cpu_s")
            limits = _Limits(
                timeout_s=timeout_s,
                memory_bytes=int(request.get("memory_bytes") or DEFAULT_MEMORY_BYTES),
                # A backstop behind the wall clock: one CPU second more than it allows.
                cpu_s=float(cpu_s) if cpu_s is not None else timeout_s + 1,
            )
        except (ValueError, TypeError, AttributeError) as exc:
            return _failed(None, FailureKind.CRASH, f"bad request: {exc}")
        req_id = request.get("id")
        payload = {
            "nonce": os.urandom(16).hex(),
            "code": code,
            "exprs": exprs,
            "memory_bytes": limits.memory_bytes,
            "cpu_s": limits.cpu_s,
        }
        body = self._run_in_child(payload, limits)
        if isinstance(body, dict):
            return encode({**body, "id": req_id})
        return _failed(req_id, *body)

    def shutdown(self) -> None:
        """Dismiss the spare child and reap every child."""
        if self._spare is not None:
            os.close(self._spare.request_w)  # EOF: the spare exits on its own
            os.close(self._spare.result_r)
            self._zombies.add(self._spare.pid)
            self._spare = None
        self._reap(block=True)

    # -- one run ------------------------------------------------------------------------

    def _run_in_child(
        self, payload: dict[str, Any], limits: _Limits
    ) -> dict[str, Any] | tuple[FailureKind, str]:
        """The child's one result message, or why there is none."""
        child = self._take_child()
        deadline = time.monotonic() + limits.timeout_s
        try:
            _write_all(child.request_w, json.dumps(payload).encode())
        except OSError:
            pass  # the child died before reading; its exit status says why
        finally:
            os.close(child.request_w)
        data, outcome = _read_capped(child.result_r, deadline, MAX_OUTPUT_BYTES)
        os.close(child.result_r)

        if outcome == "eof" and data:
            message = unframe(data, payload["nonce"])
            if message is None:  # dropped: whatever else it does no longer matters
                _kill_group(child.pid)
                self._wait(child.pid, timeout=5.0)
                return FailureKind.CRASH, FORGED_MESSAGE
            self._zombies.add(child.pid)  # reaped later, after the answer is sent
            return message
        if outcome == "eof":
            status, rusage = self._wait(child.pid, timeout=1.0)
            return self._classify_death(status, rusage, limits)
        _kill_group(child.pid)
        self._wait(child.pid, timeout=5.0)
        if outcome == "too_large":
            return FailureKind.OUTPUT, OUTPUT_MESSAGE
        return FailureKind.TIMEOUT, timeout_message(limits.timeout_s)

    def _classify_death(
        self, status: int | None, rusage: Any, limits: _Limits
    ) -> tuple[FailureKind, str]:
        """Word the failure of a child that ended without a complete result."""
        if status is None:
            return FailureKind.CRASH, "crashed (the child vanished)"
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            cpu_used = rusage.ru_utime + rusage.ru_stime if rusage is not None else 0.0
            if sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu_used >= limits.cpu_s):
                return FailureKind.CPU, CPU_MESSAGE
            grown_kib = (rusage.ru_maxrss if rusage is not None else 0) - self._base_rss_kib
            if sig in _OOM_SIGNALS and grown_kib * 1024 >= limits.memory_bytes // 2:
                return FailureKind.MEMORY, memory_message(limits.memory_bytes)
            return FailureKind.CRASH, f"crashed (signal {sig})"
        code = os.WEXITSTATUS(status)
        if code == _EXIT_CHILD_BROKEN:
            return FailureKind.CRASH, "crashed (the sandbox child could not run the code)"
        return FailureKind.CRASH, f"crashed (exit code {code})"

    # -- children -----------------------------------------------------------------------

    def _take_child(self) -> _Child:
        spare, self._spare = self._spare, None
        if spare is not None and _still_running(spare.pid):
            return spare
        if spare is not None:  # died while waiting (killed from outside): use a fresh one
            os.close(spare.request_w)
            os.close(spare.result_r)
        return self._fork()

    def _fork(self) -> _Child:
        request_r, request_w = os.pipe()
        result_r, result_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which never returns
            try:
                os.close(request_w)
                os.close(result_r)
                _child_main(request_r, result_w, self.ruleset)
            finally:
                os._exit(_EXIT_CHILD_BROKEN)
        os.close(request_r)
        os.close(result_w)
        return _Child(pid, request_w, result_r)

    def _wait(self, pid: int, timeout: float) -> tuple[int | None, Any]:
        """Reap `pid` with its rusage, killing its group if it outlives `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                got, status, rusage = os.wait4(pid, os.WNOHANG)
            except ChildProcessError:
                return None, None
            if got == pid:
                return status, rusage
            if time.monotonic() >= deadline:
                _kill_group(pid)
                _, status, rusage = os.wait4(pid, 0)
                return status, rusage
            time.sleep(0.002)

    def _reap(self, *, block: bool) -> None:
        for pid in list(self._zombies):
            try:
                got, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
            except ChildProcessError:
                got = pid
            if got == pid:
                self._zombies.discard(pid)


def _child_main(  # pragma: no cover - child only
    request_r: int, result_w: int, ruleset: landlock.Ruleset
) -> None:
    """Confine this fresh child, wait for its request, run it, write the result, exit."""
    import torch

    keep = (request_r, result_w) + ((ruleset.fd,) if ruleset.fd is not None else ())
    confine.confine_child(keep_fds=keep)
    sys.dont_write_bytecode = True  # lazy imports must not try to write .pyc files
    warmup.prewarm(request_r)
    raw = _read_all(request_r)
    os.close(request_r)
    if not raw:  # the worker is shutting down
        os._exit(0)
    request = json.loads(raw)
    memory = int(request["memory_bytes"])
    nonce = request.pop("nonce")
    # Framed up front so that it can be written even when memory is exhausted.
    oom = frame(
        {"nonce": nonce, "failure_kind": str(FailureKind.MEMORY), "failure": memory_message(memory)}
    )
    confine.limit_cpu(float(request["cpu_s"]))
    confine.limit_memory(memory)
    torch.set_num_threads(1)
    if ruleset.fd is not None and not landlock.restrict(ruleset):
        os._exit(_EXIT_CHILD_BROKEN)  # never run quiz code less confined than reported
    try:
        data = frame(
            {"nonce": nonce, **execute.run_request(request["code"], request["exprs"], memory)}
        )
    except MemoryError:
        data = oom
    _write_all(result_w, data)
    # Closing before exiting lets the worker answer at once: tearing down a process with
    # torch mapped takes milliseconds, and EOF would otherwise wait for it.
    os.close(result_w)
    os._exit(0)


def _read_capped(fd: int, deadline: float, cap: int) -> tuple[bytes, str]:
    """Read to EOF, the deadline, or past `cap` bytes: (data, "eof"|"timeout"|"too_large")."""
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"".join(chunks), "timeout"
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks), "eof"
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            return b"", "too_large"


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _failed(req_id: Any, kind: FailureKind, message: str) -> bytes:
    return encode({"id": req_id, "failure_kind": str(kind), "failure": message})


def _kill_group(pid: int) -> None:
    # The child leads its own process group (setsid); kill the pid as well in case it died
    # before getting that far. Only called before the child is reaped, so the ids cannot
    # have been reused.
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


def _still_running(pid: int) -> bool:
    try:
        got, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return got == 0


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii", errors="replace") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _protocol_streams() -> tuple[BinaryIO, BinaryIO]:
    """Move the protocol off fds 0 and 1, so that a stray print or a library writing to
    fd 1 can never corrupt it; fd 0 then reads /dev/null and fd 1 goes to stderr."""
    requests = os.fdopen(os.dup(0), "rb")
    responses = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return requests, responses


def main(argv: list[str] | None = None) -> int:
    """Import torch, announce readiness, and serve until stdin closes."""
    args = sys.argv[1:] if argv is None else argv
    requests, responses = _protocol_streams()
    started = time.perf_counter()
    # Before the import: one thread per library, and no warnings about optional numpy.
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    with contextlib.suppress(ImportError):  # optional; quiz code sees it as `np`
        importlib.import_module("numpy")
    execute.prepare()
    warmup.warm_up()
    # Every child starts from this RNG state: unseeded random code gives the same numbers
    # on every run, so a generated card's truth does not change between checks.
    torch.manual_seed(0)
    seccomp = confine.preload().filters is not None
    ruleset = landlock.prepare()
    if ruleset.fd is None:  # said once, on the worker's stderr; the level reports it too
        print(f"sandbox: {ruleset.reason}; confined by seccomp and rlimits only", file=sys.stderr)
    level = " + ".join(p for p in (ruleset.level, "seccomp" if seccomp else "", "rlimits") if p)
    # Move everything imported so far out of the collector's reach: a collection in a
    # child would otherwise touch, and so copy, every page of the inherited heap.
    gc.collect()
    gc.freeze()
    if "--no-hugepages" not in args:
        hugepages.collapse_anonymous_memory()
    worker = Worker(prefork="--no-prefork" not in args, ruleset=ruleset)
    ready = {
        "ready": True,
        "torch": torch.__version__,
        "import_s": time.perf_counter() - started,
        "confinement": level,
    }
    responses.write(encode(ready))
    responses.flush()
    worker.serve(requests, responses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
