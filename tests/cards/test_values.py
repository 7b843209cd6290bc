"""Values cross the sandbox boundary as JSON: each kind keeps the wire shape it had."""

from __future__ import annotations

from typing import Any

import pytest

from cards.model import (
    BoolValue,
    DtypeValue,
    ErrorValue,
    NoneValue,
    NumberValue,
    OtherValue,
    SeqValue,
    SizeValue,
    StrValue,
    TensorValue,
    Value,
    value_from_dict,
)
from cards.sandbox.protocol import RunResult

# Each value beside the dict the sandbox child sent for it before values were typed.
WIRE: list[tuple[Value, dict[str, Any]]] = [
    (
        TensorValue("tensor([1., 2.])", (2,), "torch.float32", [1.0, 2.0], True),
        {
            "type": "tensor",
            "text": "tensor([1., 2.])",
            "shape": [2],
            "dtype": "torch.float32",
            "data": [1.0, 2.0],
            "is_view": True,
        },
    ),
    (
        TensorValue("tensor([...])", (5000,), "torch.int64"),
        {
            "type": "tensor",
            "text": "tensor([...])",
            "shape": [5000],
            "dtype": "torch.int64",
            "is_view": False,
        },
    ),
    (
        SizeValue("torch.Size([2, 3])", (2, 3)),
        {"type": "size", "text": "torch.Size([2, 3])", "shape": [2, 3]},
    ),
    (
        DtypeValue("torch.int64", "torch.int64"),
        {"type": "dtype", "text": "torch.int64", "dtype": "torch.int64"},
    ),
    (BoolValue("True", True), {"type": "bool", "text": "True", "data": True}),
    (NumberValue("6", 6), {"type": "int", "text": "6", "data": 6}),
    (NumberValue("2.5", 2.5), {"type": "float", "text": "2.5", "data": 2.5}),
    (StrValue("'a'", "a"), {"type": "str", "text": "'a'", "data": "a"}),
    (NoneValue(), {"type": "none", "text": "None"}),
    (SeqValue("()", ()), {"type": "seq", "text": "()"}),
    (
        SeqValue("(2, None)", (NumberValue("2", 2), NoneValue())),
        {
            "type": "seq",
            "text": "(2, None)",
            "items": [{"type": "int", "text": "2", "data": 2}, {"type": "none", "text": "None"}],
        },
    ),
    (
        ErrorValue("IndexError: out of range", "IndexError", "out of range"),
        {
            "type": "error",
            "text": "IndexError: out of range",
            "error": "IndexError",
            "message": "out of range",
        },
    ),
    (OtherValue("<module 'math'>"), {"type": "other", "text": "<module 'math'>"}),
]


@pytest.mark.parametrize(("value", "wire"), WIRE)
def test_values_keep_their_wire_shape(value: Value, wire: dict[str, Any]) -> None:
    assert value.to_dict() == wire
    assert list(value.to_dict()) == list(wire)  # the key order too: the JSON is the same bytes
    assert value_from_dict(wire) == value


def test_an_unknown_value_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown value type 'matrix'"):
        value_from_dict({"type": "matrix", "text": "?"})


def test_a_setup_error_that_is_not_an_error_is_refused() -> None:
    wire = {"values": [], "setup_error": {"type": "none", "text": "None"}, "stdout": ""}
    with pytest.raises(ValueError, match="setup_error"):
        RunResult.from_wire(wire, 0.0)
    result = RunResult.from_wire({**wire, "setup_error": WIRE[-2][1]}, 0.0)
    assert result.setup_error == WIRE[-2][0]
