"""Typed values shared by the card generators, the sandbox and the answer checker."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """The kinds of card studylog asks."""

    PREDICT = "predict"
    PRODUCE = "produce"
    RECALL = "recall"
    CLOZE = "cloze"
    CHOICE = "choice"

    @property
    def executable(self) -> bool:
        """Whether the card's truth comes from running torch."""
        return self in (Kind.PREDICT, Kind.PRODUCE)


@dataclass(frozen=True)
class Exercise:
    """One concrete instance of an executable card, built from a seed.

    predict: run `code`, then the learner predicts the value of `expr`.
    produce: run `code`, then the learner types an expression that evaluates to the same
    value as `expr` (the hidden reference); `need_view` asks that it also share storage
    with the tensors `code` defined.
    """

    kind: Kind
    question: str
    code: str
    expr: str
    need_view: bool = False


@dataclass(frozen=True)
class Value:
    """A JSON-friendly description of what torch produced, made inside the sandbox.

    `type` is one of: tensor, size, dtype, bool, int, float, str, none, seq, error, other.
    tensor: shape, dtype, data (nested lists), is_view (shares storage with a tensor the
    setup code defined). size: shape. dtype: dtype. error: error (exception class name) and
    message. seq: items. `text` is how torch itself prints the value.
    """

    type: str
    text: str
    shape: tuple[int, ...] | None = None
    dtype: str | None = None
    data: Any = None
    is_view: bool | None = None
    error: str | None = None
    message: str | None = None
    items: tuple[Value, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        out: dict[str, Any] = {"type": self.type, "text": self.text}
        for name in ("shape", "dtype", "data", "is_view", "error", "message"):
            val = getattr(self, name)
            if val is not None:
                out[name] = list(val) if name == "shape" else val
        if self.items:
            out["items"] = [item.to_dict() for item in self.items]
        return out

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Value:
        """The inverse of `to_dict`."""
        shape = raw.get("shape")
        return cls(
            type=raw["type"],
            text=raw.get("text", ""),
            shape=tuple(shape) if shape is not None else None,
            dtype=raw.get("dtype"),
            data=raw.get("data"),
            is_view=raw.get("is_view"),
            error=raw.get("error"),
            message=raw.get("message"),
            items=tuple(cls.from_dict(i) for i in raw.get("items", ())),
        )


@dataclass(frozen=True)
class Verdict:
    """The result of checking one answer. `message` teaches, it does not just judge.

    `correct` is None when no program can judge the answer (a free-text recall card): the
    learner compares it with `expected` and rates it."""

    correct: bool | None
    expected: str
    got: str
    message: str

    @property
    def why(self) -> str:
        """The message without its opening verdict word ("Correct." / "Not quite:"), for
        screens that already say right or wrong."""
        lead = "Correct." if self.correct else "Not quite:"
        return self.message.removeprefix(lead).strip()

    def to_dict(self) -> dict[str, Any]:
        """The `check --json` shape from DESIGN.md."""
        return {
            "correct": self.correct,
            "expected": self.expected,
            "got": self.got,
            "message": self.message,
        }
