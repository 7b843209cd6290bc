"""The learner's own keys: `[keymap]` in config.toml maps a binding id to keys."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding

import studylog.tui


def binding_ids() -> set[str]:
    """Every binding id declared anywhere in the TUI.

    Screens are imported lazily for a fast first paint, so this imports every TUI module
    to see them all; the app calls it only once the first frame is out."""
    ids: set[str] = set()
    for info in pkgutil.walk_packages(studylog.tui.__path__, "studylog.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                bindings = cls.__dict__.get("BINDINGS", [])
                ids.update(b.id for b in bindings if isinstance(b, Binding) and b.id)
    return ids


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """The ids in `keymap` that name no binding, sorted."""
    return sorted(set(keymap) - binding_ids())
