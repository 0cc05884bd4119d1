"""A title or office with a distinctive listed surname reaches review on the listed person, never
block on that name alone; the hit says it was a partial name and which title it carried."""

from __future__ import annotations

import pytest

PUTIN = {"us_ofac_sdn-35096", "gb_hmt_sanctions-14196", "au_dfat_sanctions-6678"}
KHAMENEI = "us_ofac_sdn-26945"
SHOIGU = {"us_ofac_sdn-35173", "gb_hmt_sanctions-14640", "ca_dfatd_sema_sanctions-Russia/1-Part-1/504"}
LUKASHENKO_ALEXANDER = {
    "us_ofac_sdn-9760",
    "gb_hmt_sanctions-13918",
    "ca_dfatd_sema_sanctions-Belarus/1-Part-1/8",
}
MADURO = {"us_ofac_sdn-22790", "ca_dfatd_sema_sanctions-Venezuela/-/1", "ca_dfatd_sema_sanctions-JVCFOR/-/1"}


def _review_on(result, wanted) -> bool:
    wanted = {wanted} if isinstance(wanted, str) else wanted
    return result["decision"] == "review" and bool(wanted & {r["id"] for r in result["results"]})


@pytest.mark.parametrize(
    "name",
    ["President Putin", "Präsident Putin", "Президент Путин", "Putin elnök", "Presidente Putin"],
)
def test_president_and_the_surname_in_several_languages_reviews_the_listed_person(screen_one, name):
    assert _review_on(screen_one(name, "Person"), PUTIN)


@pytest.mark.parametrize(
    "name,wanted",
    [
        ("Supreme Leader Khamenei", KHAMENEI),
        ("Ayatollah Khamenei", KHAMENEI),
        ("General Shoigu", SHOIGU),
        ("Генерал Шойгу", SHOIGU),
        ("President Lukashenko", LUKASHENKO_ALEXANDER),
        ("Lukashenka elnök", LUKASHENKO_ALEXANDER),
        ("Presidente Maduro", MADURO),
    ],
)
def test_an_office_or_rank_with_a_rare_surname_reviews_the_listed_person(screen_one, name, wanted):
    assert _review_on(screen_one(name, "Person"), wanted)


def test_an_office_with_the_surname_is_reviewed_even_when_the_type_is_not_declared(screen_one):
    assert _review_on(screen_one("President Putin"), PUTIN)


def test_the_hit_of_a_title_and_surname_is_marked_partial_with_its_title(index):
    from proscribe.match.config import load_config
    from proscribe.match.engine import Matcher

    hits = Matcher(index, load_config()).match_names(["Президент Путин"], "Person")
    best = max(hits.values(), key=lambda h: h.score)
    assert index.entities[best.entity].id in PUTIN
    assert best.partial and best.method == "partial name"
    assert best.titles == ("prezident",)
    assert best.coverage_list < 0.8  # the surname covers only part of the listed name
    full = Matcher(index, load_config()).match_names(["Vladimir Putin"], "Person")
    assert not max(full.values(), key=lambda h: h.score).partial


def test_a_courtesy_title_with_a_surname_is_not_an_office(screen_one):
    # "Mr Garza" is anyone called Garza: it stays as the bare surname would (no partial credit)
    assert screen_one("Mr Garza", "Person")["decision"] == screen_one("Garza", "Person")["decision"]
    assert screen_one("Mr Putin", "Person")["decision"] == "clear"


def test_a_common_surname_with_an_office_stays_clear(screen_one):
    for name in (
        "President Smith",
        "President Garcia",
        "General Ivanov",
        "President Kim",
        "President Mohammed",
    ):
        assert screen_one(name, "Person")["decision"] == "clear", name


@pytest.mark.parametrize(
    "name",
    ["President\u200dPutin", "President\u200bPutin", "PresidentPutin", "Президент\u200dПутин"],
)
def test_a_title_glued_to_the_surname_by_an_invisible_joiner_still_reviews_the_listed_person(screen_one, name):
    assert _review_on(screen_one(name, "Person"), PUTIN)


def test_a_company_name_glued_at_a_capital_is_not_read_as_a_title(screen_one):
    result = screen_one("GeneralMotors", "Organization")
    assert result["decision"] == "clear"
