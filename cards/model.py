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


# What torch produced, as described inside the sandbox: one frozen dataclass per kind of
# value. Each carries `text`, how torch itself prints it, and says in `to_dict` how it
# travels as JSON from the sandbox child: `{"type": <kind>, "text": …, <its fields>}`.


@dataclass(frozen=True)
class TensorValue:
    """A tensor: its shape, dtype, values (nested lists; None when too large to list) and
    whether it is a view (shares storage with a tensor the setup code defined)."""

    text: str
    shape: tuple[int, ...]
    dtype: str
    data: Any = None
    is_view: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        out: dict[str, Any] = {
            "type": "tensor",
            "text": self.text,
            "shape": list(self.shape),
            "dtype": self.dtype,
        }
        if self.data is not None:
            out["data"] = self.data
        return {**out, "is_view": self.is_view}


@dataclass(frozen=True)
class SizeValue:
    """A `torch.Size`."""

    text: str
    shape: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {"type": "size", "text": self.text, "shape": list(self.shape)}


@dataclass(frozen=True)
class DtypeValue:
    """A `torch.dtype`, `dtype` as torch prints it ("torch.float32")."""

    text: str
    dtype: str

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {"type": "dtype", "text": self.text, "dtype": self.dtype}


@dataclass(frozen=True)
class BoolValue:
    """A plain Python bool."""

    text: str
    data: bool

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {"type": "bool", "text": self.text, "data": self.data}


@dataclass(frozen=True)
class NumberValue:
    """A plain Python int or float (never a bool)."""

    text: str
    data: int | float

    @property
    def type_name(self) -> str:
        """ "int" or "float", as Python names the number's type."""
        return "int" if isinstance(self.data, int) else "float"

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {"type": self.type_name, "text": self.text, "data": self.data}


@dataclass(frozen=True)
class StrValue:
    """A plain Python string."""

    text: str
    data: str

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {"type": "str", "text": self.text, "data": self.data}


@dataclass(frozen=True)
class NoneValue:
    """None."""

    text: str = "None"

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {"type": "none", "text": self.text}


@dataclass(frozen=True)
class SeqValue:
    """A tuple or list, with each item described."""

    text: str
    items: tuple[Value, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        out: dict[str, Any] = {"type": "seq", "text": self.text}
        if self.items:
            out["items"] = [item.to_dict() for item in self.items]
        return out


@dataclass(frozen=True)
class ErrorValue:
    """An exception the code raised: its class name and message."""

    text: str
    error: str
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {"type": "error", "text": self.text, "error": self.error, "message": self.message}


@dataclass(frozen=True)
class OtherValue:
    """Anything else (a module, a grad_fn, a generator…), known only by its repr."""

    text: str

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON."""
        return {"type": "other", "text": self.text}


Value = (
    TensorValue
    | SizeValue
    | DtypeValue
    | BoolValue
    | NumberValue
    | StrValue
    | NoneValue
    | SeqValue
    | ErrorValue
    | OtherValue
)


def value_from_dict(raw: dict[str, Any]) -> Value:
    """The value a `to_dict` dict describes; ValueError for an unknown "type"."""
    text = str(raw.get("text", ""))
    match raw["type"]:
        case "tensor":
            return TensorValue(
                text,
                tuple(raw.get("shape") or ()),
                str(raw.get("dtype", "")),
                raw.get("data"),
                bool(raw.get("is_view")),
            )
        case "size":
            return SizeValue(text, tuple(raw.get("shape") or ()))
        case "dtype":
            return DtypeValue(text, str(raw.get("dtype", "")))
        case "bool":
            return BoolValue(text, bool(raw.get("data")))
        case "int" | "float":
            return NumberValue(text, raw["data"])
        case "str":
            return StrValue(text, str(raw.get("data", "")))
        case "none":
            return NoneValue(text)
        case "seq":
            return SeqValue(text, tuple(value_from_dict(i) for i in raw.get("items", ())))
        case "error":
            return ErrorValue(text, str(raw.get("error", "")), str(raw.get("message") or ""))
        case "other":
            return OtherValue(text)
        case unknown:
            raise ValueError(f"unknown value type {unknown!r}")


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
        """The `check --json` shape from docs/ARCHITECTURE.md."""
        return {
            "correct": self.correct,
            "expected": self.expected,
            "got": self.got,
            "message": self.message,
        }
