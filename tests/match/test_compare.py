"""Pairwise name comparison (used for labelled-pair evaluation and ownership party resolution)."""

from __future__ import annotations

import pytest

from proscribe.match.config import load_config
from proscribe.match.engine import Matcher, allowed_edits, token_similarity


@pytest.fixture(scope="module")
def matcher(index):
    return Matcher(index, load_config())


def test_edit_allowance_grows_with_token_length_but_is_never_zero_past_three_letters():
    assert allowed_edits(3) == 0
    assert allowed_edits(4) == 1 and allowed_edits(8) == 2 and allowed_edits(12) == 3


def test_short_name_typos_score_well_above_nothing(matcher):
    assert matcher.compare("Jon Smyth", "John Smith", "Person") > 0.7


def test_abbreviation_matches_but_apple_inc_is_not_apple_bank(matcher):
    assert matcher.compare("Integrity Tech", "INTEGRITY TECHNOLOGY GROUP, INCORPORATED", "Company") >= 0.8
    assert matcher.compare("Apple Inc", "Apple Bank", "Company") < load_config().review


def test_subset_trap_a_generic_list_name_does_not_cover_a_longer_query(matcher):
    assert matcher.compare("Emma Daniels", "EMMA LLC", "LegalEntity") < load_config().review
    assert matcher.compare("Northern Star Trading Group", "GROUP", "Company") < load_config().review


def test_sounds_alike_variants_are_near():
    cfg = load_config()
    assert token_similarity("mohammed", "muhammad", cfg)[0] >= cfg.skeleton_similarity
    assert token_similarity("yusuf", "youssef", cfg)[0] >= cfg.skeleton_similarity
    assert token_similarity("apple", "upel", cfg)[0] == 0.0


def test_first_letter_must_agree_for_short_token_edits():
    cfg = load_config()
    assert token_similarity("jon", "john", cfg)[0] > 0
    assert token_similarity("sis", "osis", cfg)[0] == 0.0
