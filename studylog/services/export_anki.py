"""An Anki package (.apkg) of every card, made with genanki.

- recall and choice cards become notes of a Basic note type (the choices listed on the
  front); cloze cards become notes of a Cloze note type, every hidden span `{{c1::…}}`
  (a studylog cloze hides all of a paragraph's spans at once, so they share one card);
- an executable card becomes a Basic note for one seed, the card's own for its next
  review: the front shows the question and the code, the back the answer torch computed
  for that code, obtained by running it in the sandbox (never a stored string);
- topics become tags.

The note types and the deck have fixed ids, and each note's GUID comes from the card's
stable key, so importing a newer export into Anki updates the notes instead of adding
copies:

- deck "studylog": 1_742_600_100;
- note type "studylog basic" (Front, Back, Source): 1_742_600_101;
- note type "studylog cloze" (Text, Extra, Source): 1_742_600_102.
"""

from __future__ import annotations

import html
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import genanki
from markdown_it import MarkdownIt

from cards.authored import BLANK
from cards.checker import shown
from cards.model import ErrorValue, Kind, Value
from studylog.errors import StudylogError
from studylog.services.quiz import Question, QuizService
from studylog.services.reviews import CardView

DECK_ID = 1_742_600_100
BASIC_MODEL_ID = 1_742_600_101
CLOZE_MODEL_ID = 1_742_600_102
DECK_NAME = "studylog"

_CSS = """\
.card { font-family: -apple-system, "Segoe UI", "Noto Sans KR", sans-serif; font-size: 20px;
  text-align: left; color: black; background-color: white; max-width: 46em; margin: auto; }
pre { background: #f4f4f4; padding: .6em .8em; border-radius: 4px; font-size: 16px;
  overflow-x: auto; }
code { font-family: Menlo, Consolas, monospace; }
.answer { font-weight: bold; }
.source { margin-top: 1.5em; font-size: 12px; color: #888; }
.cloze { font-weight: bold; color: #1565c0; }
.nightMode pre { background: #2b2b2b; }
.nightMode .cloze { color: #90caf9; }
"""
_SOURCE = '<div class="source">{{Source}}</div>'

BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID,
    "studylog basic",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Source"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}\n<hr id="answer">\n{{Back}}\n' + _SOURCE,
        }
    ],
    css=_CSS,
)
CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "studylog cloze",
    model_type=genanki.Model.CLOZE,
    fields=[{"name": "Text"}, {"name": "Extra"}, {"name": "Source"}],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}<br>\n{{Extra}}\n" + _SOURCE,
        }
    ],
    css=_CSS,
)

_markdown = MarkdownIt("commonmark")


def _inline(text: str) -> str:
    """Card text is markdown (`code`, **bold**): rendered to HTML, everything else escaped."""
    return str(_markdown.renderInline(text))  # the renderer is typed as returning Any


def _code(code: str) -> str:
    return f"<pre><code>{html.escape(code.strip(chr(10)))}</code></pre>"


def tag(topic: str) -> str:
    """An Anki tag for a topic: Anki splits tags on whitespace, so none may remain."""
    return "_".join(topic.split())


@dataclass(frozen=True)
class Skipped:
    """A card left out of the package, and why."""

    card_id: int
    reason: str

    def describe(self) -> str:
        """One line for the learner."""
        return f"card {self.card_id} was left out: {self.reason}"


@dataclass(frozen=True)
class AnkiExport:
    """What went into a package."""

    notes: int
    skipped: tuple[Skipped, ...]


# -- one card, one note ----------------------------------------------------------------------


def _cloze_text(front: str, back: str, blanks: Sequence[str]) -> str | None:
    """The cloze paragraph with every hidden span as `{{c1::…}}`, or None when the spans
    cannot be placed. `front` shows each span as "[...]"; `back` is the full text."""
    pieces = front.split(BLANK)
    if len(pieces) != len(blanks) + 1:
        # "[...]" also written literally in the text: find the spans in `back` instead.
        pieces, rest = [], back
        for blank in blanks:
            before, found, rest = rest.partition(blank)
            if not found:
                return None
            pieces.append(before)
        pieces.append(rest)
    # Each piece keeps its own edge spaces: they separate the text from the blanks.
    out = [_inline(pieces[0])]
    for blank, after in zip(blanks, pieces[1:], strict=True):
        # "::" would start a hint and "}}" end the deletion; as entities they only show.
        hidden = _inline(blank).strip().replace("::", ":&#58;").replace("}}", "}&#125;")
        out.append(f"{{{{c1::{hidden}}}}}")
        out.append(_inline(after))
    return "".join(out)


def _answer_html(value: Value) -> str:
    """The value torch gave, the way torch prints it (several lines for a tensor)."""
    if isinstance(value, ErrorValue):
        message = value.message.strip().splitlines()
        detail = f": {message[0]}" if message else ""
        return (
            f'<div class="answer">raises {html.escape((value.error or "an error") + detail)}</div>'
        )
    text = value.text.strip()
    if "\n" in text and len(text) <= 2000:
        return _code(text)
    return f'<div class="answer"><code>{html.escape(shown(value))}</code></div>'


def _source(question: Question[CardView]) -> str:
    card = question.card
    where = f"entry {card.entry_day.isoformat()} · " if card.entry_day else ""
    seed = f" · seed {question.seed}" if question.exercise is not None else ""
    return html.escape(f"studylog · {where}card {card.id} ({card.key}){seed}")


def note_for(question: Question[CardView], quiz: QuizService) -> genanki.Note | Skipped:
    """The Anki note for one card's question (executable cards run in the sandbox)."""
    card = question.card
    tags = [tag(t) for t in card.spec.topics]
    guid = genanki.guid_for("studylog", card.key)
    source = _source(question)
    if question.exercise is not None:
        exercise = question.exercise
        solution = quiz.solve(question)
        if solution.value is None:
            return Skipped(card.id, solution.problem or "no answer")
        front = f"<p>{_inline(exercise.question).strip()}</p>\n{_code(question.listing)}"
        back = _answer_html(solution.value)
        if question.kind is Kind.PRODUCE:
            back = (
                f"<p>For example <code>{html.escape(exercise.expr)}</code>, which gives</p>\n"
                + back
            )
        return genanki.Note(BASIC_MODEL, [front, back, source], tags=tags, guid=guid)
    prompt = question.prompt
    assert prompt is not None
    if prompt.kind is Kind.CLOZE and prompt.blanks:
        text = _cloze_text(prompt.front, prompt.back, prompt.blanks)
        if text is not None:
            return genanki.Note(CLOZE_MODEL, [text.strip(), "", source], tags=tags, guid=guid)
    front = f"<p>{_inline(prompt.front).strip()}</p>"
    back = _inline(prompt.back).strip()
    if prompt.choices:
        items = "".join(f"<li>{_inline(choice).strip()}</li>" for choice in prompt.choices)
        front += f'\n<ol type="A">{items}</ol>'
        if prompt.answer is not None:
            letter = chr(ord("A") + prompt.answer)
            right = _inline(prompt.choices[prompt.answer]).strip()
            back = f'<p class="answer">{letter}. {right}</p>\n<p>{back}</p>'
    return genanki.Note(BASIC_MODEL, [front, back, source], tags=tags, guid=guid)


# -- the package -----------------------------------------------------------------------------


def build_deck(
    quiz: QuizService,
    cards: Sequence[CardView],
    progress: Callable[[int], None] | None = None,
) -> tuple[genanki.Deck, AnkiExport]:
    """A deck with one note per card (in `cards` order); `progress` gets the count done."""
    deck = genanki.Deck(DECK_ID, DECK_NAME, description="Cards from a studylog journal.")
    skipped: list[Skipped] = []
    for done, card in enumerate(cards, 1):
        try:
            question = quiz.question(card.id)
        except StudylogError as err:  # e.g. its generator no longer exists
            skipped.append(Skipped(card.id, str(err).removeprefix(f"card {card.id}: ")))
            continue
        note = note_for(question, quiz)
        if isinstance(note, Skipped):
            skipped.append(note)
        else:
            deck.add_note(note)
        if progress is not None:
            progress(done)
    return deck, AnkiExport(len(deck.notes), tuple(skipped))


def write_package(deck: genanki.Deck, out: Path, timestamp: float) -> None:
    """Write `deck` as an .apkg at `out`, atomically (a temporary file, then a rename).

    This is genanki's `Package.write_to_file` without its leftover temporary database:
    the collection is built in a temporary folder that is removed afterwards."""
    package = genanki.Package(deck)
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="studylog-apkg-") as tmp:
        collection = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(collection)
        try:
            ids = iter(range(int(timestamp * 1000), 2**62))
            package.write_to_db(conn.cursor(), timestamp, ids)
            conn.commit()
        finally:
            conn.close()
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(collection, "collection.anki2")
                archive.writestr("media", json.dumps({}))
            os.replace(partial, out)
        except OSError as err:
            partial.unlink(missing_ok=True)
            raise StudylogError(f"{out}: cannot write ({err.strerror})") from None
