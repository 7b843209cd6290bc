"""The words the parser recognises: section titles, spec keys and the "next plan" marker.

All of them are matched after `normalize`, so case, spacing and trailing punctuation do not
matter. `Vocabulary` can be built from user configuration to add aliases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from journal.model import Role

DEFAULT_ROLE_ALIASES: Mapping[Role, tuple[str, ...]] = {
    Role.SPEC: (
        "Writing Specification",
        "Specification",
        "Spec",
        "작성 명세",
        "명세",
        "기본 정보",
    ),
    Role.REVIEW: (
        "오늘 들은 강의 총평",
        "강의 총평",
        "총평",
        "Review",
        "Today's review",
        "Overall review",
    ),
    Role.CONTENT: (
        "강의 내용",
        "강의 정리",
        "Lecture content",
        "Lecture contents",
        "Lecture notes",
        "Content",
        "Contents",
        "Notes",
    ),
    Role.PLAN: (
        "후일담 및 차기 계획",
        "후일담",
        "차기 계획",
        "Afterword and next plans",
        "Afterword and next plan",
        "Afterword",
        "Next plans",
        "Next plan",
        "Plans",
        "Plan",
    ),
}

# A title that is no alias still names a role by one of these words, tried in this order
# (so "Lecture review" is a review, not content). Korean words count anywhere in the title,
# since particles and compounds attach to them ("차기 계획들"); Latin words count only as
# whole words, so that "Explanation" is not a plan.
DEFAULT_ROLE_WORDS: Mapping[Role, tuple[str, ...]] = {
    Role.SPEC: ("명세", "spec", "specification"),
    Role.PLAN: ("계획", "할 일", "plan", "plans", "todo", "to-do"),
    Role.REVIEW: ("총평", "회고", "소감", "review", "reviews", "retrospective"),
    Role.CONTENT: ("강의 내용", "강의 정리", "학습 내용", "content", "contents", "notes"),
}

DEFAULT_KEY_ALIASES: Mapping[str, tuple[str, ...]] = {
    "date": ("Date", "날짜", "작성일", "작성 날짜"),
    "category": ("강좌 분류", "분류", "Category", "Course"),
    "number": ("강좌 번호", "강의 번호", "번호", "Lecture", "Lecture number", "Lecture no"),
    "title": ("제목", "강의 제목", "Title", "Lecture title"),
}

DEFAULT_PLAN_MARKERS: tuple[str, ...] = (
    "차기 계획",
    "다음 계획",
    "할 일",
    "Next plan",
    "Next plans",
    "Plans",
    "To do",
    "Todo",
)


def normalize(text: str) -> str:
    """Fold a title or key for matching: NFC, casefold, single spaces, no edge punctuation."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return " ".join(folded.split()).strip(" .:：-*_#")


# Words of a folded title, for whole-word matching of Latin role words ("to-do" is one).
_LATIN_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _index(words: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize(w) for w in words)


@dataclass(frozen=True)
class Vocabulary:
    """Aliases for section roles, spec keys and plan markers, pre-normalised for lookup."""

    roles: Mapping[Role, frozenset[str]] = field(
        default_factory=lambda: {r: _index(a) for r, a in DEFAULT_ROLE_ALIASES.items()}
    )
    keys: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: {k: _index(a) for k, a in DEFAULT_KEY_ALIASES.items()}
    )
    plan_markers: frozenset[str] = field(default_factory=lambda: _index(DEFAULT_PLAN_MARKERS))
    role_words: Mapping[Role, tuple[str, ...]] = field(
        default_factory=lambda: {
            r: tuple(normalize(w) for w in words) for r, words in DEFAULT_ROLE_WORDS.items()
        }
    )

    @classmethod
    def with_extra(cls, roles: Mapping[str, Iterable[str]]) -> Vocabulary:
        """The default vocabulary plus extra section-title aliases keyed by role name."""
        base = cls()
        merged = dict(base.roles)
        for name, aliases in roles.items():
            role = Role(name)
            merged[role] = merged.get(role, frozenset()) | _index(aliases)
        return cls(roles=merged, keys=base.keys, plan_markers=base.plan_markers)

    def named_role(self, title: str) -> Role:
        """The role a section title names by one of its aliases, or OTHER."""
        key = normalize(title)
        return next((r for r, names in self.roles.items() if key in names), Role.OTHER)

    def worded_role(self, title: str) -> Role:
        """The role a section title names by a role word in it, or OTHER."""
        key = normalize(title)
        latin = set(_LATIN_WORD.findall(key))
        for role, words in self.role_words.items():
            if any(w in latin if w.isascii() else w in key for w in words):
                return role
        return Role.OTHER

    def role_of(self, title: str) -> Role:
        """The role a section title names: by an alias, else by a role word, else OTHER."""
        named = self.named_role(title)
        return named if named is not Role.OTHER else self.worded_role(title)

    def key_of(self, label: str) -> str | None:
        """Which spec field a `label : value` line sets, if any."""
        key = normalize(label)
        return next((k for k, names in self.keys.items() if key in names), None)

    def is_plan_marker(self, text: str) -> bool:
        """Whether a line announces the "next plan" list."""
        return normalize(text) in self.plan_markers


DEFAULT_VOCABULARY = Vocabulary()
