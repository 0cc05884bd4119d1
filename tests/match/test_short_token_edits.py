"""Short tokens: one edit (incl. a transposition) on 3-4 letter words when the rest of the name
agrees, short romanisation variants, hyphenated Korean given names."""

from __future__ import annotations

import pytest

from proscribe.match.config import load_config
from proscribe.match.engine import short_token_similarity

KIM_JONG_UN = "us_ofac_sdn-20157"


def _alerts_on(result, entity_id) -> bool:
    return result["decision"] in ("review", "block") and entity_id in {r["id"] for r in result["results"]}


@pytest.mark.parametrize(
    "name",
    [
        "Kmi Jong Un",  # transposition in a 3-letter surname
        "Kim Jnog Un",  # transposition in a 4-letter syllable
        "Kim Jong Eun",  # Un / Eun
        "Kim Jung Un",  # Jong / Jung
        "Kim Jung-Eun",  # both, hyphenated
        "Kim Jong-Eun",
        "KIM, Jung-un",
    ],
)
def test_short_variants_and_typos_of_a_korean_name_find_the_listed_person(screen_one, name):
    assert _alerts_on(screen_one(name, "Person"), KIM_JONG_UN)


def test_a_three_letter_transposition_beside_agreeing_words_ranks_the_listed_person_first(screen_one):
    result = screen_one("Kmi Jong Un", "Person")
    assert result["results"][0]["id"] == KIM_JONG_UN


def test_short_token_similarity_rules():
    cfg = load_config()
    assert short_token_similarity("kmi", "kim", cfg) == cfg.short_edit_similarity  # transposition
    assert short_token_similarity("mohd", "mhod", cfg) == cfg.short_edit_similarity
    assert short_token_similarity("alli", "ali", cfg) == cfg.short_edit_similarity  # doubled letter
    assert short_token_similarity("jun", "jin", cfg) == 0.0  # two syllables: two names
    assert short_token_similarity("tom", "kom", cfg) == 0.0  # first letter differs
    assert short_token_similarity("abc", "xyz", cfg) == 0.0


def test_a_short_edit_alone_does_not_alert(screen_one):
    # the rest of the name must agree: a one-edit short word beside an unrelated one is nothing
    assert screen_one("Kmi Wolfsberger", "Person")["decision"] == "clear"


@pytest.mark.parametrize("name", ["Wang Jun", "Li Jin", "Zhang Wei", "Kim Min Jun", "Park Ji Hoon"])
def test_ordinary_han_and_hangul_names_do_not_alert_through_short_edits(index, name):
    from proscribe.match.engine import Matcher

    hits = Matcher(index, load_config()).match_names([name], "Person")
    assert not any(how == "1 edit (short word)" for hit in hits.values() for *_, how in hit.alignment)
