"""Keys from config.toml's [keymap]: rebinding by binding id, and unknown ids pointed out."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer
from tui_support import NOW, SIZE, Until, make_app

from studylog.config import Config
from studylog.context import AppContext
from studylog.services.demo import load_demo
from studylog.tui.keymap import binding_ids
from studylog.tui.screens.tasks import TasksScreen


def _context(folder: Path, keymap: dict[str, str]) -> AppContext:
    ctx = AppContext(
        db=str(folder / "studylog.db"), now=NOW, config=Config(fuzz=False, keymap=keymap)
    )
    load_demo(ctx.journal)
    return ctx


def test_every_binding_id_is_known() -> None:
    ids = binding_ids()
    assert {"app.tasks", "quiz.good", "editor.save", "tasks.add"} <= ids


async def test_configured_keys_replace_the_defaults(tmp_path: Path, until: Until) -> None:
    app = make_app(_context(tmp_path, {"app.tasks": "f9"}))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.ready, "the database")
        await pilot.press("f3")  # the default key no longer opens Tasks
        await pilot.pause()
        assert not isinstance(app.screen, TasksScreen)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, TasksScreen), "the Tasks screen")
        footer_keys = [str(k.key_display) for k in app.screen.query_one(Footer).query("FooterKey")]
        assert "f9" in footer_keys


async def test_unknown_binding_ids_are_pointed_out(tmp_path: Path, until: Until) -> None:
    app = make_app(_context(tmp_path, {"app.task": "f9", "quiz.good": "g"}))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.ready, "the database")
        await until(pilot, lambda: app._notifications, "a notification")
        [note] = list(app._notifications)
        assert "app.task" in note.message
        assert "quiz.good" not in note.message


def test_the_readme_lists_every_binding_id() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert sorted(i for i in binding_ids() if f"`{i}`" not in readme) == []
