"""A Jekyll or Hugo post: its front matter dates the entry and is no part of its notes."""

from __future__ import annotations

import datetime as dt

from journal import parse_entry

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
    assert entry.lectures == ()
    assert all("layout" not in s.title and "tags" not in s.title for s in entry.sections)
    assert [s.title for s in entry.sections] == ["텐서 만들기"]


def test_the_spec_date_wins_over_the_front_matter() -> None:
    text = POST.replace("## 텐서 만들기", "Date : 22.01.28\n\n## 텐서 만들기")
    assert parse_entry(text).date == dt.date(2022, 1, 28)
