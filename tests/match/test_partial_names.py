"""Partial names: a query naming only some parts of a longer listed person's name is a candidate
and reaches review when the parts it shares are rare; its score follows how much it covers."""

from __future__ import annotations

import pytest

CANO_CORREA = "us_ofac_sdn-10000"  # CANO CORREA, Jhon Eidelber
BELTRAN_LEYVA = "us_ofac_sdn-10899"  # BELTRAN LEYVA, Marcos Arturo


def _review_on(result, entity_id) -> bool:
    return result["decision"] == "review" and entity_id in {r["id"] for r in result["results"]}


@pytest.mark.parametrize(
    "name,entity",
    [
        ("Cano Eidelber", CANO_CORREA),  # SURNAME1 Given2
        ("Eidelber Cano", CANO_CORREA),
        ("Correa Eidelber", CANO_CORREA),  # SURNAME2 Given2
        ("Beltran Arturo", BELTRAN_LEYVA),
    ],
)
def test_two_rare_parts_of_a_four_part_name_review_the_listed_person(screen_one, name, entity):
    assert _review_on(screen_one(name, "Person"), entity)


def test_the_partial_hit_says_how_much_of_the_listed_name_it_covers(index):
    from proscribe.match.config import load_config
    from proscribe.match.engine import Matcher

    matcher = Matcher(index, load_config())
    two = matcher.match_names(["Cano Eidelber"], "Person")
    three = matcher.match_names(["Cano Correa Eidelber"], "Person")
    entity = next(i for i, e in enumerate(index.entities) if e.id == CANO_CORREA)
    assert two[entity].partial and two[entity].method == "partial name"
    assert two[entity].coverage_list < three[entity].coverage_list
    assert two[entity].score < three[entity].score


@pytest.mark.parametrize(
    "name",
    ["Jose Garcia", "Maria Gonzalez", "Juan Martinez", "Patricia Zambada", "Kim Song", "Mohammed Ali"],
)
def test_common_parts_alone_do_not_make_a_partial_name_review(index, name):
    from proscribe.match.config import load_config
    from proscribe.match.engine import Matcher

    hits = Matcher(index, load_config()).match_names([name], "Person")
    assert not any(hit.partial for hit in hits.values()), name


def test_a_bare_rare_surname_without_an_office_is_no_partial_name(index):
    from proscribe.match.config import load_config
    from proscribe.match.engine import Matcher

    hits = Matcher(index, load_config()).match_names(["Zambada"], "Person")
    assert not any(hit.partial for hit in hits.values())


def test_a_partial_name_never_blocks_on_the_name_alone(screen_one):
    for name in ("Cano Eidelber", "Beltran Arturo", "President Putin"):
        assert screen_one(name, "Person")["decision"] != "block", name
