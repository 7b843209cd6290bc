"""The learner's own keys: `[keymap]` in config.toml maps a binding id to keys."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

from textual.binding import Binding

import studylog.tui


def declared_bindings() -> list[tuple[type[Any], Any]]:
    """(class, binding) for every BINDINGS entry a class in the TUI declares itself.

    Screens are imported lazily for a fast first paint, so this imports every TUI module
    to see them all; the app calls it only once the first frame is out."""
    found: list[tuple[type[Any], Any]] = []
    for info in pkgutil.walk_packages(studylog.tui.__path__, "studylog.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                found += [(cls, binding) for binding in cls.__dict__.get("BINDINGS", [])]
    return found


def binding_ids() -> set[str]:
    """Every binding id declared anywhere in the TUI."""
    return {b.id for _, b in declared_bindings() if isinstance(b, Binding) and b.id}


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """The ids in `keymap` that name no binding, sorted."""
    return sorted(set(keymap) - binding_ids())
