"""The text area entries are written in: markdown highlighted in the app theme's colours.

Textual's markdown highlighting leaves HTML blocks plain, but the learner's template is
built from `<details>`/`<summary>`/`<div>` lines, so this editor adds them to the query and
colours them like tags. Colours are taken from the current theme (and follow theme changes).
Without tree-sitter and its markdown grammar installed, it is a plain text area.
"""

from __future__ import annotations

from importlib import import_module
from importlib.resources import files
from typing import Any

from rich.style import Style
from textual.color import Color, ColorParseError
from textual.widgets import TextArea
from textual.widgets.text_area import TextAreaTheme

LANGUAGE = "studylog-markdown"
THEME = "studylog"
# Textual's query marks every block continuation, including the zero-width ones at the
# start of each line of an HTML block, which paint the whole line; keep only real `>`.
_BUILTIN_CONTINUATION = """[
  (block_continuation)
  (block_quote_marker)
] @punctuation.special"""
_CONTINUATION = """(block_quote_marker) @punctuation.special
((block_continuation) @punctuation.special (#match? @punctuation.special ">"))"""
# The template's <details>/<summary>/<div> lines: colour the tag punctuation.
_EXTRA_QUERY = """
(html_block ["<" ">" "/" "="] @tag)
"""


def _markdown_grammar() -> Any | None:
    """The tree-sitter markdown grammar, or None when it is not installed."""
    try:
        from tree_sitter import Language

        module = import_module("tree_sitter_markdown")
        return Language(module.language())
    except (ImportError, AttributeError, OSError, ValueError):
        return None


def _highlight_query() -> str:
    builtin = files("textual") / "tree-sitter" / "highlights" / "markdown.scm"
    query = builtin.read_text(encoding="utf-8")
    if _BUILTIN_CONTINUATION in query:
        query = query.replace(_BUILTIN_CONTINUATION, _CONTINUATION, 1)
    return query + _EXTRA_QUERY


class EntryEditor(TextArea):
    """A soft-wrapping markdown editor with line numbers; tab indents, escape leaves."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", soft_wrap=True, show_line_numbers=True, tab_behavior="indent", id=id)

    def on_mount(self) -> None:
        grammar = _markdown_grammar()
        if grammar is not None:
            self.register_language(LANGUAGE, grammar, _highlight_query())
            self.language = LANGUAGE
        self._follow_theme()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._follow_theme())

    @property
    def highlighted(self) -> bool:
        """Whether markdown highlighting is on."""
        return self.language == LANGUAGE

    def _color(self, name: str) -> str | None:
        """A theme colour as opaque hex (translucent ones blended over the background)."""
        variables = self.app.theme_variables
        try:
            background = Color.parse(variables.get("surface", "black"))
            return (background + Color.parse(variables[name])).hex6
        except (KeyError, ColorParseError):
            return None

    def _follow_theme(self) -> None:
        def style(
            name: str,
            *,
            bold: bool | None = None,
            italic: bool | None = None,
            underline: bool | None = None,
        ) -> Style:
            return Style(color=self._color(name), bold=bold, italic=italic, underline=underline)

        theme = TextAreaTheme(
            name=THEME,
            syntax_styles={
                "heading": style("primary", bold=True),
                "heading.marker": style("foreground-muted"),
                "tag": style("secondary-lighten-2" if self.app.current_theme.dark else "secondary"),
                "punctuation.special": style("accent", bold=True),
                "list.marker": style("accent"),
                "text.literal": style("success"),
                "punctuation.delimiter": style("foreground-muted"),
                "info_string": style("warning", italic=True),
                "link.uri": style("primary", underline=True),
                "link.label": style("primary"),
                "string.escape": style("warning"),
            },
        )
        self.register_theme(theme)
        self.theme = THEME
