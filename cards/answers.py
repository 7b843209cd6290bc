"""Parse what a learner types as a predict answer into a typed answer, without torch.

Accepted forms (see docs/ARCHITECTURE.md, "Answers"):

- shapes: ``(2, 3)``, ``2x3``, ``2 x 3``, ``2×3``, ``[2, 3]``, ``torch.Size([2, 3])``,
  ``()``, ``[]``;
- tensors: ``tensor([1., 2.])``, ``torch.tensor([[1, 2], [3, 4]])``, ``tensor(3.)``, with
  optional ``dtype=…`` (and a pasted ``requires_grad=True``/``grad_fn=<…>`` is ignored);
  bare nested lists of numbers;
- scalars ``3``, ``-1.5``, ``1e-3``, ``nan``, ``inf``; bools ``True``/``true``/``yes``/
  ``no``/``False`` (and 예/아니오); ``None``;
- dtypes ``float32``, ``torch.float32``, ``float``, ``torch.float``, ``long``, ``int64``…;
- errors ``RuntimeError``, ``IndexError``…, or ``error``/``raises``/``it raises an error``
  for "some error";
- quoted strings, and tuples/lists of any of the above.

A list or tuple of non-negative integers is ambiguous (a shape, or a tensor's values): it
parses as a `ShapeAnswer` with `form` "list"/"tuple", and the checker reads it as values
when the question's answer is a tensor. Anything else becomes an `ExpressionAnswer`, which
the checker runs in the sandbox. Only `ast.literal_eval` ever sees the text; nothing is
evaluated here, and `parse_answer` never raises.
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from dataclasses import dataclass
from typing import Any, Literal

# dtype spellings (without a leading "torch.") → how torch prints the dtype.
DTYPE_ALIASES: dict[str, str] = {
    "float32": "torch.float32",
    "float": "torch.float32",
    "float64": "torch.float64",
    "double": "torch.float64",
    "float16": "torch.float16",
    "half": "torch.float16",
    "bfloat16": "torch.bfloat16",
    "int64": "torch.int64",
    "long": "torch.int64",
    "int32": "torch.int32",
    "int": "torch.int32",
    "int16": "torch.int16",
    "short": "torch.int16",
    "int8": "torch.int8",
    "uint8": "torch.uint8",
    "uint16": "torch.uint16",
    "uint32": "torch.uint32",
    "uint64": "torch.uint64",
    "bool": "torch.bool",
    "complex64": "torch.complex64",
    "cfloat": "torch.complex64",
    "complex128": "torch.complex128",
    "cdouble": "torch.complex128",
}

TRUE_WORDS = frozenset({"true", "yes", "예", "네", "참"})
FALSE_WORDS = frozenset({"false", "no", "아니오", "아니요", "아니", "거짓"})
NONE_WORDS = frozenset({"none", "null"})
# Ways of saying "it raises something" without naming the class.
ANY_ERROR = re.compile(
    r"^(?:it\s+)?(?:(?:raises|throws|gives|will\s+raise|is)\s+)?(?:an?\s+)?"
    r"(?:error|exception|raises|raise|throws|fails|errors)"
    r"(?:\s+(?:an?\s+)?(?:error|exception))?$"
)
ANY_ERROR_WORDS = frozenset({"에러", "오류", "예외", "에러 발생", "오류 발생", "예외 발생"})
# "RuntimeError", "raises torch.fx.proxy.TraceError", "RuntimeError: mat1 and mat2 …"
NAMED_ERROR = re.compile(
    r"^(?:it\s+)?(?:(?:raises|throws|gives|will\s+raise)\s+)?(?:an?\s+)?"
    r"(?:[A-Za-z_][\w]*\.)*(?P<name>[A-Z]\w*(?:Error|Exception|Warning))\b\s*(?:[:(].*)?$",
    re.DOTALL,
)
SHAPE_X = re.compile(r"^\d+(?:\s*[x×X]\s*\d+)+$")
SIZE_CALL = re.compile(r"^(?:torch\.)?Size\s*\((?P<inner>.*)\)$", re.DOTALL)
RETURN_TYPES = re.compile(r"^(?:torch\.)?return_types\.\w+\s*\((?P<inner>.*)\)$", re.DOTALL)
TENSOR_CALL = re.compile(r"^(?:torch\.)?tensor\s*\((?P<inner>.*)\)$", re.DOTALL)
# nan/inf as bare words inside literals (torch prints them that way)
_SPECIAL_FLOAT = re.compile(r"(?<![\w.'\"])(nan|inf)(?![\w.'\"])", re.IGNORECASE)
_MAX_ANSWER_CHARS = 20_000


@dataclass(frozen=True)
class ShapeAnswer:
    """A shape. `form`: how it was typed ("x" for 2x3, "size" for torch.Size([...]),
    "tuple"/"list" for bare brackets, which may also mean a tensor's values)."""

    dims: tuple[int, ...]
    form: Literal["x", "size", "tuple", "list"]

    @property
    def text(self) -> str:
        """How torch prints it."""
        return f"torch.Size([{', '.join(str(d) for d in self.dims)}])"


@dataclass(frozen=True)
class TensorAnswer:
    """Tensor values (a number or nested lists), with a dtype if one was typed.
    `explicit` is True when typed as tensor(...)."""

    data: Any
    dtype: str | None = None
    explicit: bool = True

    @property
    def text(self) -> str:
        """How torch would print it."""
        dtype = f", dtype={self.dtype}" if self.dtype else ""
        return f"tensor({format_data(self.data)}{dtype})"


@dataclass(frozen=True)
class ScalarAnswer:
    """A plain number."""

    value: int | float

    @property
    def text(self) -> str:
        """How Python prints it."""
        return repr(self.value)


@dataclass(frozen=True)
class BoolAnswer:
    """True or False."""

    value: bool

    @property
    def text(self) -> str:
        """How Python prints it."""
        return repr(self.value)


@dataclass(frozen=True)
class DtypeAnswer:
    """A dtype, stored the way torch prints it ("torch.float32")."""

    dtype: str

    @property
    def text(self) -> str:
        """How torch prints it."""
        return self.dtype


@dataclass(frozen=True)
class ErrorAnswer:
    """An exception class name, or None for "some error"."""

    error: str | None

    @property
    def text(self) -> str:
        """The class name, or "an error"."""
        return self.error or "an error"


@dataclass(frozen=True)
class NoneAnswer:
    """Python's None."""

    @property
    def text(self) -> str:
        """How Python prints it."""
        return "None"


@dataclass(frozen=True)
class StrAnswer:
    """A quoted string."""

    value: str

    @property
    def text(self) -> str:
        """How Python prints it."""
        return repr(self.value)


@dataclass(frozen=True)
class SeqAnswer:
    """A tuple or list whose items are answers of their own (e.g. two tensors)."""

    items: tuple[ParsedAnswer, ...]

    @property
    def text(self) -> str:
        """The items, printed each in its own way."""
        inner = ", ".join(item.text for item in self.items)
        return f"({inner},)" if len(self.items) == 1 else f"({inner})"


@dataclass(frozen=True)
class ExpressionAnswer:
    """Not a literal form: code for the sandbox to evaluate (empty if nothing was typed)."""

    source: str

    @property
    def text(self) -> str:
        """The code as typed."""
        return self.source


ParsedAnswer = (
    ShapeAnswer
    | TensorAnswer
    | ScalarAnswer
    | BoolAnswer
    | DtypeAnswer
    | ErrorAnswer
    | NoneAnswer
    | StrAnswer
    | SeqAnswer
    | ExpressionAnswer
)


def parse_answer(text: str) -> ParsedAnswer:
    """Read a typed answer; never raises. Unreadable text becomes an `ExpressionAnswer`."""
    raw = text.strip()
    if not raw or len(raw) > _MAX_ANSWER_CHARS:
        return ExpressionAnswer(raw)
    try:
        parsed = _parse(raw)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        parsed = None
    return parsed if parsed is not None else ExpressionAnswer(raw)


def _parse(raw: str) -> ParsedAnswer | None:
    words = _words(raw)
    for parse in (_parse_word, _parse_error, _parse_shape, _parse_tensor, _parse_literal):
        result = parse(raw, words)
        if result is not None:
            return result
    return _parse_seq(raw)


def _words(raw: str) -> str:
    """Lower-case, single-spaced, without trailing punctuation: for word answers."""
    return " ".join(raw.lower().rstrip(".!?。").split())


def _parse_word(raw: str, words: str) -> ParsedAnswer | None:
    if words in TRUE_WORDS:
        return BoolAnswer(True)
    if words in FALSE_WORDS:
        return BoolAnswer(False)
    if words in NONE_WORDS:
        return NoneAnswer()
    dtype = parse_dtype(raw)
    if dtype is not None:
        return DtypeAnswer(dtype)
    return None


def parse_dtype(text: str) -> str | None:
    """ "float32", "torch.float", "dtype=torch.long"… → "torch.float32"/…; None otherwise."""
    name = text.strip()
    if name.startswith("dtype="):
        name = name[len("dtype=") :].strip()
    name = name.removeprefix("torch.")
    return DTYPE_ALIASES.get(name)


def _parse_error(raw: str, words: str) -> ParsedAnswer | None:
    if ANY_ERROR.match(words) or words in ANY_ERROR_WORDS:
        return ErrorAnswer(None)
    named = NAMED_ERROR.match(raw)
    if named:
        return ErrorAnswer(named.group("name"))
    return None


def _parse_shape(raw: str, words: str) -> ParsedAnswer | None:
    if SHAPE_X.match(raw):
        return ShapeAnswer(tuple(int(d) for d in re.split(r"\s*[x×X]\s*", raw)), "x")
    size = SIZE_CALL.match(raw)
    if size:
        inner = _literal(size.group("inner")) if size.group("inner").strip() else []
        if isinstance(inner, list | tuple) and all(_is_dim(d) for d in inner):
            return ShapeAnswer(tuple(inner), "size")
    return None


def _parse_tensor(raw: str, words: str) -> ParsedAnswer | None:
    # nn.Parameter prints as "Parameter containing:\ntensor([...], requires_grad=True)"
    call = TENSOR_CALL.match(raw.removeprefix("Parameter containing:").strip())
    if not call:
        return None
    parts = _split_top_level(call.group("inner"))
    if not parts:
        return None
    data = _as_data(_literal(parts[0]))
    if data is None:
        return None
    dtype = None
    for part in parts[1:]:
        key, _, value = part.partition("=")
        key = key.strip()
        if key == "dtype":
            dtype = parse_dtype(value)
            if dtype is None:
                return None
        elif key not in ("requires_grad", "grad_fn", "device", "size", "names"):
            return None
    return TensorAnswer(data, dtype, explicit=True)


def _parse_literal(raw: str, words: str) -> ParsedAnswer | None:
    if words in ("nan", "inf", "+inf", "-inf", "infinity", "-infinity"):
        return ScalarAnswer(float(words))
    try:
        value = _literal(raw)
    except (ValueError, SyntaxError):
        return None
    if isinstance(value, bool):
        return BoolAnswer(value)
    if isinstance(value, int | float):
        return ScalarAnswer(value)
    if value is None:
        return NoneAnswer()
    if isinstance(value, str):
        return StrAnswer(value)
    if isinstance(value, list | tuple):
        form: Literal["tuple", "list"] = "tuple" if isinstance(value, tuple) else "list"
        if all(_is_dim(d) for d in value):
            return ShapeAnswer(tuple(value), form)
        data = _as_data(value)
        if data is not None:
            return TensorAnswer(data, None, explicit=False)
    return None


def _parse_seq(raw: str) -> ParsedAnswer | None:
    """`(tensor([1, 2]), tensor([3]))` and the like: brackets around answers of their own;
    also torch's named tuples, `torch.return_types.max(values=tensor(3), indices=…)`."""
    named = RETURN_TYPES.match(raw)
    if named:
        inner = named.group("inner")
        parts = [part.partition("=")[2] for part in _split_top_level(inner)]
    elif len(raw) >= 2 and (raw[0], raw[-1]) in (("(", ")"), ("[", "]")):
        parts = _split_top_level(raw[1:-1])
    else:
        return None
    if not parts:
        return None
    items = []
    for part in parts:
        item = parse_answer(part)
        if isinstance(item, ExpressionAnswer):
            return None
        items.append(item)
    return SeqAnswer(tuple(items))


def _literal(text: str) -> Any:
    """`ast.literal_eval` that also reads nan/inf (as torch prints them)."""
    quoted = _SPECIAL_FLOAT.sub(lambda m: f"'__float_{m.group(1).lower()}__'", text)
    with warnings.catch_warnings():  # "invalid decimal literal" and the like, never shown
        warnings.simplefilter("ignore", SyntaxWarning)
        return _restore_special(ast.literal_eval(quoted.strip()))


def _restore_special(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("__float_") and value.endswith("__"):
        return float(value[len("__float_") : -2])
    if isinstance(value, list | tuple):
        restored = [_restore_special(v) for v in value]
        return restored if isinstance(value, list) else tuple(restored)
    return value


def _is_dim(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _as_data(value: Any) -> Any:
    """Tensor data as nested lists of numbers/bools, or None if it is not rectangular."""
    if isinstance(value, bool | int | float):
        return value
    if not isinstance(value, list | tuple):
        return None
    items = [_as_data(v) for v in value]
    if any(item is None for item in items):
        return None
    shapes = {data_shape(item) for item in items}
    if len(shapes) > 1:
        return None
    return items


def data_shape(data: Any) -> tuple[int, ...]:
    """The shape of nested-list tensor data (a number has shape ())."""
    if isinstance(data, list | tuple):
        return (len(data), *data_shape(data[0])) if data else (0,)
    return ()


def flatten(data: Any) -> list[Any]:
    """Nested lists → a flat list of numbers."""
    if isinstance(data, list | tuple):
        return [x for item in data for x in flatten(item)]
    return [data]


def format_data(data: Any) -> str:
    """Nested-list tensor data printed roughly as torch prints it: `[1., 2.]`, `[1, 2]`."""
    values = flatten(data)
    floats = any(isinstance(v, float) for v in values)
    integral = all(
        isinstance(v, bool) or (math.isfinite(v) and float(v).is_integer()) for v in values
    )

    def number(v: Any) -> str:
        if isinstance(v, bool) or not floats:
            return repr(v)
        if not math.isfinite(v):
            return repr(v)
        return f"{v:.0f}." if integral else f"{v:.4f}"

    def render(d: Any) -> str:
        if isinstance(d, list | tuple):
            return "[" + ", ".join(render(x) for x in d) + "]"
        return number(d)

    return render(data)


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside brackets or quotes; empty parts are dropped."""
    parts, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{<":
            depth += 1
        elif char in ")]}>":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]
