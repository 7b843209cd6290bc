"""Finding, starting and asking the shared sandbox server (`cards.sandbox.server`).

The server listens on a Unix socket in a per-user folder (mode 0600, owned by the user).
A connection opens with the server's hello, which names its identity: the app version, the
interpreter, the package root, the torch it would import and the sandbox's own sources. A
server whose identity differs from this process's is replaced, a socket nobody listens on
is removed, and starting one happens under an flock on a file beside the socket, so two
invocations that find no server start one between them.

Never imports torch.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.machinery
import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cards.sandbox.environment import ROOT, sandbox_env
from cards.sandbox.protocol import decode, encode

DEFAULT_IDLE_S = 600.0
# A live server answers a connection at once (its accept loop never runs sandbox code).
HELLO_TIMEOUT_S = 2.0
# From launching a server until it listens: an interpreter start and a few imports.
LISTEN_TIMEOUT_S = 10.0
# How long to wait for another invocation that is starting the server.
LOCK_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 5.0


class ServerUnavailable(Exception):
    """The shared server cannot be used (an unsafe folder, a lock held too long, …);
    the message says why. Callers fall back to a private worker."""


@dataclass(frozen=True)
class ServerSpec:
    """Where the server listens, how long it may sit idle, and the app version it serves."""

    folder: Path
    idle_s: float = DEFAULT_IDLE_S
    app_version: str = ""

    @property
    def socket_path(self) -> Path:
        """The Unix socket."""
        return self.folder / "sandbox.sock"

    @property
    def lock_path(self) -> Path:
        """The file whose flock serialises starting a server."""
        return self.folder / "sandbox.lock"

    @property
    def log_path(self) -> Path:
        """The server's stderr, kept for when it fails to start."""
        return self.folder / "sandbox.log"


def identity(app_version: str) -> dict[str, str]:
    """What a server must share with its clients to serve them; found without importing
    torch (its spec's origin and modification time tell one install from another)."""
    spec = importlib.machinery.PathFinder.find_spec("torch")
    origin = spec.origin if spec is not None and spec.origin else ""
    torch = f"{origin}@{os.stat(origin).st_mtime_ns}" if origin else "missing"
    sources = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        info = path.stat()
        sources.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns};".encode())
    return {
        "app": app_version,
        "python": sys.executable,
        "root": str(ROOT),
        "torch": torch,
        "sources": sources.hexdigest()[:16],
    }


# -- the folder and the socket -----------------------------------------------------------


def _private_folder(folder: Path, *, create: bool) -> bool:
    """Whether `folder` exists (made 0700 when `create`) and is safe: owned by this user
    and writable by nobody else. Raises ServerUnavailable when it is not safe."""
    if create:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as err:
            raise ServerUnavailable(f"{folder}: cannot create ({err.strerror})") from None
    try:
        info = folder.stat()
    except FileNotFoundError:
        return False
    if info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise ServerUnavailable(f"{folder}: not private to this user")
    return True


def _own_socket(path: Path) -> bool:
    """Whether `path` is a socket of this user's; False when nothing is there. Anything
    else there is refused, never removed."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if not stat.S_ISSOCK(info.st_mode) or info.st_uid != os.getuid():
        raise ServerUnavailable(f"{path}: not a socket of this user's")
    return True


def _read_line(sock: socket.socket) -> bytes:
    """One message line, read byte by byte so nothing after it is consumed."""
    line = bytearray()
    while not line.endswith(b"\n"):
        byte = sock.recv(1)
        if not byte:
            raise ConnectionError("the server closed the connection")
        line += byte
    return bytes(line)


def ask(sock: socket.socket, message: dict[str, Any]) -> dict[str, Any]:
    """Send one message and read the one-line answer (socket timeouts apply)."""
    sock.sendall(encode(message))
    return decode(_read_line(sock))


@dataclass
class Greeting:
    """A connected server and what its hello said."""

    sock: socket.socket
    hello: dict[str, Any]

    def matches(self, spec: ServerSpec) -> bool:
        """Whether this server was started from the same code, interpreter and torch."""
        return self.hello.get("identity") == identity(spec.app_version)


def greet(spec: ServerSpec) -> Greeting | None:
    """A connection to the server listening at `spec`, after its hello; None when no
    server answers there (no socket, a dead one, or one shutting down)."""
    path = spec.socket_path
    if not _private_folder(spec.folder, create=False) or not _own_socket(path):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(HELLO_TIMEOUT_S)
    try:
        sock.connect(str(path))
        hello = decode(_read_line(sock))
    except (OSError, ValueError):
        sock.close()
        return None
    return Greeting(sock, hello)


# -- starting, stopping ------------------------------------------------------------------


@contextlib.contextmanager
def _start_lock(spec: ServerSpec) -> Iterator[None]:
    fd = os.open(spec.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ServerUnavailable(
                        f"{spec.lock_path}: another studylog has been starting the sandbox "
                        f"server for {LOCK_TIMEOUT_S:g} s"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # releases the lock


def _launch(spec: ServerSpec) -> subprocess.Popen[bytes]:
    fd = os.open(spec.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        return subprocess.Popen(
            [
                sys.executable,
                "-P",
                "-m",
                "cards.sandbox.server",
                "--socket",
                str(spec.socket_path),
                "--idle",
                str(spec.idle_s),
                "--app-version",
                spec.app_version,
            ],
            # Nothing of the caller's: a server holding its stdout would keep a pipe
            # reading `studylog check … | cat` open until the server exits.
            stdin=subprocess.DEVNULL,
            stdout=fd,
            stderr=fd,
            cwd="/",
            env=sandbox_env(),
            start_new_session=True,  # its own session: it outlives this invocation
            close_fds=True,
        )
    finally:
        os.close(fd)


def _last_log_line(spec: ServerSpec) -> str:
    try:
        lines = spec.log_path.read_text(errors="replace").splitlines()
    except OSError:
        return ""
    return next((line for line in reversed(lines) if line.strip()), "")


def _replace(spec: ServerSpec, stale: Greeting | None) -> Greeting:
    """Under the start lock: end a stale server or socket, launch a server, wait for it."""
    if stale is not None:
        with contextlib.suppress(OSError, ValueError):
            ask(stale.sock, {"op": "stop"})
        stale.sock.close()
    with contextlib.suppress(FileNotFoundError):
        spec.socket_path.unlink()  # a server that is gone, or is going
    proc = _launch(spec)
    deadline = time.monotonic() + LISTEN_TIMEOUT_S
    while time.monotonic() < deadline:
        greeting = greet(spec)
        if greeting is not None:
            return greeting
        if proc.poll() is not None:
            words = _last_log_line(spec)
            raise ServerUnavailable(
                "the sandbox server exited at start" + (f": {words}" if words else "")
            )
        time.sleep(0.01)
    raise ServerUnavailable(f"the sandbox server did not listen within {LISTEN_TIMEOUT_S:g} s")


def connect(spec: ServerSpec, *, start: bool) -> socket.socket | None:
    """A connection to a server of this process's identity, attached (it will send
    `ready`). With `start`, a missing, dead or stale server is replaced first; without,
    None is returned instead. Raises ServerUnavailable when no server can be used."""
    greeting = greet(spec)
    if greeting is None or not greeting.matches(spec):
        if not start:
            if greeting is not None:
                greeting.sock.close()
            return None
        _private_folder(spec.folder, create=True)
        if len(os.fsencode(spec.socket_path)) >= 108:
            raise ServerUnavailable(f"{spec.socket_path}: path too long for a Unix socket")
        if greeting is not None:
            greeting.sock.close()
        with _start_lock(spec):
            # Whoever held the lock before may have started one already.
            greeting = greet(spec)
            if greeting is None or not greeting.matches(spec):
                greeting = _replace(spec, greeting)
    sock = greeting.sock
    sock.settimeout(None)
    sock.sendall(encode({"op": "attach"}))
    return sock


def server_status(spec: ServerSpec) -> dict[str, Any] | None:
    """The running server's figures (see `cards.sandbox.server`), with `current`: whether
    it serves this process's identity; None when none is running."""
    greeting = greet(spec)
    if greeting is None:
        return None
    with greeting.sock:
        try:
            status = ask(greeting.sock, {"op": "status"})
        except (OSError, ValueError):
            return None
    return {**status, "current": greeting.matches(spec), "socket": str(spec.socket_path)}


def stop_server(spec: ServerSpec) -> int | None:
    """Stop the running server and wait for it to exit; its pid, or None if none ran."""
    greeting = greet(spec)
    if greeting is None:
        return None
    pid = int(greeting.hello.get("pid", 0))
    with greeting.sock, contextlib.suppress(OSError, ValueError):
        ask(greeting.sock, {"op": "stop"})
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while pid and _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A server started by this very process lingers as a zombie until reaped.
    with contextlib.suppress(ChildProcessError):
        got, _ = os.waitpid(pid, os.WNOHANG)
        return got == 0
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False
