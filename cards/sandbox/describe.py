"""Turn what quiz code produced into `cards.model` values, inside the sandbox child.

Runs only in the worker process tree: torch is imported inside the functions, never at
module import, so importing this module elsewhere costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cards import model

if TYPE_CHECKING:
    import torch

# Tensors with more elements than this carry no `data` (their shape, dtype and text still
# travel); a learner never types that many numbers, and the output cap stays far away.
MAX_DATA_ELEMENTS = 4096
# Reprs of sequences and other objects are cut here; the items carry the detail.
MAX_TEXT_CHARS = 2000
MAX_MESSAGE_CHARS = 2000
MAX_SEQ_DEPTH = 4

# torch appends a C++ backtrace to some messages; it teaches nothing.
_CPP_TRAILER = re.compile(r"\n+Exception raised from .*", re.DOTALL)


@dataclass(frozen=True)
class SetupTensors:
    """The tensors the setup code bound: their storage addresses, and their identities."""

    storages: frozenset[int]
    ids: frozenset[int]


def setup_tensors(namespace: dict[str, Any]) -> SetupTensors:
    """Collect the tensors the setup code bound, for deciding what is a view.

    Looks at top-level names, one level into lists/tuples/dicts, and the parameters and
    buffers of modules, which is where quiz code keeps its tensors. The objects stay alive
    in the namespace, so their ids and storage addresses cannot be reused meanwhile.
    """
    import torch

    tensors = list(_tensors_in(namespace.values(), torch))
    storages = frozenset(ptr for t in tensors if (ptr := _storage_ptr(t)))
    return SetupTensors(storages, frozenset(id(t) for t in tensors))


def _tensors_in(values: Iterable[object], torch: Any) -> Iterable[torch.Tensor]:
    for value in values:
        if isinstance(value, torch.Tensor):
            yield value
        elif isinstance(value, list | tuple):
            yield from (v for v in value if isinstance(v, torch.Tensor))
        elif isinstance(value, dict):
            yield from (v for v in value.values() if isinstance(v, torch.Tensor))
        elif isinstance(value, torch.nn.Module):
            yield from value.parameters()
            yield from value.buffers()


def _storage_ptr(tensor: torch.Tensor) -> int:
    try:
        return int(tensor.untyped_storage().data_ptr())
    except Exception:  # sparse, meta and other storage-less tensors
        return 0


def describe(value: object, setup: SetupTensors, depth: int = 0) -> model.Value:
    """The `Value` for `value`; `setup` (from `setup_tensors`) decides is_view."""
    import torch

    if isinstance(value, torch.Tensor):
        return _describe_tensor(value, setup)
    if isinstance(value, torch.Size):  # before tuple: Size is a tuple
        return model.SizeValue(str(value), tuple(value))
    if isinstance(value, torch.dtype):
        return model.DtypeValue(str(value), str(value))
    if isinstance(value, bool):  # before int: bool is an int
        return model.BoolValue(repr(value), value)
    if isinstance(value, int | float):
        return model.NumberValue(repr(value), value)
    if isinstance(value, str):
        return model.StrValue(repr(value), value)
    if value is None:
        return model.NoneValue()
    if isinstance(value, tuple | list) and depth < MAX_SEQ_DEPTH:
        return model.SeqValue(
            _text(value), tuple(describe(item, setup, depth + 1) for item in value)
        )
    return model.OtherValue(_text(value))


def describe_error(exc: BaseException) -> model.ErrorValue:
    """The `Value` for an exception the code raised."""
    name = type(exc).__name__
    message = _CPP_TRAILER.sub("", str(exc)).strip()[:MAX_MESSAGE_CHARS]
    first = message.splitlines()[0] if message else ""
    return model.ErrorValue(f"{name}: {first}" if first else name, name, message)


def _describe_tensor(tensor: torch.Tensor, setup: SetupTensors) -> model.TensorValue:
    ptr = _storage_ptr(tensor)
    # A view: a new tensor object sharing storage with a tensor the setup code bound.
    # Naming one of those tensors (`x`, or `y = x.view(…)` itself) does not make a view.
    is_view = bool(ptr) and ptr in setup.storages and id(tensor) not in setup.ids
    return model.TensorValue(
        _text(tensor), tuple(tensor.shape), str(tensor.dtype), _tensor_data(tensor), is_view
    )


def _tensor_data(tensor: torch.Tensor) -> Any:
    if tensor.numel() > MAX_DATA_ELEMENTS or tensor.is_complex():
        return None
    try:
        return tensor.detach().tolist()
    except Exception:  # quantized, sparse or meta tensors have no plain list form
        return None


def _text(value: object) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__ in quiz code must not lose the answer
        return f"<unprintable {type(value).__name__}: {type(exc).__name__}>"
    if len(text) > MAX_TEXT_CHARS:
        return text[:MAX_TEXT_CHARS] + "…"
    return text
