"""Card keys: parsed and written back unchanged, and one sibling rule for every source."""

from __future__ import annotations

import datetime as dt

import pytest

from cards.keys import CardKey, Source

DAY = dt.date(2022, 1, 24)


@pytest.mark.parametrize("text", ["gen:view.shape", "authored:3f2a9c", "call:ab12", "block:cd34"])
def test_a_key_round_trips(text: str) -> None:
    assert str(CardKey.parse(text)) == text


@pytest.mark.parametrize("text", ["view.shape", "gen:", "nope:x"])
def test_text_that_is_no_key_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        CardKey.parse(text)


def test_siblings() -> None:
    view_shape, view_copy = CardKey.parse("gen:view.shape"), CardKey.parse("gen:view.no_copy")
    assert view_shape.family(DAY) == view_copy.family(None) != CardKey.parse("gen:mm.x").family(DAY)
    written = [CardKey(source, "x") for source in (Source.AUTHORED, Source.CALL, Source.BLOCK)]
    assert len({key.family(DAY) for key in written}) == 1
    assert written[0].family(DAY) != written[0].family(DAY + dt.timedelta(days=1))
