"""The answer parser: everything people type, read without torch and without eval."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cards.answers import (
    BoolAnswer,
    DtypeAnswer,
    ErrorAnswer,
    ExpressionAnswer,
    NoneAnswer,
    ParsedAnswer,
    ScalarAnswer,
    SeqAnswer,
    ShapeAnswer,
    StrAnswer,
    TensorAnswer,
    parse_answer,
)

EXAMPLES: list[tuple[str, ParsedAnswer]] = [
    ("(2, 3)", ShapeAnswer((2, 3), "tuple")),
    ("2x3", ShapeAnswer((2, 3), "x")),
    ("2 x 3", ShapeAnswer((2, 3), "x")),
    ("2×3×4", ShapeAnswer((2, 3, 4), "x")),
    ("[2, 3]", ShapeAnswer((2, 3), "list")),
    ("torch.Size([2, 3])", ShapeAnswer((2, 3), "size")),
    ("Size([])", ShapeAnswer((), "size")),
    ("()", ShapeAnswer((), "tuple")),
    ("[]", ShapeAnswer((), "list")),
    ("(6,)", ShapeAnswer((6,), "tuple")),
    ("tensor([1., 2.])", TensorAnswer([1.0, 2.0])),
    ("torch.tensor([[1,2],[3,4]])", TensorAnswer([[1, 2], [3, 4]])),
    ("tensor(3.)", TensorAnswer(3.0)),
    ("tensor([1, 2], dtype=torch.int32)", TensorAnswer([1, 2], "torch.int32")),
    ("tensor([2., 4.], requires_grad=True)", TensorAnswer([2.0, 4.0])),
    ("tensor(6., grad_fn=<SumBackward0>)", TensorAnswer(6.0)),
    ("Parameter containing:\ntensor([1., 1.], requires_grad=True)", TensorAnswer([1.0, 1.0])),
    ("tensor([[1, 2],\n        [3, 4]])", TensorAnswer([[1, 2], [3, 4]])),
    ("[[1, 2], [3, 4]]", TensorAnswer([[1, 2], [3, 4]], explicit=False)),
    ("[1.5, -2]", TensorAnswer([1.5, -2], explicit=False)),
    ("3", ScalarAnswer(3)),
    ("-1.5", ScalarAnswer(-1.5)),
    ("1e-3", ScalarAnswer(0.001)),
    ("True", BoolAnswer(True)),
    ("true", BoolAnswer(True)),
    ("yes", BoolAnswer(True)),
    ("Yes.", BoolAnswer(True)),
    ("no", BoolAnswer(False)),
    ("False", BoolAnswer(False)),
    ("아니오", BoolAnswer(False)),
    ("float32", DtypeAnswer("torch.float32")),
    ("torch.float32", DtypeAnswer("torch.float32")),
    ("float", DtypeAnswer("torch.float32")),
    ("torch.float", DtypeAnswer("torch.float32")),
    ("long", DtypeAnswer("torch.int64")),
    ("int64", DtypeAnswer("torch.int64")),
    ("torch.int", DtypeAnswer("torch.int32")),
    ("dtype=torch.bool", DtypeAnswer("torch.bool")),
    ("RuntimeError", ErrorAnswer("RuntimeError")),
    ("IndexError", ErrorAnswer("IndexError")),
    ("raises RuntimeError", ErrorAnswer("RuntimeError")),
    ("it raises a TypeError", ErrorAnswer("TypeError")),
    ("torch.fx.proxy.TraceError", ErrorAnswer("TraceError")),
    ("RuntimeError: mat1 and mat2 shapes cannot be multiplied", ErrorAnswer("RuntimeError")),
    ("error", ErrorAnswer(None)),
    ("raises", ErrorAnswer(None)),
    ("it raises an error", ErrorAnswer(None)),
    ("Error!", ErrorAnswer(None)),
    ("에러", ErrorAnswer(None)),
    ("None", NoneAnswer()),
    ("none", NoneAnswer()),
    ("'MulBackward0'", StrAnswer("MulBackward0")),
    ("(tensor([1, 2]), tensor([3]))", SeqAnswer((TensorAnswer([1, 2]), TensorAnswer([3])))),
    ("(torch.Size([2, 3]), 3)", SeqAnswer((ShapeAnswer((2, 3), "size"), ScalarAnswer(3)))),
    ("torch.zeros(2, 3)", ExpressionAnswer("torch.zeros(2, 3)")),
    ("x.shape", ExpressionAnswer("x.shape")),
    ("[1, [2]]", SeqAnswer((ScalarAnswer(1), ShapeAnswer((2,), "list")))),  # ragged: a list
    ("[1, x]", ExpressionAnswer("[1, x]")),
    ("", ExpressionAnswer("")),
]


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_examples(text: str, expected: ParsedAnswer) -> None:
    assert parse_answer(text) == expected


@pytest.mark.parametrize("text", ["nan", "NaN", "tensor([nan, 1.])", "inf", "-inf"])
def test_nan_and_inf(text: str) -> None:
    parsed = parse_answer(text)
    match parsed:
        case TensorAnswer(data=[value, *_]) | ScalarAnswer(value=value):
            pass
        case _:
            pytest.fail(f"{text!r} read as {parsed!r}")
    assert math.isnan(value) or math.isinf(value)


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        (ShapeAnswer((2, 3), "x"), "torch.Size([2, 3])"),
        (TensorAnswer([1.0, 2.0]), "tensor([1., 2.])"),
        (TensorAnswer([0.5, 1.0]), "tensor([0.5000, 1.0000])"),
        (TensorAnswer([1, 2], "torch.int32"), "tensor([1, 2], dtype=torch.int32)"),
        (ErrorAnswer(None), "an error"),
        (DtypeAnswer("torch.int64"), "torch.int64"),
    ],
)
def test_answers_print_the_way_torch_does(answer: ParsedAnswer, text: str) -> None:
    assert answer.text == text


# -- properties ---------------------------------------------------------------------------------

dims = st.lists(st.integers(min_value=0, max_value=64), min_size=0, max_size=5)
space = st.sampled_from(["", " ", "  "])


def shape_spellings(shape: list[int], pad: str) -> list[str]:
    """Every accepted way of typing `shape`."""
    inner = f",{pad}".join(str(d) for d in shape)
    tuple_inner = inner + ("," if len(shape) == 1 else "")
    spellings = [
        f"({tuple_inner})",
        f"[{inner}]",
        f"torch.Size([{inner}])",
        f"Size([{inner}])",
        f"torch.Size(({tuple_inner}))",
        f"{pad}[{inner}]{pad}",
    ]
    if len(shape) >= 2:
        for sep in ("x", "X", "×"):
            spellings.append(f"{pad}{sep}{pad}".join(str(d) for d in shape))
    return spellings


@given(dims, space)
def test_every_shape_spelling_parses_to_the_same_dims(shape: list[int], pad: str) -> None:
    for spelling in shape_spellings(shape, pad):
        parsed = parse_answer(spelling)
        assert isinstance(parsed, ShapeAnswer), spelling
        assert parsed.dims == tuple(shape), spelling


@given(st.text(max_size=300))
def test_the_parser_never_raises(text: str) -> None:
    parsed = parse_answer(text)
    assert isinstance(parsed.text, str)


numbers = st.floats(allow_nan=False, allow_infinity=False, width=32, min_value=-1e6, max_value=1e6)


@given(st.lists(numbers, min_size=1, max_size=6))
def test_tensor_values_survive_printing_and_parsing(values: list[float]) -> None:
    parsed = parse_answer(f"tensor([{', '.join(repr(v) for v in values)}])")
    assert isinstance(parsed, TensorAnswer)
    assert parsed.data == values
    reparsed = parse_answer(parsed.text)
    assert isinstance(reparsed, TensorAnswer)
    assert all(math.isclose(a, b, abs_tol=1e-4) for a, b in zip(reparsed.data, values, strict=True))


@given(st.sampled_from(["true", "TRUE", "yes", "Yes", "True."]))
def test_true_in_any_case(text: str) -> None:
    assert parse_answer(text) == BoolAnswer(True)
