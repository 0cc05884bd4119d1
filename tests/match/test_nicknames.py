"""Nicknames and hypocorisms (text/data/nicknames_*.txt) find the listed full name and back,
at a similarity below an exact match; a nickname does not make an innocent alert."""

from __future__ import annotations

import pytest

from proscribe.match.config import load_config
from proscribe.match.engine import token_similarity


def _alerts_on(result, entity_ids) -> bool:
    entity_ids = {entity_ids} if isinstance(entity_ids, str) else set(entity_ids)
    return result["decision"] in ("review", "block") and bool(
        entity_ids & {r["id"] for r in result["results"]}
    )


@pytest.mark.parametrize(
    "name,entity",
    [
        ("Dima Medvedev", "us_ofac_sdn-36407"),
        ("Misha Mishustin", "us_ofac_sdn-35282"),
        ("Volodya Putin", "us_ofac_sdn-35096"),
        ("Vova Putin", "us_ofac_sdn-35096"),
        ("Kolya Patrushev", "us_ofac_sdn-24309"),
        ("Seryozha Kokorev", "us_ofac_sdn-51341"),
        ("Misha Iskritsky", "us_ofac_sdn-35990"),
    ],
)
def test_russian_diminutive_first_name_finds_the_listed_person(screen_one, name, entity):
    assert _alerts_on(screen_one(name, "Person"), entity)


@pytest.mark.parametrize(
    "name,entity",
    [
        ("Mohd Benhammedi", "us_ofac_sdn-9599"),
        ("Muhd Qabalan", "us_ofac_sdn-16151"),
        ("Pepe Rangel Avalos", "ca_dfatd_sema_sanctions-JVCFOR/-/11"),
        ("Paco Ameliach Orta", "us_ofac_sdn-22803"),
    ],
)
def test_arabic_and_spanish_short_forms_find_the_listed_person(screen_one, name, entity):
    assert _alerts_on(screen_one(name, "Person"), entity)


def test_english_nickname_finds_the_listed_full_name(screen_one):
    assert _alerts_on(screen_one("Bill Castillo Bolle", "Person"), "us_ofac_sdn-51268")


@pytest.mark.parametrize(
    "nickname,full",
    [
        ("dima", "dmitry"),
        ("misha", "mikhail"),
        ("volodya", "vladimir"),
        ("sasha", "aleksandr"),
        ("mohd", "mohammed"),
        ("bill", "william"),
        ("pepe", "jose"),
        ("fritz", "friedrich"),
    ],
)
def test_a_nickname_compares_both_ways_below_an_exact_match(nickname, full):
    cfg = load_config()
    there, how = token_similarity(nickname, full, cfg)
    back, _ = token_similarity(full, nickname, cfg)
    assert there == back == cfg.nickname_similarity and how == "nickname"
    assert there < cfg.variant_similarity < 1.0


def test_a_nickname_is_fetched_as_a_candidate_of_the_full_name(index):
    from proscribe.match.engine import Matcher

    matcher = Matcher(index, load_config())
    found = {index.tokens[tid]: how for tid, (_, how) in matcher.neighbours("dima").items()}
    assert found.get("dmitry") == "nickname"
    back = {index.tokens[tid] for tid in matcher.neighbours("dmitry")}
    assert "dima" in back or "dima" not in index.vocab


def test_the_nickname_scores_below_the_full_name(screen_one):
    exact = screen_one("Dmitry Medvedev", "Person")["results"][0]["score"]
    nick = next(
        r["score"] for r in screen_one("Dima Medvedev", "Person")["results"] if r["id"] == "us_ofac_sdn-36407"
    )
    assert nick < exact


@pytest.mark.parametrize(
    "name",
    [
        "Misha Ivanenko",
        "Dima Kowalski",
        "Bill Johnson",
        "Sasha Petrenko",
        "Volodya Smirnov",
        "Pepe Navarro Ruiz",
    ],
)
def test_a_nickname_with_a_surname_that_differs_stays_clear(screen_one, name):
    assert screen_one(name, "Person")["decision"] == "clear"
