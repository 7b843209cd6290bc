"""A Jekyll or Hugo post: its front matter dates the entry and is no part of its notes."""

from __future__ import annotations

import datetime as dt

from journal import Lecture, parse_entry
from journal.markdown import tokens

POST = """---
layout: post
title: "[PyTorch] Tensor 조작 정리"
date: 2022-01-27 21:30:00 +0900
tags: [pytorch, tensor]
---

## 텐서 만들기

`torch.zeros(2, 3)`로 텐서를 만든다.
"""


def test_a_jekyll_post_dates_itself_and_its_front_matter_stays_out_of_the_notes() -> None:
    entry = parse_entry(POST, "tensor-notes.md")
    assert entry.date == dt.date(2022, 1, 27)
    # The heading is the lecture; the front matter's title is not, nor any of its lines.
    assert entry.lectures == (Lecture(1, "텐서 만들기"),)
    assert all("layout" not in s.title and "tags" not in s.title for s in entry.sections)
    assert [s.title for s in entry.sections] == ["텐서 만들기"]


def test_the_spec_date_wins_over_the_front_matter() -> None:
    text = POST.replace("## 텐서 만들기", "Date : 22.01.28\n\n## 텐서 만들기")
    assert parse_entry(text).date == dt.date(2022, 1, 28)


HUGO = """+++
title = "Autograd 정리"
date = 2022-01-29T09:00:00+09:00
tags = ["pytorch"]
+++

## Autograd

`loss.backward()` fills `.grad`.
"""


def test_a_hugo_post_dates_itself_from_its_toml_front_matter() -> None:
    entry = parse_entry(HUGO, "autograd.md")
    assert entry.date == dt.date(2022, 1, 29)
    assert entry.lectures == (Lecture(1, "Autograd"),)
    assert [s.title for s in entry.sections] == ["Autograd"]
    assert entry.markdown == HUGO
    assert all("+++" not in s.body and "tags" not in s.body for s in entry.sections)


def test_toml_front_matter_keeps_the_line_numbers_of_the_file() -> None:
    parsed = tokens(HUGO)
    assert (parsed[0].type, parsed[0].markup, parsed[0].map) == ("front_matter", "+++", [0, 5])
    heading = next(t for t in parsed if t.type == "heading_open")
    assert heading.map == [6, 7]
    assert HUGO.splitlines()[6] == "## Autograd"


def test_unclosed_or_broken_toml_is_no_front_matter() -> None:
    assert tokens("+++\ntitle = 1\n\n# A\n")[0].type != "front_matter"
    broken = "+++\ndate = = 2022\n+++\n# A\n"
    assert parse_entry(broken, "2022-02-01-a.md").date == dt.date(2022, 2, 1)


def test_the_front_matter_title_is_the_lecture_of_a_post_without_headings() -> None:
    post = POST.replace("## 텐서 만들기\n", "")
    assert parse_entry(post).lectures == (Lecture(1, "[PyTorch] Tensor 조작 정리"),)
