"""The entry editor: markdown on the left, a live preview on the right."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Header, Markdown, Static, TextArea

from studylog import unsaved
from studylog.editing import editor_command, run_editor
from studylog.tui.format import claims_line, preview_markdown, save_summary
from studylog.tui.messages import ClaimsChecked, EntryLoaded, EntrySaved, Failed
from studylog.tui.screens.base import StudylogScreen, background, describe_error
from studylog.tui.widgets.entry_editor import EntryEditor

if TYPE_CHECKING:
    from studylog.context import AppContext

PREVIEW_DELAY_S = 0.15
# Typed text reaches the disk this long after the last change (see studylog.unsaved).
KEEP_DELAY_S = 0.5


def load_entry(ctx: AppContext, day: dt.date | None) -> EntryLoaded:
    """The stored entry of `day` (default: today), or a new one from the template, with
    any text typed for it that was never saved."""
    from studylog.services.drafts import draft_entry

    draft = draft_entry(ctx.journal, ctx.tasks, day or ctx.clock.today())
    kept = unsaved.kept_for(ctx.database, draft.day)
    return EntryLoaded(draft.day, draft.markdown, draft.is_new, kept)


def check_claims(ctx: AppContext, markdown: str) -> ClaimsChecked:
    """Torch's verdicts on the claims in `markdown`'s code, run in the sandbox process; a
    sandbox that cannot run them is reported in the message, never raised."""
    from cards.claims import claim_blocks
    from studylog.services.verify import verify_markdown

    if not claim_blocks(markdown):
        return ClaimsChecked(markdown, ())  # no claims: no reason to wake the sandbox
    try:
        return ClaimsChecked(markdown, tuple(verify_markdown(markdown, ctx.sandbox())))
    except Exception as err:  # any sandbox failure is one line on screen, not a crash
        return ClaimsChecked(markdown, (), describe_error(err))


class EditorScreen(StudylogScreen):
    """Edit one day's entry; saving derives its lectures, tasks and cards again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            tooltip="Save, then derive the lectures, tasks and cards again",
            id="editor.save",
        ),
        Binding(
            "ctrl+o",
            "external_editor",
            "$EDITOR",
            tooltip="Edit in $VISUAL or $EDITOR; studylog suspends until it exits",
            id="editor.external",
        ),
        Binding(
            "ctrl+t",
            "toggle_preview",
            "Preview",
            tooltip="Show or hide the live preview",
            id="editor.preview",
        ),
        Binding(
            "escape",
            "close",
            "Back",
            tooltip="Leave the editor (first escape leaves the text; unsaved text asks again)",
            id="editor.close",
        ),
    ]

    def __init__(self, day: dt.date | None = None) -> None:
        super().__init__()
        self.day = day
        self.baseline = ""
        self.is_new = False
        self._preview_timer: Timer | None = None
        self._keep_timer: Timer | None = None
        self._loaded = ""  # the text put in the editor when it opened
        self._confirm_discard = False
        # The editor text the preview pane shows in full (rendering is asynchronous).
        self.previewed: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="editor-body"):
            yield EntryEditor(id="editor")
            with VerticalScroll(id="preview-pane"):
                yield Markdown("", id="preview")
        yield Static("", id="editor-claims")
        yield Static("Loading…", id="editor-status")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = "Entry"
        self.query_one("#preview-pane").border_title = "Preview"
        self.load()

    def reload(self) -> None:
        """The editor keeps what is typed; it loads its text once."""

    @background("opening the entry", group="editor-load")
    def load(self) -> EntryLoaded:
        """Fetch the entry, or build today's template."""
        ctx = self.ctx
        return load_entry(ctx, self.day)

    def on_entry_loaded(self, message: EntryLoaded) -> None:
        self.day = message.day
        self.is_new = message.is_new
        self.baseline = message.markdown
        area = self.query_one("#editor", TextArea)
        kept = message.kept
        recovered = kept is not None and kept.text != message.markdown
        self._loaded = kept.text if kept is not None and recovered else message.markdown
        area.load_text(self._loaded)
        area.focus()
        self._set_title()
        if not message.is_new:
            self.check_claims(message.markdown)
        if kept is not None and recovered:
            self.app.clear_notifications()  # the start's notice about it, now answered
            self._show_status(
                f"Unsaved text from {kept.written:%Y-%m-%d %H:%M} is back: "
                "ctrl+s saves it, escape twice discards it."
            )
        else:
            self._show_status(
                "New entry from your template: fill it in, then ctrl+s saves it."
                if message.is_new
                else "ctrl+s saves and derives lectures, tasks and cards again."
            )

    def _set_title(self) -> None:
        state = "new entry" if self.is_new else "entry"
        self.sub_title = f"{state} {self.day.isoformat() if self.day else ''}"
        self.query_one("#editor", TextArea).border_title = self.sub_title

    @property
    def dirty(self) -> bool:
        """Whether the text differs from what was loaded or last saved."""
        return self.query_one("#editor", TextArea).text != self.baseline

    def _show_status(self, text: str) -> None:
        mark = "[$text-warning]● unsaved[/]  " if self.dirty else ""
        self.query_one("#editor-status", Static).update(mark + text)

    @on(TextArea.Changed, "#editor")
    def _text_changed(self) -> None:
        self._confirm_discard = False
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY_S, self.update_preview)
        if self._keep_timer is not None:
            self._keep_timer.stop()
        self._keep_timer = self.set_timer(KEEP_DELAY_S, self.keep_unsaved)
        if self.query_one("#editor", TextArea).text != self._loaded:
            # Loading the text is a change too; it keeps the status loading gave.
            self._show_status("ctrl+s saves · ctrl+o opens $EDITOR · escape twice leaves")

    def keep_unsaved(self) -> None:
        """Put unsaved text on disk, so that a crash or a kill cannot lose it."""
        if self.day is None:
            return
        if self.dirty:
            unsaved.keep(self.ctx.database, self.day, self.query_one("#editor", TextArea).text)
        else:
            unsaved.forget(self.ctx.database, self.day)

    def _discard(self) -> None:
        """The learner chose to leave the unsaved text: it is not offered again."""
        if self._keep_timer is not None:
            self._keep_timer.stop()
        if self.day is not None:
            unsaved.forget(self.ctx.database, self.day)

    async def update_preview(self) -> None:
        """Render the text in the preview pane."""
        text = self.query_one("#editor", TextArea).text
        if text == self.previewed:
            return
        await self.query_one("#preview", Markdown).update(preview_markdown(text))
        self.previewed = text

    def action_save(self) -> None:
        """Save the entry through the journal service, in a worker."""
        self._show_status("Saving…")
        self.save(self.query_one("#editor", TextArea).text)

    @background("saving the entry", group="editor-save")
    def save(self, text: str) -> EntrySaved:
        """Store the text; the service derives lectures, tasks and cards again."""
        ctx = self.ctx
        return EntrySaved(ctx.journal.save(text), text)

    def on_entry_saved(self, message: EntrySaved) -> None:
        self.baseline = message.markdown
        self.day = message.result.day
        self.is_new = False
        self.keep_unsaved()
        self._set_title()
        # The status line shows it in full; a toast would cover that line, not add to it.
        self._show_status(save_summary(message.result))
        self.check_claims(message.markdown)

    @background("checking the claims", group="editor-claims")
    def check_claims(self, markdown: str) -> ClaimsChecked:
        """Have torch check the saved text's claims, off the UI thread."""
        return check_claims(self.ctx, markdown)

    def on_claims_checked(self, message: ClaimsChecked) -> None:
        if message.markdown != self.baseline:
            return  # the verdicts of a text saved over since
        line = (
            f"Claims not checked: {message.error}"
            if message.error
            else claims_line(message.verdicts)
        )
        claims = self.query_one("#editor-claims", Static)
        claims.update(line)
        claims.display = bool(line)

    def on_failed(self, message: Failed) -> None:
        super().on_failed(message)
        self._show_status("Not saved: see the error above.")

    def action_toggle_preview(self) -> None:
        """Show or hide the preview pane."""
        pane = self.query_one("#preview-pane")
        pane.display = not pane.display

    def action_external_editor(self) -> None:
        """Edit the text in $VISUAL/$EDITOR, with the app suspended meanwhile."""
        editor = " ".join(editor_command())
        area = self.query_one("#editor", TextArea)
        try:
            with self.app.suspend():
                edited = run_editor(
                    area.text, f"{self.day.isoformat() if self.day else 'entry'}.md"
                )
        except SuspendNotSupported:
            self.notify("This terminal cannot suspend the app.", severity="error")
            return
        except OSError as err:
            self.notify(f"{editor}: {err.strerror}", title="$EDITOR", severity="error")
            return
        if edited.status != 0:
            self.notify(f"{editor} exited with status {edited.status}; text kept as it was")
            return
        if edited.text != area.text:
            area.replace(edited.text, (0, 0), area.document.end)
            self.notify("Text from the editor; ctrl+s saves it.")

    def _confirmed(self, key: str) -> bool:
        """Whether the text may be left: it is saved, or `key` was pressed twice."""
        if self.dirty and not self._confirm_discard:
            self._confirm_discard = True
            self.notify(
                f"Unsaved changes: ctrl+s saves them, {key} again discards them.",
                severity="warning",
            )
            return False
        self._discard()
        return True

    def action_close(self) -> None:
        """Leave; unsaved text needs a second escape."""
        if self._confirmed("escape"):
            self.dismiss()

    def may_quit(self) -> bool:
        """Quitting with unsaved text needs a second ctrl+q, like leaving does."""
        return self._confirmed("ctrl+q")
