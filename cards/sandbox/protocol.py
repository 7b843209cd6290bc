"""What the runner and the worker say to each other, and the result a run hands back.

The wire format is one JSON object per line in each direction:

- worker → runner, once: ``{"ready": true, "torch": "2.13.0", "import_s": 2.9}``
- runner → worker: ``{"id": 7, "code": "...", "exprs": ["..."], "timeout_s": 2.0,
  "memory_bytes": 1073741824, "cpu_s": null}``
- worker → runner: ``{"id": 7, "values": [...], "setup_error": {...} | null,
  "stdout": "...", "failure": null | "timed out after 2 s", "failure_kind": ...}``

`json.dumps` escapes newlines inside strings, so a line is always one whole message.

Between a sandbox child and the worker, the result is one length-framed message instead
(`frame`/`unframe`): a 4-byte big-endian length, then that many bytes of JSON, then end of
file. The message carries the request's nonce, which the child holds only outside quiz
code's reach; anything else — a second message, trailing bytes, a wrong nonce — is a
forged result, reported as a sandbox failure of that card.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cards.model import ErrorValue, Value, value_from_dict

DEFAULT_TIMEOUT_S = 2.0
DEFAULT_MEMORY_BYTES = 1 << 30
# The worker reads at most this much of a child's result; more is "output too large".
MAX_OUTPUT_BYTES = 256 * 1024
# Printed output kept per run; the rest is counted and dropped.
MAX_STDOUT_CHARS = 4096


class FailureKind(StrEnum):
    """Why a run produced no values. Each has a fixed message shape (see the helpers)."""

    REJECTED = "rejected"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CPU = "cpu"
    OUTPUT = "output"
    CRASH = "crash"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class Failure:
    """Why a run produced no values: its kind, and the message shown for it."""

    kind: FailureKind
    message: str


@dataclass(frozen=True)
class RunResult:
    """The outcome of one sandbox run: either `values` (one per expression) or a `failure`.

    `setup_error` is set when the setup code itself raised; every value is then that error.
    Errors raised by the code are values (a legitimate answer is "RuntimeError"); a
    failure means the sandbox could not produce an answer at all.
    """

    values: tuple[Value, ...] = ()
    failure: Failure | None = None
    setup_error: ErrorValue | None = None
    stdout: str = ""
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the run produced values."""
        return self.failure is None

    @classmethod
    def failed(cls, kind: FailureKind, message: str, elapsed_s: float = 0.0) -> RunResult:
        """A result that carries only a failure."""
        return cls(failure=Failure(kind, message), elapsed_s=elapsed_s)

    @classmethod
    def from_wire(cls, raw: dict[str, Any], elapsed_s: float) -> RunResult:
        """Build a result from the worker's response message."""
        if raw.get("failure"):
            kind = FailureKind(raw.get("failure_kind") or FailureKind.CRASH)
            return cls.failed(kind, str(raw["failure"]), elapsed_s)
        setup = value_from_dict(raw["setup_error"]) if raw.get("setup_error") else None
        if setup is not None and not isinstance(setup, ErrorValue):
            raise ValueError("setup_error is not an error value")
        return cls(
            values=tuple(value_from_dict(v) for v in raw.get("values", ())),
            setup_error=setup,
            stdout=str(raw.get("stdout", "")),
            elapsed_s=elapsed_s,
        )

    def to_wire(self) -> dict[str, Any]:
        """The response message `from_wire` reads back (the sandbox server sends it)."""
        if self.failure is not None:
            return {"failure": self.failure.message, "failure_kind": str(self.failure.kind)}
        return {
            "values": [v.to_dict() for v in self.values],
            "setup_error": self.setup_error.to_dict() if self.setup_error else None,
            "stdout": self.stdout,
        }


def encode(message: dict[str, Any]) -> bytes:
    """One message as a JSON line."""
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


_FRAME_HEADER = 4


def frame(message: dict[str, Any]) -> bytes:
    """One child result as a length-framed message."""
    body = json.dumps(message, separators=(",", ":")).encode()
    return len(body).to_bytes(_FRAME_HEADER, "big") + body


def unframe(data: bytes, nonce: str) -> dict[str, Any] | None:
    """The single message in `data` if that is exactly one well-formed frame carrying
    `nonce`; None for anything else."""
    if len(data) < _FRAME_HEADER:
        return None
    length = int.from_bytes(data[:_FRAME_HEADER], "big")
    if length != len(data) - _FRAME_HEADER:
        return None
    try:
        message = json.loads(data[_FRAME_HEADER:])
    except ValueError:
        return None
    if not isinstance(message, dict) or message.pop("nonce", None) != nonce:
        return None
    return message


FORGED_MESSAGE = "sandbox failure: the card's child sent a malformed or forged result"


def decode(line: bytes) -> dict[str, Any]:
    """One JSON line as a message; ValueError if it is not a JSON object."""
    raw = json.loads(line)
    if not isinstance(raw, dict):
        raise ValueError("message is not a JSON object")
    return raw


def format_seconds(seconds: float) -> str:
    """2.0 → "2 s", 0.5 → "0.5 s"."""
    return f"{seconds:g} s"


def format_bytes(size: int) -> str:
    """1 << 30 → "1 GiB", 512 << 20 → "512 MiB"."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} B"


def timeout_message(seconds: float) -> str:
    """The failure message for a wall-clock timeout."""
    return f"timed out after {format_seconds(seconds)}"


def memory_message(limit_bytes: int) -> str:
    """The failure message for hitting the memory limit."""
    return f"ran out of memory (limit {format_bytes(limit_bytes)})"


CPU_MESSAGE = "used too much CPU"
OUTPUT_MESSAGE = "output too large"
