"""The shared sandbox server: `python -m cards.sandbox.server --socket PATH [--idle S]
[--app-version V]`.

It keeps one `Sandbox` (a worker that imports torch once and forks a fresh, confined child
for every run) and serves it on a Unix socket to every studylog of this user, so that only
the first command that needs torch pays for importing it. The server itself never imports
torch; it relays requests to its worker, which handles them exactly as for a private one.

A connection (one JSON line per message, as on the worker's pipes; see `protocol`):

- server → client on connect: ``{"hello": true, "identity": {…}, "pid": 123}``
- ``{"op": "attach"}`` → the worker's ``{"ready": true, "torch": "2.13.0", …}`` once torch
  is imported (or ``{"failed": "…"}``, then the server exits); after that, run requests in
  the worker's own shape, each answered with its ``id``;
- ``{"op": "status"}`` → the figures `studylog sandbox status` shows;
- ``{"op": "stop"}`` → ``{"stopping": true}``, and the server exits.

Runs from all connections go one at a time (the sandbox's lock), and the policy is checked
here again. The server exits after `--idle` seconds with no connection open, on `stop`, or
on SIGTERM/SIGINT/SIGHUP, removing its socket only while that is still the one it bound.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

from cards.sandbox.protocol import decode, encode
from cards.sandbox.runner import Sandbox
from cards.sandbox.serverlink import DEFAULT_IDLE_S, identity
from cards.sandbox.worker import MAX_REQUEST_BYTES

# How often the accept loop looks at the idle clock and the stop flag.
_TICK_S = 0.2


class _Server:
    def __init__(
        self, listener: socket.socket, sandbox: Sandbox, ident: dict[str, str], idle_s: float
    ) -> None:
        self.listener = listener
        self.sandbox = sandbox
        self.identity = ident
        self.idle_s = idle_s
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections = 0
        self._checks = 0
        self._last_activity = time.monotonic()
        self._started = time.monotonic()

    def serve(self) -> None:
        """Accept connections until stopped or idle for `idle_s` with none open."""
        while not self.stopping.is_set():
            if select.select([self.listener], [], [], _TICK_S)[0]:
                with contextlib.suppress(OSError):
                    conn, _ = self.listener.accept()
                    threading.Thread(
                        target=self._serve_connection, args=(conn,), daemon=True
                    ).start()
            elif self._idle_for() >= self.idle_s:
                return

    def _idle_for(self) -> float:
        with self._lock:
            return 0.0 if self._connections else time.monotonic() - self._last_activity

    def _serve_connection(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections += 1
        try:
            with conn, conn.makefile("rb") as lines:
                conn.sendall(encode({"hello": True, "identity": self.identity, "pid": os.getpid()}))
                while line := lines.readline(MAX_REQUEST_BYTES):
                    reply = self._answer(decode(line))
                    if reply is None:
                        return
                    conn.sendall(encode(reply))
        except (OSError, ValueError):
            pass  # the client went away or spoke nonsense: drop that connection only
        finally:
            with self._lock:
                self._connections -= 1
                self._last_activity = time.monotonic()

    def _answer(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """The reply to one message; None ends the connection."""
        op = message.get("op")
        if op == "attach":
            if self.sandbox.wait_ready(self.sandbox.startup_timeout_s):
                return {
                    "ready": True,
                    "torch": self.sandbox.torch_version,
                    "import_s": self.sandbox.startup_seconds,
                    "confinement": self.sandbox.confinement,
                }
            self.stopping.set()  # a later client starts a fresh server
            return {"failed": "the torch sandbox did not start in the sandbox server"}
        if op == "status":
            return self._status()
        if op == "stop":
            self.stopping.set()
            return {"stopping": True}
        result = self.sandbox.submit(message)
        with self._lock:
            self._checks += 1
            self._last_activity = time.monotonic()
        return {"id": message.get("id"), **result.to_wire()}

    def _status(self) -> dict[str, Any]:
        with self._lock:
            connections, checks = self._connections, self._checks
        return {
            "pid": os.getpid(),
            "identity": self.identity,
            "ready": self.sandbox.ready,
            "torch": self.sandbox.torch_version,
            "confinement": self.sandbox.confinement,
            "uptime_s": time.monotonic() - self._started,
            "idle_timeout_s": self.idle_s,
            # This status connection itself does not count.
            "connections": connections - 1,
            "checks": checks,
        }


def _bind(path: Path) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mask = os.umask(0o177)  # the socket exists with mode 0600 from the start
    try:
        listener.bind(str(path))
    finally:
        os.umask(mask)
    os.chmod(path, 0o600)
    listener.listen(16)
    return listener


def main(argv: list[str] | None = None) -> int:
    """Start the worker, listen, serve until stopped or idle; then clean up."""
    parser = argparse.ArgumentParser(prog="python -m cards.sandbox.server")
    parser.add_argument("--socket", required=True, type=Path)
    parser.add_argument("--idle", type=float, default=DEFAULT_IDLE_S, metavar="SECONDS")
    parser.add_argument("--app-version", default="")
    args = parser.parse_args(argv)
    sandbox = Sandbox()
    sandbox.start()  # torch is imported in the worker while this process starts listening
    listener = _bind(args.socket)
    bound = os.stat(args.socket).st_ino
    server = _Server(listener, sandbox, identity(args.app_version), args.idle)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: server.stopping.set())
    try:
        server.serve()
    finally:
        listener.close()
        # A replacement may already listen at this path; its socket is not ours to remove.
        with contextlib.suppress(OSError):
            if os.stat(args.socket).st_ino == bound:
                os.unlink(args.socket)
        sandbox.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
