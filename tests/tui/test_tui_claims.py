"""The entry view shows the claims in the notes that torch disagrees with (real sandbox)."""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot
from textual.widgets import Static
from tui_support import SANDBOX_TIMEOUT_S, SIZE, Until, make_app, text_of

from studylog.context import AppContext
from studylog.tui.app import StudylogApp
from studylog.tui.screens.editor import EditorScreen
from studylog.tui.widgets.entry_editor import EntryEditor

DAY = dt.date(2022, 1, 29)
NOTE = """Date : 22.01.29

# contiguity

```python
import torch
a = torch.arange(6).reshape(2, 3)
print(a.is_contiguous())  # True
print(a.t().is_contiguous())  # True
print(a.sum())  # tensor(16)
```
"""
RIGHT = NOTE.replace(
    "is_contiguous())  # True\nprint(a.sum())", "is_contiguous())  # False\nprint(a.sum())"
).replace("tensor(16)", "tensor(15)")


def claims(app: StudylogApp) -> Static:
    return app.screen.query_one("#editor-claims", Static)


async def open_entry(app: StudylogApp, pilot: Pilot[None], until: Until) -> EntryEditor:
    await until(pilot, lambda: app.ready, "the database")
    await app.push_screen(EditorScreen(DAY))
    editor = app.screen.query_one("#editor", EntryEditor)
    await until(pilot, lambda: "contiguity" in editor.text, "the entry's text")
    return editor


async def test_the_entry_view_lists_the_claims_torch_disagrees_with(
    empty_ctx: AppContext, until: Until
) -> None:
    empty_ctx.journal.save(NOTE)
    app = make_app(empty_ctx)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_entry(app, pilot, until)
        # The check runs in a worker: the editor takes keys while torch works.
        await pilot.press("end", "!")
        assert editor.text.startswith("Date : 22.01.29!")
        await until(pilot, lambda: claims(app).display, "the claims", SANDBOX_TIMEOUT_S)
        assert text_of(claims(app)) == (
            "2 claims disagree with torch: line 9 print(a.t().is_contiguous()) claimed True, "
            "torch says False; line 10 print(a.sum()) claimed tensor(16), torch says tensor(15)"
        )

        # Saved right, the line goes away.
        editor.load_text(RIGHT)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not claims(app).display, "the claims cleared", SANDBOX_TIMEOUT_S)
        assert app.failures == []


async def test_an_entry_without_claims_shows_no_line(empty_ctx: AppContext, until: Until) -> None:
    empty_ctx.journal.save(NOTE.replace("  # True", "").replace("  # tensor(16)", ""))
    app = make_app(empty_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(app, pilot, until)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not claims(app).display
        assert text_of(claims(app)) == ""
        assert app.failures == []
