"""The answer checker: predict and produce verdicts against what torch really produced."""

from __future__ import annotations

import pytest

from cards.checker import check_exercise, check_predict, check_produce, shown
from cards.model import (
    BoolValue,
    DtypeValue,
    ErrorValue,
    Exercise,
    Kind,
    NoneValue,
    NumberValue,
    OtherValue,
    SizeValue,
    StrValue,
    TensorValue,
    Value,
)
from cards.sandbox import Sandbox


def predict(code: str, expr: str) -> Exercise:
    return Exercise(Kind.PREDICT, "What is it?", code, expr)


def produce(code: str, expr: str, *, need_view: bool = False) -> Exercise:
    return Exercise(Kind.PRODUCE, "Make it.", code, expr, need_view)


FLOATS = TensorValue("tensor([1., 2.])", shape=(2,), dtype="torch.float32", data=[1.0, 2.0])
INTS = TensorValue("tensor([1, 2])", shape=(2,), dtype="torch.int64", data=[1, 2])
SIZE = SizeValue("torch.Size([2, 3])", shape=(2, 3))
ZERO_DIM = TensorValue("tensor(3.)", shape=(), dtype="torch.float32", data=3.0)
ERROR = ErrorValue(
    "RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)",
    error="RuntimeError",
    message="mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)",
)
NAN = TensorValue("tensor([nan, 1.])", shape=(2,), dtype="torch.float32", data=[float("nan"), 1.0])


# -- predict, on literal answers (no sandbox needed) ------------------------------------------


@pytest.mark.parametrize(
    ("expected", "answer", "correct"),
    [
        (SIZE, "(2, 3)", True),
        (SIZE, "2x3", True),
        (SIZE, "[2, 3]", True),
        (SIZE, "torch.Size([2, 3])", True),
        (SIZE, "(3, 2)", False),
        (FLOATS, "tensor([1., 2.])", True),
        (FLOATS, "[1, 2]", True),  # values decide; the message names the dtype
        (FLOATS, "tensor([1.00001, 2.])", True),  # within the 1e-4 tolerance
        (FLOATS, "tensor([1.1, 2.])", False),
        (FLOATS, "(2,)", False),  # read as the values [2], not as the shape
        (FLOATS, "torch.Size([2])", False),  # a shape for a tensor question
        (FLOATS, "tensor([1, 2], dtype=torch.int64)", False),
        (INTS, "[1., 2.]", True),
        (INTS, "tensor([1, 3])", False),
        (ZERO_DIM, "3", True),
        (ZERO_DIM, "tensor(3.)", True),
        (ZERO_DIM, "3.5", False),
        (NAN, "tensor([nan, 1.])", True),
        (NAN, "[1, 1]", False),
        (ERROR, "RuntimeError", True),
        (ERROR, "error", True),
        (ERROR, "it raises an error", True),
        (ERROR, "IndexError", False),
        (ERROR, "(2, 2)", False),
        (SIZE, "RuntimeError", False),
        (DtypeValue("torch.float32", dtype="torch.float32"), "float", True),
        (DtypeValue("torch.float32", dtype="torch.float32"), "torch.float32", True),
        (DtypeValue("torch.int64", dtype="torch.int64"), "int", False),
        (BoolValue("True", data=True), "yes", True),
        (BoolValue("True", data=True), "False", False),
        (NoneValue("None"), "None", True),
        (NumberValue("6", data=6), "6", True),
        (NumberValue("1000", data=1000), "1001", False),  # ints compare exactly
        (StrValue("'MulBackward0'", data="MulBackward0"), "MulBackward0", True),
        (OtherValue("<MulBackward0 object at 0x7f00>"), "MulBackward0", True),
        (OtherValue("<MulBackward0 object at 0x7f00>"), "AddBackward0", False),
    ],
)
def test_literal_predictions(expected: Value, answer: str, correct: bool) -> None:
    verdict = check_predict(expected, answer)
    assert verdict.correct is correct, verdict


def test_verdict_strings_are_how_torch_prints() -> None:
    assert check_predict(SIZE, "2x3").expected == "torch.Size([2, 3])"
    assert check_predict(FLOATS, "[1, 2]").expected == "tensor([1., 2.])"
    assert check_predict(FLOATS, "[1, 2]").got == "tensor([1, 2])"
    assert check_predict(ERROR, "error").expected == "RuntimeError"
    multi = TensorValue("tensor([[1, 2],\n        [3, 4]])", shape=(2, 2), dtype="torch.int64")
    assert shown(multi) == "tensor([[1, 2], [3, 4]])"


def test_a_right_value_with_another_dtype_style_is_right_but_the_dtype_is_named() -> None:
    verdict = check_predict(FLOATS, "[1, 2]")
    assert verdict.correct and "torch.float32" in verdict.message


def test_an_error_expected_but_a_value_given_quotes_torch() -> None:
    verdict = check_predict(ERROR, "(2, 2)", expr="a @ b")
    assert not verdict.correct
    assert "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)" in verdict.message
    assert "inner sizes must agree" in verdict.message


def test_an_empty_answer() -> None:
    verdict = check_predict(SIZE, "  ")
    assert not verdict.correct and verdict.message.startswith("No answer")


def test_an_expression_without_a_sandbox_is_explained() -> None:
    verdict = check_predict(SIZE, "torch.zeros(2, 3).shape")
    assert not verdict.correct and "no sandbox" in verdict.message


# -- predict, against real torch ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expr", "answer", "correct", "teaches"),
    [
        (
            "a = torch.ones(2, 3, 4)\nb = torch.ones(4, 5)",
            "(a @ b).shape",
            "(3, 5)",
            False,
            "broadcasts the batch dimensions and multiplies the last two",
        ),
        ("a = torch.ones(2, 3, 4)\nb = torch.ones(4, 5)", "(a @ b).shape", "2x3x5", True, ""),
        (
            "x = torch.arange(6).view(2, 3).t()",
            "x.view(6)",
            "tensor([0, 3, 1, 4, 2, 5])",
            False,
            "view size is not compatible",
        ),
        ("x = torch.arange(6).view(2, 3).t()", "x.view(6)", "RuntimeError", True, ""),
        (
            "x = torch.arange(6).view(2, 3).t()",
            "x.is_contiguous()",
            "True",
            False,
            "not contiguous",
        ),
        (
            "x = torch.zeros(1, 3, 1, 2)",
            "x.squeeze().shape",
            "(1, 3, 2)",
            False,
            "removes only dimensions of size 1",
        ),
        ("x = torch.zeros(1, 3, 1, 2)", "x.squeeze().shape", "(3, 2)", True, ""),
        ("x = torch.tensor([1, 2])", "x.dtype", "float32", False, "default dtype"),
        ("x = torch.tensor([1, 2])", "x.dtype", "torch.long", True, ""),
        ("x = torch.tensor([1, 2])", "x / 2", "tensor([0.5000, 1.0000])", True, ""),
        ("x = torch.tensor([0., 0.])", "F.softmax(x, dim=0)", "[0.5, 0.5]", True, ""),
        (
            "x = torch.tensor(2., requires_grad=True)\ny = x * 3\ny.backward()",
            "x.grad",
            "3",
            True,
            "",
        ),
        (
            "x = torch.tensor(2., requires_grad=True)\ny = x * 3\ny.backward()",
            "y.grad",
            "tensor(1.)",
            False,
            "non-leaf",
        ),
        ("x = torch.ones(3, requires_grad=True)", "(x * 2).grad_fn", "MulBackward0", True, ""),
        ("", "torch.chunk(torch.arange(4), 2)", "(tensor([0, 1]), tensor([2, 3]))", True, ""),
        # expressions are evaluated in the sandbox, without the card's code
        ("x = torch.ones(2, 3)", "x.shape", "torch.zeros(2, 3).shape", True, ""),
        ("x = torch.ones(2, 3)", "x.shape", "x.shape", False, "NameError"),
    ],
)
def test_predictions_checked_against_torch(
    sandbox: Sandbox, code: str, expr: str, answer: str, correct: bool, teaches: str
) -> None:
    verdict = check_exercise(predict(code, expr), answer, sandbox)
    assert verdict.correct is correct, verdict
    assert teaches in verdict.message


CORPUS = [
    ("x = torch.arange(6).view(2, 3)", "x.t().shape"),
    ("x = torch.arange(6).view(2, 3)", "x.t()"),
    ("x = torch.arange(6.).view(2, 3)", "x.mean(dim=0)"),
    ("x = torch.tensor([1., 2.], requires_grad=True)", "x * 2"),
    ("x = torch.tensor([1., 2.], requires_grad=True)", "(x * x).sum()"),
    ("p = nn.Parameter(torch.ones(2))", "p"),
    ("x = torch.ones(2, 3)", "x @ x"),
    ("x = torch.ones(2, 3)", "x.dtype"),
    ("x = torch.ones(2, 3)", "x.is_contiguous()"),
    ("x = torch.ones(2, 3)", "x.numel()"),
    ("x = torch.ones(2, 3)", "x.sum().item()"),
    ("x = torch.ones(2, 3)", "x.grad"),
    ("x = torch.ones(2, 3)", "(x.shape, x.ndim)"),
    ("x = torch.ones(2, requires_grad=True)", "(x + 1).grad_fn"),
    ("x = torch.ones(2, requires_grad=True)", "(x + 1).grad_fn.name()"),
    ("", "F.one_hot(torch.tensor([0, 2]), 3)"),
    ("", "torch.tensor([float('nan'), float('inf')])"),
    ("", "torch.tensor([1, 2], dtype=torch.int32)"),
    ("", "torch.tensor(True)"),
    ("", "torch.max(torch.tensor([1, 3, 2]), dim=0)"),
]


@pytest.mark.parametrize(("code", "expr"), CORPUS)
def test_torch_printed_answer_is_right_and_a_wrong_one_is_not(
    sandbox: Sandbox, code: str, expr: str
) -> None:
    """What `cards check` relies on: torch's own printout, typed back, is judged right."""
    truth = sandbox.run(code, [expr]).values[0]
    exercise = predict(code, expr)
    assert check_exercise(exercise, shown(truth), sandbox).correct, shown(truth)
    assert not check_exercise(exercise, "-987654.25", sandbox).correct


def test_a_rejected_answer_is_a_verdict(sandbox: Sandbox) -> None:
    verdict = check_predict(SIZE, "__import__('os').getcwd()", sandbox)
    assert not verdict.correct and verdict.message.startswith("rejected: ")


def test_a_sandbox_failure_is_a_verdict(sandbox: Sandbox) -> None:
    verdict = check_predict(SIZE, "torch.empty(10**11)", sandbox)
    assert (verdict.correct, verdict.message) == (False, "ran out of memory (limit 1 GiB)")


# -- produce -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exercise", "answer", "correct", "teaches"),
    [
        (produce("x = torch.arange(6)", "x.view(2, 3)"), "x.reshape(2, 3)", True, ""),
        (produce("x = torch.arange(6)", "x.view(2, 3)"), "torch.arange(6).view(2, 3)", True, ""),
        (
            produce("x = torch.arange(6)", "x.view(2, 3)"),
            "x.view(3, 2)",
            False,
            "torch.Size([2, 3])",
        ),
        (
            produce("x = torch.arange(6)", "x.view(2, 3).float()"),
            "x.view(2, 3)",
            False,
            "default dtype",
        ),
        (produce("x = torch.arange(6)", "x.view(2, 3)", need_view=True), "x.view(2, -1)", True, ""),
        (
            produce("x = torch.arange(6)", "x.view(2, 3)", need_view=True),
            "x.view(2, 3).clone()",
            False,
            "copy",
        ),
        (
            produce("x = torch.arange(6).view(2, 3)", "x.t()", need_view=True),
            "x.t().contiguous()",
            False,
            "copy",
        ),
        (
            produce("x = torch.arange(6)", "x.view(2, 3)"),
            "x.view(4, 2)",
            False,
            "is invalid for input of size 6",
        ),
        (
            produce("x = torch.tensor([0., float('nan')])", "x * 1"),
            "x.clone()",
            True,
            "",
        ),
        (produce("x = torch.arange(6)", "x.view(2, 3)"), "import os", False, "rejected: imports"),
        (produce("x = torch.arange(6)", "x.view(2, 3)"), "", False, "No answer"),
    ],
)
def test_produce(
    sandbox: Sandbox, exercise: Exercise, answer: str, correct: bool, teaches: str
) -> None:
    verdict = check_produce(exercise, answer, sandbox)
    assert verdict.correct is correct, verdict
    assert teaches in verdict.message


def test_produce_shows_the_target_even_when_the_answer_is_refused(sandbox: Sandbox) -> None:
    verdict = check_produce(produce("x = torch.arange(3)", "x * 2"), "open('x')", sandbox)
    assert verdict.expected == "tensor([0, 2, 4])"
    assert verdict.message == "rejected: open() is not allowed"


def test_a_broken_card_is_not_blamed_on_the_learner(sandbox: Sandbox) -> None:
    verdict = check_produce(produce("x = torch.ones(2) @ torch.ones(3)", "x"), "x", sandbox)
    assert not verdict.correct and "card" in verdict.message


def test_recall_cards_are_not_executable(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="not checked by running torch"):
        check_exercise(Exercise(Kind.RECALL, "q", "", ""), "a", sandbox)
