"""Free text is scanned whole: a listed name after 10,000 characters of filler is found
(issue 19, class 11: nothing is silently cut)."""

from __future__ import annotations

import pytest

from proscribe.payments import freetext


@pytest.mark.parametrize("filler_words", [2_000, 5_000])
def test_a_listed_name_after_long_free_text_is_still_scanned(filler_words):
    text = " ".join(["invoice"] * filler_words) + " payment for MAHAN AIR tickets"
    assert len(text) > freetext.MAX_TEXT_CHARS
    tokens = freetext.tokens_of(text)
    assert tokens[-5:] == ["payment", "for", "mahan", "air", "tickets"], tokens[-6:]
    assert len(tokens) == filler_words + 5
