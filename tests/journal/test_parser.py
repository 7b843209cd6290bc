"""The parser on the user's own entry, on heading-style entries, and on bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from journal import EntryError, Lecture, PlanItem, Role, Vocabulary, parse_entry
from tests.conftest import DATA, EXAMPLE


def test_example_entry_structure() -> None:
    entry = parse_entry(EXAMPLE.read_text(encoding="utf-8"))
    assert entry.date == dt.date(2022, 1, 24)
    assert entry.category == "Pytorch"
    assert entry.lectures == (
        Lecture(1, "Introduction to Pytorch"),
        Lecture(2, "Pytorch Basics"),
        Lecture(3, "Pytorch 프로젝트 구조 이해하기"),
    )
    assert [s.role for s in entry.sections] == [Role.SPEC, Role.REVIEW, Role.CONTENT, Role.PLAN]
    assert list(entry.lecture_notes()) == [lec.title for lec in entry.lectures]
    assert entry.plans == (
        PlanItem("Pytorch 4강 5강 듣고 기본과제 풀기"),
        PlanItem("코딩 기본과제 풀기"),
    )


def test_example_sections_are_verbatim_slices() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    entry = parse_entry(text)
    for section in entry.sections:
        assert section.body in text
    basics = entry.lecture_notes()["Pytorch Basics"]
    assert '출력은 입력된 tensor의 값을 "복사"한다.' in basics.body
    review = entry.section(Role.REVIEW)
    assert review is not None
    assert review.body.strip().startswith("드디어, 파이토치 강의가 시작되었다.")


def test_heading_form_with_checkboxes() -> None:
    entry = parse_entry((DATA / "2022-02-03-heading.md").read_text(encoding="utf-8"))
    assert entry.date == dt.date(2022, 2, 3)
    assert entry.category == "Pytorch"
    assert entry.lectures == (
        Lecture(8, "Hyperparameter Tuning"),
        Lecture(9, "Pytorch Troubleshooting"),
    )
    assert entry.plans == (
        PlanItem("Finish the tuning assignment", done=True),
        PlanItem("Read the Ray Tune docs", done=False),
        PlanItem("Profile the data loader", done=False),
    )
    assert set(entry.lecture_notes()) == {"Hyperparameter Tuning", "Pytorch Troubleshooting"}


def test_korean_headings_and_unknown_sections_are_kept() -> None:
    text = (
        "## 작성 명세\n\n날짜 : 22.03.01\n\n강좌 분류 : CV\n\n"
        "## 잡담\n\n오늘은 비가 왔다.\n\n"
        "## 후일담\n\n차기 계획\n\n- [ ] 논문 읽기\n- [x] 과제 제출\n"
    )
    entry = parse_entry(text)
    assert entry.date == dt.date(2022, 3, 1)
    assert entry.category == "CV"
    other = [s for s in entry.sections if s.role is Role.OTHER]
    assert [s.title for s in other] == ["잡담"]
    assert other[0].body == "\n오늘은 비가 왔다.\n\n"
    assert entry.plans == (PlanItem("논문 읽기"), PlanItem("과제 제출", done=True))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("22.01.24", dt.date(2022, 1, 24)),
        ("2022-01-24", dt.date(2022, 1, 24)),
        ("2022.01.24", dt.date(2022, 1, 24)),
        ("2022.1.4", dt.date(2022, 1, 4)),
    ],
)
def test_date_forms(written: str, expected: dt.date) -> None:
    assert parse_entry(f"## Spec\n\nDate : {written}\n").date == expected


def test_date_from_file_name_when_text_has_none() -> None:
    entry = parse_entry("## Review\n\nno date here\n", source_name="2022-01-27-notes.md")
    assert entry.date == dt.date(2022, 1, 27)


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("", None, "empty entry"),
        ("   \n\n", None, "empty entry"),
        ("## Spec\n\nDate : 22.13.45\n", None, "impossible date '22.13.45'"),
        ("## Spec\n\nDate : soon\n", None, "unreadable date 'soon'"),
        ("## Review\n\nhello\n", "notes.md", "no date"),
    ],
)
def test_bad_entries_raise_one_line_errors(text: str, name: str | None, message: str) -> None:
    with pytest.raises(EntryError) as caught:
        parse_entry(text, name)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_configured_aliases_add_section_titles() -> None:
    text = "## Tagebuch\n\nDate : 22.01.24\n\n## Morgen\n\n- lesen\n"
    plain = parse_entry(text, "2022-01-24-x.md")
    assert plain.plans == ()
    vocab = Vocabulary.with_extra({"spec": ["Tagebuch"], "plan": ["Morgen"]})
    entry = parse_entry(text, vocabulary=vocab)
    assert entry.plans == (PlanItem("lesen"),)
    assert entry.section(Role.SPEC) is not None


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Review of today's lectures", Role.REVIEW),
        ("Lecture review", Role.REVIEW),
        ("오늘의 총평", Role.REVIEW),
        ("다음 계획", Role.PLAN),
        ("차기 계획들", Role.PLAN),
        ("Plans for tomorrow", Role.PLAN),
        ("My to-do list", Role.PLAN),
        ("Lecture notes (week 3)", Role.CONTENT),
        ("오늘의 학습 내용", Role.CONTENT),
        ("Spec sheet", Role.SPEC),
        ("Explanation of view", Role.OTHER),
        ("Transfer learning", Role.OTHER),
        ("잡담", Role.OTHER),
    ],
)
def test_titles_beyond_the_aliases_name_roles_by_their_words(title: str, role: Role) -> None:
    assert Vocabulary().role_of(title) is role


def test_heading_entry_with_a_korean_plan_title_yields_its_plans() -> None:
    text = (
        "# 2022-02-08 학습 기록\n\n## Writing Specification\n\n> Date : 22.02.08\n\n"
        "## 오늘 들은 강의 총평\n\n전이학습.\n\n"
        "## 다음 계획\n\n- [ ] 미니 프로젝트 시작\n- [x] 9강 복습\n- 논문 읽기\n"
    )
    entry = parse_entry(text)
    assert entry.plans == (
        PlanItem("미니 프로젝트 시작"),
        PlanItem("9강 복습", done=True),
        PlanItem("논문 읽기"),
    )
    assert entry.section(Role.REVIEW) is not None


def test_a_title_with_a_role_word_over_the_template_is_only_a_wrapper() -> None:
    text = (
        "# 2022-02-08 학습 계획 기록\n\n## Writing Specification\n\n> Date : 22.02.08\n\n"
        "## Review of today's lectures\n\nThe review.\n\n### A plan for the project\n\nx\n\n"
        "## Next plans\n\n- [ ] 논문 읽기\n"
    )
    entry = parse_entry(text)
    [wrapper] = entry.sections
    assert wrapper.role is Role.OTHER
    roles = [(s.title, s.role) for s in wrapper.children]
    assert roles == [
        ("Writing Specification", Role.SPEC),
        ("Review of today's lectures", Role.REVIEW),
        ("Next plans", Role.PLAN),
    ]
    # A subsection of the review is part of it, even with a role word in its title.
    assert wrapper.children[1].children[0].role is Role.OTHER
    assert entry.plans == (PlanItem("논문 읽기"),)


@pytest.mark.parametrize("fragment", ["<![ x", "<![CDATA[ y", "<div><![if x]>"])
def test_marked_sections_in_html_do_not_crash(fragment: str) -> None:
    from cards.deck import deck_for_entry

    text = f"<details>\n<summary>잡담</summary>\n{fragment}\n\n## Spec\n\nDate : 22.01.24\n"
    entry = parse_entry(text)
    assert entry.date == dt.date(2022, 1, 24)
    deck_for_entry(entry)


def test_a_freeform_notes_top_level_headings_are_its_lectures() -> None:
    text = (
        "# Tensors\n\nviews and strides\n\n## 궁금한 점\n\nwhy?\n\n"
        "# Lecture 6: Autograd\n\nbackward\n\n# Datasets\n\nDataLoader\n\n"
        "# 다음 계획\n\n- [ ] 7강 듣기\n"
    )
    entry = parse_entry(text, "2022-01-26-notes.md")
    assert entry.lectures == (
        Lecture(1, "Tensors"),
        Lecture(6, "Lecture 6: Autograd"),
        Lecture(7, "Datasets"),
    )
    assert [p.text for p in entry.plans] == ["7강 듣기"]


def test_a_lone_title_heading_gives_way_to_the_headings_under_it() -> None:
    text = "# 2022-01-26 TIL\n\n## Tensors\n\nviews\n\n## Autograd\n\nbackward\n"
    entry = parse_entry(text, "2022-01-26-til.md")
    assert entry.lectures == (Lecture(1, "Tensors"), Lecture(2, "Autograd"))


def test_headings_are_no_lectures_when_the_note_has_a_spec() -> None:
    entry = parse_entry((DATA / "2022-02-03-heading.md").read_text(encoding="utf-8"))
    assert [lec.number for lec in entry.lectures] == [8, 9]


def test_an_item_without_text_does_not_take_the_paragraph_after_the_list() -> None:
    entry = parse_entry(
        "## 다음 계획\n\n- [ ] read\n-\n- ```\n  code\n  ```\n\nnot a plan\n",
        "2022-03-01-plans.md",
    )
    assert entry.plans == (PlanItem("read"),)
