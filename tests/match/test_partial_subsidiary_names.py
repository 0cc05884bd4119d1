"""Subsidiary-style company names: a query that is a listed organisation's whole name extended by
words of a line of business or a branch ranks that organisation first and reaches review."""

from __future__ import annotations

import pytest

SOVCOMFLOT = {"au_dfat_sanctions-6943", "ca_dfatd_sema_sanctions-Russia/1-Part-2/92", "gb_hmt_sanctions-15040"}
ROSOBORONEXPORT = {"au_dfat_sanctions-6313", "ca_dfatd_sema_sanctions-Russia/1-Part-2/129", "us_ofac_cons-18782"}
MAHAN_AIR = {"us_ofac_sdn-12927", "ca_dfatd_sema_sanctions-Iran/1-Part-1/149"}
TACTICAL_MISSILES = {"au_dfat_sanctions-6310", "ca_dfatd_sema_sanctions-Russia/1-Part-2/99", "gb_hmt_sanctions-14187"}


@pytest.mark.parametrize(
    "name,group",
    [
        ("Sovcomflot Logistics LLC", SOVCOMFLOT),
        ("Rosoboronexport Telecommunications LLC", ROSOBORONEXPORT),
        ("Mahan Air Telecommunications LLC", MAHAN_AIR),
        ("Tactical Missiles Corporation Engineering Services LLC", TACTICAL_MISSILES),
    ],
)
def test_a_listed_name_extended_by_business_words_ranks_the_listed_group_first(screen_one, name, group):
    result = screen_one(name, "Company")
    assert result["decision"] == "review"
    assert result["results"][0]["id"] in group


def test_the_extended_name_is_explained_and_stays_below_the_full_name(screen_one):
    result = screen_one("Sovcomflot Logistics LLC", "Company")
    assert result["results"][0]["explanation"]["name"]["method"] == "listed name extended"
    assert result["results"][0]["score"] < screen_one("Sovcomflot", "Company")["results"][0]["score"]


@pytest.mark.parametrize(
    "name", ["Delta Logistics LLC", "Apple Trading LLC", "Sun Energy Holdings", "Global Shipping Services"]
)
def test_common_words_extended_by_business_words_stay_clear(screen_one, name):
    assert screen_one(name, "Company")["decision"] == "clear"
