"""Each matching class of the screening issue, on real entries of the bundled lists."""

from __future__ import annotations

import pytest

PUTIN = "us_ofac_sdn-35096"
BIN_LADIN = "us_ofac_sdn-6365"


def _alerts_on(result, entity_id):
    return result["decision"] in ("review", "block") and entity_id in [r["id"] for r in result["results"]]


def _rank(result, entity_id):
    ids = [r["id"] for r in result["results"]]
    return ids.index(entity_id) if entity_id in ids else None


def _score(result, entity_id):
    return next(r["score"] for r in result["results"] if r["id"] == entity_id)


# -- case, punctuation, spacing ------------------------------------------------------------------

def test_abbreviation_dots_and_case_normalise_alike():
    from proscribe.text.names import name_forms

    assert name_forms("SIS d.o.o.", "Company")[0].tokens == name_forms("SIS DOO", "Company")[0].tokens


@pytest.mark.parametrize("name", ["Usama BINLADEN", "Usama BIN LADEN", "usama bin-laden"])
def test_joined_and_split_words_match(screen_one, name):
    result = screen_one(name, "Person")
    assert result["decision"] == "block" and _rank(result, BIN_LADIN) == 0


# -- word order, comma forms, middle names, initials ---------------------------------------------

@pytest.mark.parametrize("name", ["Vladimir Putin", "PUTIN, Vladimir Vladimirovich", "Putin Vladimir"])
def test_word_order_and_comma_forms_match_the_listed_person(screen_one, name):
    result = screen_one(name, "Person")
    assert result["decision"] == "block"
    assert _alerts_on(result, PUTIN)


def test_initials_alert_for_review(screen_one):
    result = screen_one("V. V. Putin", "Person")
    assert _alerts_on(result, PUTIN)


def test_extra_middle_name_in_query_still_matches(screen_one):
    result = screen_one("Igor Ivanovich Sechin", "Person")
    assert result["decision"] == "block"
    assert _alerts_on(result, "us_ofac_sdn-16692")


# -- typos ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name,entity",
    [
        ("Igor Setchin", "us_ofac_sdn-16692"),  # insertion
        ("Igor Sechn", "us_ofac_sdn-16692"),  # deletion
        ("Sergei Lavrob", "us_ofac_sdn-35233"),  # substitution
        ("Sergei Lavorv", "us_ofac_sdn-35233"),  # transposition
        ("Sergei Lavrrov", "us_ofac_sdn-35233"),  # doubled letter
    ],
)
def test_single_typos_still_alert(screen_one, name, entity):
    assert _alerts_on(screen_one(name, "Person"), entity)


def test_a_typo_scores_below_the_exact_spelling(screen_one):
    exact = screen_one("Sergei Lavrov", "Person")
    typo = screen_one("Sergei Lavrob", "Person")
    assert _score(typo, "us_ofac_sdn-35233") < _score(exact, "us_ofac_sdn-35233")


# -- transliteration and spelling variants -------------------------------------------------------

@pytest.mark.parametrize(
    "name,entity",
    [
        ("Osama bin Laden", BIN_LADIN),
        ("Muammar Gaddafi", "us_ofac_sdn-12606"),
        ("Muammar Qaddafi", "us_ofac_sdn-12606"),
        ("Mohamad Qadhafi", "us_ofac_sdn-12628"),
        ("Alexander Lukashenko", "us_ofac_sdn-9760"),
        ("Aleksandr Lukashenko", "us_ofac_sdn-9760"),
        ("Kim Jong-un", "us_ofac_sdn-20157"),
        ("Kim Jong Un", "us_ofac_sdn-20157"),
    ],
)
def test_transliteration_variants_alert_on_the_listed_person(screen_one, name, entity):
    assert _alerts_on(screen_one(name, "Person"), entity)


# -- legal forms ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["CORP", "LLC", "Co., Ltd.", "GmbH", "ООО", "有限公司", "Joint Stock Company"])
def test_a_legal_form_alone_never_matches_anything(screen_one, name):
    assert screen_one(name, "Company")["decision"] == "clear"


def test_legal_forms_in_other_languages_are_interchangeable(screen_one):
    listed = screen_one("Huawei Technologies Co., Ltd.", "Company")
    swapped = screen_one("Huawei Technologies Limited", "Company")
    assert listed["results"][0]["id"] == swapped["results"][0]["id"] == "us_ofac_cons-30947"
    assert swapped["decision"] == "block"


def test_legal_form_words_carry_almost_no_weight():
    from proscribe.text.legal import LEGAL_FORM_WEIGHT, tag_legal_forms

    assert tag_legal_forms(["acme", "company", "limited"]) == ["acme", "lf_ltd"]
    assert tag_legal_forms(["ooo", "romashka"]) == ["lf_llc", "romashka"]
    assert LEGAL_FORM_WEIGHT < 0.5


# -- non-Latin scripts ---------------------------------------------------------------------------

def test_original_script_arabic_name_in_the_un_list_matches_directly(screen_one):
    result = screen_one("صدام حسين التكريتي", "Person")
    assert result["decision"] == "block"
    assert _alerts_on(result, "un_sc_sanctions-IQi.001")


def test_cyrillic_query_matches_the_romanised_list_name(screen_one):
    result = screen_one("Банк Россия", "Company")
    assert result["decision"] == "block"
    assert any(r["caption"].upper() == "BANK ROSSIYA" for r in result["results"])


def test_chinese_query_matches_romanised_company_name(screen_one):
    result = screen_one("华为技术有限公司", "Company")
    assert _rank(result, "us_ofac_cons-30947") == 0


# -- identifiers ---------------------------------------------------------------------------------

def test_vessel_imo_number_alone_blocks(screen_one):
    result = screen_one(None, "Vessel", imoNumber="IMO 1790183")
    assert result["decision"] == "block"
    assert "au_dfat_sanctions-2947" in [r["id"] for r in result["results"]]


def test_digital_currency_address_alone_blocks(screen_one):
    result = screen_one(None, "LegalEntity", cryptoWallet="12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h")
    assert result["decision"] == "block"
    assert [r["id"] for r in result["results"]] == ["us_ofac_sdn-25308"]


def test_passport_number_alone_is_review_never_block(screen_one):
    result = screen_one(None, "Person", passportNumber="AA780554")
    assert result["decision"] == "review"
    assert not any(r["match"] for r in result["results"])


def test_a_matching_passport_raises_a_name_match(screen_one):
    plain = screen_one("Hilarion del Rosaro Santos", "Person")
    with_doc = screen_one("Hilarion del Rosaro Santos", "Person", passportNumber="AA780554")
    entity = "un_sc_sanctions-QDi.244"
    assert _score(with_doc, entity) > _score(plain, entity)


# -- secondary attributes ------------------------------------------------------------------------

def test_matching_birth_date_raises_and_contradicting_one_lowers_without_erasing(screen_one):
    right = screen_one("Vladimir Putin", "Person", birthDate="1952-10-07")
    wrong = screen_one("Vladimir Putin", "Person", birthDate="1980-01-01")
    plain = screen_one("Vladimir Putin", "Person")
    assert _score(right, PUTIN) >= _score(plain, PUTIN) > _score(wrong, PUTIN)
    assert _alerts_on(wrong, PUTIN)
    adjustments = next(r for r in wrong["results"] if r["id"] == PUTIN)["explanation"]["adjustments"]
    assert any(a["feature"] == "birth_date" and a["delta"] < 0 for a in adjustments)


def test_an_invalid_birth_date_is_no_evidence_either_way(screen_one):
    invalid = screen_one("Sergei Lavrov", "Person", birthDate="1974-01-32")
    plain = screen_one("Sergei Lavrov", "Person")
    assert _score(invalid, "us_ofac_sdn-35233") == _score(plain, "us_ofac_sdn-35233")


def test_a_contradicting_nationality_lowers_the_score(screen_one):
    same = screen_one("Sergei Lavrov", "Person", nationality="ru")
    other = screen_one("Sergei Lavrov", "Person", nationality="br")
    assert _score(other, "us_ofac_sdn-35233") < _score(same, "us_ofac_sdn-35233")


def test_schema_mismatch_lowers_people_in_company_queries_but_never_hides_them(screen_one):
    result = screen_one("Vladimir Putin", "Company")
    hit = next(r for r in result["results"] if r["id"] == PUTIN)
    assert result["decision"] == "review" and hit["match"] is False
    assert _score(screen_one("Vladimir Putin", "Person"), PUTIN) > hit["score"]


# -- common names --------------------------------------------------------------------------------

def test_a_common_first_name_alone_does_not_alert(screen_one):
    assert screen_one("Mohammed", "Person")["decision"] == "clear"


def test_common_name_tokens_weigh_less_than_rare_ones(index):
    assert index.weight_of("mohammed") < index.weight_of("lavrov")
    assert index.weight_of("group") <= 1.0
