"""A listed name that is one ordinary word once its legal form is removed (LLC FATTURA: *fattura*
is Italian for invoice; the vessels TULIP and VIOLA) alerts from free text only with its legal
form, another part of the name or corroborating context near it; as a party name it alerts as
usual; every free-text hit says which rule fired."""

from __future__ import annotations

import copy

import pytest

from proscribe.payments import freetext, ordinary
from proscribe.payments.messages import FreeText

ISO_CLEAN = "pacs008_v12_clean.xml"
USTRD = "CdtTrfTxInf/RmtInf/Ustrd"
FATTURA = "us_ofac_sdn-51231"  # LIMITED LIABILITY COMPANY FATTURA (RUSSIA-EO14024)
MONITORING = "us_ofac_sdn-46581"  # OOO MONITORING, INN 7810728739
SEPTEMBER = "us_ofac_sdn-47964"  # LIMITED LIABILITY COMPANY SEPTEMBER
TULIP = "us_ofac_sdn-55632"  # vessel TULIP (IRAN-EO13902)
VIOLA = "us_ofac_sdn-53607"  # vessel VIOLA (IRAN-EO13902)
TIMBER = "us_ofac_sdn-31691"  # MYANMA TIMBER ENTERPRISE, also known as TIMBER CORPORATION
SOVCOMFLOT = "us_ofac_sdn-34741"  # JOINT STOCK COMPANY SOVCOMFLOT


def _decide(screener, parse_fixture, *texts: str):
    (payment,) = parse_fixture(ISO_CLEAN)
    payment = copy.deepcopy(payment)
    payment.free_text = [FreeText(USTRD, text, n) for n, text in enumerate(texts, 1)]
    return screener.decide(payment)


def _listed(outcome) -> dict[str, str]:
    """Listed entity id -> detail of each free-text reason naming one."""
    return {r.result["id"]: r.detail for r in outcome.reasons if r.kind == "free_text" and r.result}


# -- the common-word test -------------------------------------------------------------------------


@pytest.mark.parametrize("entity", [FATTURA, MONITORING, SEPTEMBER, TULIP, VIOLA, TIMBER])
def test_a_bundled_name_whose_core_is_an_ordinary_word_is_a_common_word_name(payment_index, entity):
    automaton = freetext.automaton_for(payment_index)
    position = next(i for i, e in enumerate(payment_index.entities) if e.id == entity)
    assert position in automaton.contexts
    patterns = [
        automaton.patterns[pid]
        for pid in automaton.common
        if any(int(payment_index.form_entity[f]) == position for f in automaton.pattern_forms[pid])
    ]
    assert patterns and all(len(p) == 1 for p in patterns)


@pytest.mark.parametrize("word", ["fattura", "tulip", "viola", "monitoring", "september", "partner"])
def test_ordinary_words_of_many_languages_are_common(word):
    assert ordinary.is_common_word(word)


@pytest.mark.parametrize("word", ["sovcomflot", "hezbollah", "gazprom", "rosneft", "huawei", "mahan"])
def test_proper_names_the_news_repeats_are_not_common_words(word):
    assert not ordinary.is_common_word(word)


def test_russian_words_are_read_in_the_token_space_of_list_names():
    assert ordinary.ordinary_words()["monitoring"].split(",").count("ru") == 1  # мониторинг


# -- free text without corroboration passes -------------------------------------------------------


def test_an_italian_invoice_line_beginning_with_a_listed_llc_core_passes(screener, parse_fixture):
    outcome = _decide(
        screener, parse_fixture, "Fattura n. 118/2026 del 14/07/2026 fornitura rubinetteria, saldo"
    )
    assert outcome.decision == "pass", [r.detail for r in outcome.reasons]


def test_a_dutch_flower_auction_remittance_naming_listed_vessels_passes(screener, parse_fixture):
    line = (
        "Veiling Royal FloraHolland klok 3 kavel 5512: Tulip Strong Gold 400 st, "
        "Iris Blue Magic 250 st, Viola cornuta 9cm 1200 st"
    )
    outcome = _decide(screener, parse_fixture, line)
    assert outcome.decision == "pass", [r.detail for r in outcome.reasons]


def test_ordinary_english_words_that_are_listed_llc_cores_pass(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "Partner commission September 2026, monitoring fees")
    assert outcome.decision == "pass", [r.detail for r in outcome.reasons]


def test_timber_alone_in_a_delivery_note_passes(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "Timber and plywood delivery, Blagoveshchensk yard")
    assert TIMBER not in _listed(outcome)


# -- corroborated, it alerts and says why ---------------------------------------------------------


@pytest.mark.parametrize("text", ["Payment to Fattura LLC for services", "Оплата ООО Фаттура по договору"])
def test_a_common_word_name_with_its_legal_form_holds(screener, parse_fixture, text):
    outcome = _decide(screener, parse_fixture, text)
    assert outcome.decision == "hold"
    assert 'rule: "common word with legal form"' in _listed(outcome)[FATTURA]


def test_a_legal_form_on_the_next_line_still_counts(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "Services invoice 4471 Monitoring", "OOO, Saint Petersburg")
    assert 'rule: "common word with legal form"' in _listed(outcome)[MONITORING]


def test_a_common_word_name_with_an_identifier_of_the_entity_holds(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "Monitoring services, INN 7810728739, contract 12")
    assert outcome.decision == "hold"
    assert (
        'rule: "common word with corroborating context (identifier 7810728739)"'
        in _listed(outcome)[MONITORING]
    )


def test_a_common_word_name_with_the_country_of_the_entity_near_holds(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "Fattura services rendered in Russia, final payment")
    assert outcome.decision == "hold"
    assert "country RU" in _listed(outcome)[FATTURA]


def test_the_country_far_from_the_name_does_not_corroborate(screener, parse_fixture):
    filler = " ".join(["pallets"] * (ordinary.NEAR_TOKENS + 2))
    outcome = _decide(screener, parse_fixture, f"Fattura 118 {filler} origin Russia")
    assert FATTURA not in _listed(outcome)


def test_a_common_word_name_with_another_part_of_its_name_near_holds(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "Teak timber lots, Myanma state enterprise auction")
    assert outcome.decision == "hold"
    assert "rule: \"common word with another part of the name ('myanma')\"" in _listed(outcome)[TIMBER]


# -- party names and other names as before ---------------------------------------------------------


def test_the_same_word_as_a_creditor_name_still_alerts(screener, parse_fixture):
    (payment,) = parse_fixture(ISO_CLEAN)
    payment = copy.deepcopy(payment)
    creditor = next(p for p in payment.parties if p.role == "creditor")
    creditor.name = "Fattura"
    outcome = screener.decide(payment)
    assert outcome.decision in ("hold", "block")
    assert any(r.kind == "party" and r.result and r.result["id"] == FATTURA for r in outcome.reasons)


def test_a_single_word_name_that_is_not_an_ordinary_word_alerts_from_free_text(screener, parse_fixture):
    outcome = _decide(screener, parse_fixture, "Charter hire Sovcomflot tanker, voyage 7")
    assert outcome.decision == "hold"
    details = _listed(outcome)
    (detail,) = [d for e, d in details.items() if "sovcomflot" in d.lower()]
    assert 'rule: "listed name in free text"' in detail
