"""Check answers to executable cards against what torch actually produced.

Predict: the learner's typed answer (parsed by `cards.answers`) is compared with the
`Value` the card's expression evaluated to. The rules, in short:

- a shape answer matches only when the expression is a shape (a `torch.Size`); a bare
  `(2, 3)`/`[2, 3]` against a tensor is read as the tensor's values;
- tensor answers compare by values (NaN equals NaN) with a tolerance of 1e-4 relative and
  absolute, so values copied from torch's 4-decimal printout match; integers compare
  exactly, and a whole float within 1e-4 absolute only (112.01 is not 112). A typed
  `dtype=` must match. Without one, the values decide, and when the way the numbers were
  typed (`1.` vs `1`) implies another dtype, the answer is still correct
  and the message says which dtype torch gives: the question asked for the value;
- a 0-dim tensor matches a plain number and vice versa (with a note);
- `RuntimeError` matches an error of that class, `error`/`raises` any error;
- anything that is not a literal is evaluated in the sandbox (without the card's code,
  so the question's own expression cannot simply be echoed back) and compared as a value.

Produce: the card's reference expression and the learner's expression run in one sandbox
call and are compared strictly: same kind, shape, dtype, values (1.3e-6 relative, 1e-5
absolute, torch.testing's float32 defaults), and whether it is a view when the card asks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    data_shape,
    flatten,
    parse_answer,
)
from cards.hints import DEFAULT_DTYPE, About, error_hint, operation_hints
from cards.model import (
    BoolValue,
    DtypeValue,
    ErrorValue,
    Exercise,
    Kind,
    NoneValue,
    NumberValue,
    OtherValue,
    SeqValue,
    SizeValue,
    StrValue,
    TensorValue,
    Value,
    Verdict,
)
from cards.sandbox.protocol import Failure, FailureKind
from cards.sandbox.runner import Sandbox

TYPED_RTOL = TYPED_ATOL = 1e-4
COMPUTED_RTOL, COMPUTED_ATOL = 1.3e-6, 1e-5
MAX_SHOWN_CHARS = 200

_ADDRESS = re.compile(r" (?:object )?at 0x[0-9a-fA-F]+")
_OBJECT_REPR = re.compile(r"^<(?P<name>[\w.]+)(?: object)?>$")
_CLASS_REPR = re.compile(r"^<class '(?P<name>[\w.]+)'>$")
NO_ANSWER = (
    "No answer given: type a shape like (2, 3), a value like tensor([1., 2.]), a dtype, "
    "True/False, or the error it raises."
)


@dataclass(frozen=True)
class _Match:
    """The outcome of one comparison: `reason` explains a wrong answer, or is a note on a
    right one; `about` and `error_message` choose the teaching hints."""

    correct: bool
    reason: str = ""
    about: About | None = None
    error_message: str | None = None


def check_predict(
    expected: Value,
    answer: str,
    sandbox: Sandbox | None = None,
    code: str = "",
    *,
    expr: str = "",
) -> Verdict:
    """Check a typed prediction against `expected`, what the card's expression gave.

    A non-literal answer is evaluated in `sandbox` after `code` (pass "" to keep the
    card's variables out of reach). `expr`, the card's expression, only picks hints.
    """
    return _check_predict(expected, answer, sandbox, code, hint_source=f"{code}\n{expr}")


def _check_predict(
    expected: Value, answer: str, sandbox: Sandbox | None, code: str, *, hint_source: str
) -> Verdict:
    raw = answer.strip()
    if not raw:
        return Verdict(False, shown(expected), "", NO_ANSWER)
    if _raw_text_match(expected, raw):
        return _verdict(expected, raw, _Match(True), hint_source)
    parsed = parse_answer(raw)
    if not isinstance(parsed, ExpressionAnswer):
        match = _compare_answer(expected, parsed)
        return _verdict(expected, _shown_answer(expected, parsed), match, hint_source)
    if sandbox is None:
        return Verdict(
            False,
            shown(expected),
            raw,
            "This is not a shape, value, dtype, bool or error, and there is no sandbox "
            "to evaluate it in. " + NO_ANSWER.split(": ", 1)[1].capitalize(),
        )
    result = sandbox.run(code, [raw])
    if result.failure is not None:
        return Verdict(False, shown(expected), raw, result.failure.message)
    if result.setup_error is not None:
        return Verdict(
            False, shown(expected), raw, f"The card's code raised {result.setup_error.text}."
        )
    got = result.values[0]
    match = _compare_values(expected, got, strict=False)
    return _verdict(expected, shown(got), match, hint_source)


def check_produce(exercise: Exercise, answer_expr: str, sandbox: Sandbox) -> Verdict:
    """Check an expression meant to produce what `exercise.expr` produces.

    Both run after `exercise.code` in one sandbox call, and are compared on kind, shape,
    dtype and values, and on being a view of the code's tensors if `need_view` is set.
    """
    raw = answer_expr.strip()
    if not raw:
        return Verdict(False, "", "", "No answer given: type an expression.")
    result = sandbox.run(exercise.code, [exercise.expr, raw])
    match result.failure:
        case Failure(kind=FailureKind.REJECTED, message=message):
            # The answer was refused before anything ran; still show what was wanted.
            reference = sandbox.run(exercise.code, [exercise.expr])
            expected = shown(reference.values[0]) if reference.values else ""
            return Verdict(False, expected, raw, message)
        case Failure(message=message):
            return Verdict(False, "", raw, message)
    if result.setup_error is not None:
        return Verdict(
            False,
            "",
            raw,
            f"The card's own code raised {result.setup_error.text}; the card is broken, "
            "not your answer.",
        )
    target, got = result.values
    if isinstance(target, ErrorValue):
        return Verdict(
            False,
            shown(target),
            shown(got),
            f"The card's reference expression raised {target.text}; the card is broken.",
        )
    match = _compare_values(target, got, strict=True, need_view=exercise.need_view)
    expected_text = shown(target) + (" (a view)" if exercise.need_view else "")
    verdict = _verdict(target, shown(got), match, f"{exercise.code}\n{exercise.expr}\n{raw}")
    return Verdict(verdict.correct, expected_text, verdict.got, verdict.message)


def check_exercise(exercise: Exercise, answer: str, sandbox: Sandbox) -> Verdict:
    """Check an answer to an executable card: predict or produce, whichever it is."""
    if exercise.kind is Kind.PRODUCE:
        return check_produce(exercise, answer, sandbox)
    if exercise.kind is not Kind.PREDICT:
        raise ValueError(f"{exercise.kind} cards are not checked by running torch")
    truth = sandbox.run(exercise.code, [exercise.expr])
    if truth.failure is not None:
        return Verdict(
            False, "", answer.strip(), f"The card's code could not run: {truth.failure.message}"
        )
    # The answer, if it is an expression, runs without the card's code: otherwise typing
    # the question's own expression back would always be "right".
    hints = f"{exercise.code}\n{exercise.expr}"
    return _check_predict(truth.values[0], answer, sandbox, "", hint_source=hints)


# -- presenting ---------------------------------------------------------------------------


def shown(value: Value) -> str:
    """A short one-line string for a value, the way torch prints it."""
    if isinstance(value, ErrorValue):
        return value.error or "an error"
    text = " ".join(_ADDRESS.sub("", value.text).split())
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 1] + "…"


def _verdict(expected: Value, got: str, match: _Match, source: str) -> Verdict:
    if match.correct:
        message = "Correct." + (f" {match.reason}" if match.reason else "")
        if isinstance(expected, ErrorValue) and expected.message:
            message += f" torch says: {expected.error}: {_first_line(expected.message)}"
        return Verdict(True, shown(expected), got, message)
    reason = match.reason if match.reason.endswith((".", "!", "?")) else match.reason + "."
    parts = [f"Not quite: {reason}"]
    hint = error_hint(match.error_message)
    if hint:
        parts.append(hint)
    if match.about is not None:
        parts += operation_hints(source, match.about)
        if match.about == "dtype" and DEFAULT_DTYPE not in parts:
            parts.append(DEFAULT_DTYPE)
    return Verdict(False, shown(expected), got, " ".join(dict.fromkeys(parts)))


def _shown_answer(exp: Value, ans: ParsedAnswer) -> str:
    """The typed answer printed the way torch would print what it was read as."""
    if (
        isinstance(exp, TensorValue)
        and isinstance(ans, ShapeAnswer)
        and ans.form in ("tuple", "list")
    ):
        return TensorAnswer(list(ans.dims), None, explicit=False).text
    return ans.text


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else ""


def _raises(value: ErrorValue) -> str:
    line = _first_line(value.message)
    return f"{value.error}: {line}" if line else value.error


def _dims(shape: tuple[int, ...] | None) -> str:
    return f"torch.Size([{', '.join(str(d) for d in shape or ())}])"


# -- typed answers --------------------------------------------------------------------------


def _compare_answer(exp: Value, ans: ParsedAnswer) -> _Match:
    """Compare a parsed literal answer with the expected value (predict rules)."""
    if isinstance(exp, ErrorValue):
        return _expect_error(exp, ans)
    if isinstance(ans, ErrorAnswer):
        return _Match(False, f"no error here: torch gives {shown(exp)}.", _about_for(exp))
    match exp:
        case SizeValue():
            return _answer_size(exp, ans)
        case TensorValue():
            return _answer_tensor(exp, ans)
        case NumberValue():
            return _answer_number(exp, ans)
        case BoolValue():
            return _answer_bool(exp, ans)
        case DtypeValue(dtype=dtype):
            if isinstance(ans, DtypeAnswer) and ans.dtype == dtype:
                return _Match(True)
            return _Match(False, f"the dtype is {dtype}.", "dtype")
        case NoneValue():
            if isinstance(ans, NoneAnswer):
                return _Match(True)
            return _Match(False, "the expression gives None.", "none")
        case StrValue(data=data):
            if isinstance(ans, StrAnswer) and ans.value == data:
                return _Match(True)
            return _Match(False, f"the expression gives the string {exp.text}.", "value")
        case SeqValue():
            return _answer_seq(exp, ans)
    return _Match(False, f"torch gives {shown(exp)}.", "value")


def _expect_error(exp: ErrorValue, ans: ParsedAnswer) -> _Match:
    if isinstance(ans, ErrorAnswer):
        if ans.error is None or ans.error.lower() in (exp.error.lower(), "exception"):
            return _Match(True)
        return _Match(False, f"it raises {_raises(exp)} (not {ans.error}).", "error", exp.message)
    return _Match(False, f"this raises {_raises(exp)}", "error", exp.message)


def _answer_size(exp: SizeValue, ans: ParsedAnswer) -> _Match:
    shape = exp.shape
    if isinstance(ans, ShapeAnswer):
        if ans.dims == shape:
            return _Match(True)
        return _Match(False, f"the shape is {_dims(shape)}, not {ans.text}.", "shape")
    if isinstance(ans, ScalarAnswer) and len(shape) == 1 and ans.value == shape[0]:
        return _Match(True, f"torch prints it as {_dims(shape)}.")
    if isinstance(ans, TensorAnswer) and isinstance(ans.data, list) and ans.data == list(shape):
        return _Match(True, f"it is a torch.Size, not a tensor: {_dims(shape)}.")
    return _Match(False, f"the expression gives a shape, {_dims(shape)}.", "shape")


def _answer_data(ans: ParsedAnswer) -> tuple[Any, str | None] | None:
    """The tensor values an answer stands for, and its typed dtype; None if it has none."""
    if isinstance(ans, TensorAnswer):
        return ans.data, ans.dtype
    if isinstance(ans, ShapeAnswer) and ans.form in ("tuple", "list"):
        return list(ans.dims), None
    if isinstance(ans, ScalarAnswer | BoolAnswer):
        return ans.value, None
    return None


def _answer_tensor(exp: TensorValue, ans: ParsedAnswer) -> _Match:
    shape = exp.shape
    found = _answer_data(ans)
    if found is None:
        if isinstance(ans, ShapeAnswer):
            same = " (that is its shape, though)" if ans.dims == shape else ""
            return _Match(False, f"the expression gives a tensor, not a shape{same}.", "shape")
        if isinstance(ans, DtypeAnswer):
            return _Match(
                False, f"the expression gives a tensor (its dtype is {exp.dtype}).", "dtype"
            )
        return _Match(False, f"the expression gives a tensor: {shown(exp)}.", "value")
    data, dtype = found
    if dtype is not None and dtype != exp.dtype:
        return _Match(False, f"the dtype is {exp.dtype}, not {dtype}.", "dtype")
    if exp.data is None:
        return _Match(False, "this tensor is too large to compare by value.", "value")
    if data_shape(data) != shape:
        scalar = isinstance(ans, ScalarAnswer | BoolAnswer)
        what = "a number" if scalar else f"values of shape {_dims(data_shape(data))}"
        return _Match(False, f"the result has shape {_dims(shape)}; you gave {what}.", "shape")
    if not _data_close(exp.data, data, _typed_close):
        if not shape:
            return _Match(False, f"the value is {shown(exp)}.", "value")
        return _Match(False, "the shape is right but the values differ.", "value")
    note = _dtype_note(exp, data) if dtype is None else ""
    if isinstance(ans, ScalarAnswer | BoolAnswer):
        note = f"torch gives a 0-dim tensor, {shown(exp)}; .item() turns it into a number."
    return _Match(True, note)


def _answer_number(exp: NumberValue, ans: ParsedAnswer) -> _Match:
    if isinstance(ans, ScalarAnswer):
        if _typed_close(exp.data, ans.value):
            return _Match(True)
        return _Match(False, f"the value is {exp.text}.", "value")
    if (
        isinstance(ans, TensorAnswer)
        and not isinstance(ans.data, list)
        and _typed_close(exp.data, ans.data)
    ):
        return _Match(True, "torch gives a plain Python number here, not a tensor.")
    return _Match(False, f"the expression gives a plain number, {exp.text}.", "value")


def _answer_bool(exp: BoolValue, ans: ParsedAnswer) -> _Match:
    if isinstance(ans, BoolAnswer):
        if ans.value == exp.data:
            return _Match(True)
        return _Match(False, f"it is {exp.text}.", "bool")
    if isinstance(ans, TensorAnswer) and isinstance(ans.data, bool) and ans.data == exp.data:
        return _Match(True, "torch gives a plain bool here, not a tensor.")
    return _Match(False, f"the expression gives a bool, {exp.text}.", "bool")


def _answer_seq(exp: SeqValue, ans: ParsedAnswer) -> _Match:
    if isinstance(ans, SeqAnswer):
        items: list[ParsedAnswer] = list(ans.items)
    elif (found := _answer_data(ans)) is not None and isinstance(found[0], list):
        items = [_as_answer(x) for x in found[0]]
    else:
        return _Match(False, f"the expression gives a sequence: {shown(exp)}.", "value")
    if len(items) != len(exp.items):
        return _Match(
            False, f"it has {len(exp.items)} items, not {len(items)}: {shown(exp)}.", "shape"
        )
    for index, (item_exp, item_ans) in enumerate(zip(exp.items, items, strict=True)):
        match = _compare_answer(item_exp, item_ans)
        if not match.correct:
            return _Match(False, f"item {index}: {match.reason}", match.about, match.error_message)
    return _Match(True)


def _as_answer(data: Any) -> ParsedAnswer:
    if isinstance(data, bool):
        return BoolAnswer(data)
    if isinstance(data, int | float):
        return ScalarAnswer(data)
    return TensorAnswer(data, None, explicit=False)


def _raw_text_match(exp: Value, raw: str) -> bool:
    """Strings, opaque objects and exception names compare by text: `MulBackward0` for
    'MulBackward0' or `<MulBackward0 object at 0x…>`, `torch.Tensor` for
    `<class 'torch.Tensor'>`, `StopIteration` for that exception."""
    typed = _ADDRESS.sub("", raw).strip().strip("'\"").strip()
    match exp:
        case ErrorValue(error=error):  # any exception class typed by name, even without "Error"
            return typed.lower() == error.lower()
        case StrValue(data=data):
            return typed == data
        case OtherValue():
            pass
        case _:
            return False
    text = _ADDRESS.sub("", exp.text).strip()
    names = {" ".join(text.split())}
    for pattern in (_OBJECT_REPR, _CLASS_REPR):
        found = pattern.match(text)
        if found:
            name = found.group("name")
            names |= {name, name.rsplit(".", 1)[-1]}
    return " ".join(typed.split()) in names or typed.strip("<>") in names


# -- computed values ------------------------------------------------------------------------


def _compare_values(exp: Value, got: Value, *, strict: bool, need_view: bool = False) -> _Match:
    """Compare two values torch produced. `strict` (produce) also requires the same kind
    and dtype; otherwise (a predict answer typed as code) values decide."""
    match exp, got:
        case ErrorValue(), ErrorValue() if got.error == exp.error:
            return _Match(True)
        case ErrorValue(), _:
            return _Match(False, f"this raises {_raises(exp)}", "error", exp.message)
        case _, ErrorValue():
            return _Match(False, f"your expression raised {_raises(got)}", "error", got.message)
        case TensorValue(), _:
            return _tensor_vs_value(exp, got, strict=strict, need_view=need_view)
        case NumberValue() | BoolValue(), TensorValue(shape=()) if not strict and _num_close(
            exp.data, got.data, COMPUTED_RTOL, COMPUTED_ATOL
        ):
            return _Match(True, "torch gives a plain Python number here, not a tensor.")
        case SizeValue(), SeqValue() if _seq_dims(got) == exp.shape:
            return _Match(True, f"torch gives a torch.Size: {_dims(exp.shape)}.")
        case NumberValue(), NumberValue():
            if _num_close(exp.data, got.data, COMPUTED_RTOL, COMPUTED_ATOL):
                return _Match(True)
            return _Match(False, f"the value is {exp.text}, not {got.text}.", "value")
    if type(exp) is not type(got):
        return _Match(
            False, f"torch gives {_kind(exp)}, your expression gives {_kind(got)}.", "value"
        )
    match exp, got:
        case SizeValue(), SizeValue():
            if exp.shape == got.shape:
                return _Match(True)
            return _Match(
                False, f"the shape is {_dims(exp.shape)}, not {_dims(got.shape)}.", "shape"
            )
        case SeqValue(), SeqValue():
            return _seq_vs_seq(exp, got, strict=strict)
        case (BoolValue(data=a), BoolValue(data=b)) | (StrValue(data=a), StrValue(data=b)):
            same = a == b
            return _Match(same, "" if same else f"it is {exp.text}.", "value")
        case DtypeValue(), DtypeValue():
            ok = exp.dtype == got.dtype
            return _Match(ok, "" if ok else f"the dtype is {exp.dtype}, not {got.dtype}.", "dtype")
        case NoneValue(), _:
            return _Match(True)
    same = _ADDRESS.sub("", exp.text) == _ADDRESS.sub("", got.text)
    return _Match(same, "" if same else f"torch gives {shown(exp)}.", "value")


def _seq_dims(seq: SeqValue) -> tuple[int, ...] | None:
    """The sequence as a shape, if every item is an int."""
    dims = [item.data for item in seq.items if isinstance(item, NumberValue)]
    if len(dims) != len(seq.items) or not all(isinstance(d, int) for d in dims):
        return None
    return tuple(int(d) for d in dims)


def _seq_vs_seq(exp: SeqValue, got: SeqValue, *, strict: bool) -> _Match:
    if len(exp.items) != len(got.items):
        return _Match(False, f"{len(exp.items)} items expected, got {len(got.items)}.", "shape")
    for index, (a, b) in enumerate(zip(exp.items, got.items, strict=True)):
        match = _compare_values(a, b, strict=strict)
        if not match.correct:
            return _Match(False, f"item {index}: {match.reason}", match.about, match.error_message)
    return _Match(True)


def _tensor_vs_value(exp: TensorValue, got: Value, *, strict: bool, need_view: bool) -> _Match:
    shape = exp.shape
    if not isinstance(got, TensorValue):
        lenient_0d = not strict and shape == ()
        if (
            lenient_0d
            and isinstance(got, NumberValue | BoolValue)
            and _num_close(exp.data, got.data, COMPUTED_RTOL, COMPUTED_ATOL)
        ):
            return _Match(True, f"torch gives a 0-dim tensor, {shown(exp)}.")
        return _Match(False, f"torch gives a tensor, your expression gives {_kind(got)}.", "value")
    if got.shape != shape:
        return _Match(
            False, f"the shape should be {_dims(shape)}, yours is {_dims(got.shape)}.", "shape"
        )
    if strict and got.dtype != exp.dtype:
        return _Match(False, f"the dtype should be {exp.dtype}, yours is {got.dtype}.", "dtype")
    if exp.data is None or got.data is None:
        same = exp.text == got.text
        if not same:
            return _Match(False, "the values differ (the tensor is too large to list).", "value")
    elif not _data_close(exp.data, got.data, _computed_close):
        return _Match(False, "the shape and dtype are right but the values differ.", "value")
    if need_view and not got.is_view:
        return _Match(
            False,
            "the values are right, but your result is a copy: it must be a view that "
            "shares storage with the tensor the code made (view, transpose, slicing, "
            "expand…; clone, contiguous on a non-contiguous tensor, or reshape after a "
            "transpose copy).",
            "view",
        )
    note = ""
    if not strict and got.dtype != exp.dtype:
        note = f"The values match; note torch gives dtype {exp.dtype}, yours is {got.dtype}."
    return _Match(True, note)


def _kind(value: Value) -> str:
    match value:
        case TensorValue():
            return "a tensor"
        case SizeValue():
            return "a torch.Size"
        case DtypeValue():
            return "a dtype"
        case BoolValue():
            return "a bool"
        case NumberValue():
            return "an int" if value.type_name == "int" else "a float"
        case StrValue():
            return "a string"
        case NoneValue():
            return "None"
        case SeqValue():
            return "a sequence"
        case ErrorValue():
            return "an error"
    return shown(value)


# -- numbers ---------------------------------------------------------------------------------


def _dtype_family(dtype: str | None) -> str | None:
    name = (dtype or "").removeprefix("torch.")
    if name == "bool":
        return "bool"
    if name.startswith(("float", "bfloat", "half", "double")):
        return "floating"
    if name.startswith(("int", "uint", "long", "short")):
        return "integer"
    return None


def _typed_family(data: Any) -> str | None:
    values = flatten(data)
    if not values:
        return None
    if all(isinstance(v, bool) for v in values):
        return "bool"
    return "floating" if any(isinstance(v, float) for v in values) else "integer"


def _dtype_note(exp: TensorValue, data: Any) -> str:
    """A note when the typed numbers suggest another dtype than torch's."""
    expected, typed = _dtype_family(exp.dtype), _typed_family(data)
    if expected is None or typed is None or expected == typed:
        return ""
    return f"The values match; note the dtype is {exp.dtype}: torch prints {shown(exp)}."


def _data_close(a: Any, b: Any, close: Callable[[Any, Any], bool]) -> bool:
    """Nested lists equal in shape and `close` in every value."""
    if isinstance(a, list | tuple) or isinstance(b, list | tuple):
        if not (isinstance(a, list | tuple) and isinstance(b, list | tuple)) or len(a) != len(b):
            return False
        return all(_data_close(x, y, close) for x, y in zip(a, b, strict=True))
    return close(a, b)


def _typed_close(expected: Any, typed: Any) -> bool:
    """A typed number against torch's: exactly when torch's is an integer; within the
    absolute tolerance alone when it is a whole float (the relative one would let 112.01
    pass for 112, and nobody types that by rounding); else within the typed tolerances.
    NaN equals NaN."""
    if not isinstance(expected, int | float) or not isinstance(typed, int | float):
        return False
    if isinstance(expected, int):
        return float(typed) == expected
    if math.isfinite(expected) and expected.is_integer():
        return abs(float(typed) - expected) <= TYPED_ATOL
    return _num_close(expected, typed, TYPED_RTOL, TYPED_ATOL)


def _computed_close(expected: Any, got: Any) -> bool:
    return _num_close(expected, got, COMPUTED_RTOL, COMPUTED_ATOL)


def _num_close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    if not isinstance(a, int | float) or not isinstance(b, int | float):
        return False
    if isinstance(a, int) and isinstance(b, int):  # ints and bools: exactly
        return a == b
    try:
        x, y = float(a), float(b)
    except OverflowError:
        return False
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return math.isclose(x, y, rel_tol=rtol, abs_tol=atol)


def _about_for(exp: Value) -> About:
    match exp:
        case SizeValue():
            return "shape"
        case DtypeValue():
            return "dtype"
        case BoolValue():
            return "bool"
        case NoneValue():
            return "none"
    return "value"
