"""The seed case: OFAC's 3 January 2025 designation of Integrity Technology Group (uid 50543)."""

from __future__ import annotations

import pytest

ITG = "us_ofac_sdn-50543"


def _ids(result):
    return [r["id"] for r in result["results"]]


@pytest.mark.parametrize(
    "name",
    [
        "Integrity Technology Group",
        "INTEGRITY TECHNOLOGY GROUP INC",
        "Beijing Integrity Technology Co., Ltd.",
        "Beijing Integrity Technology Company Limited",
    ],
)
def test_itg_primary_and_strong_alias_spellings_block(screen_one, name):
    result = screen_one(name, "Company")
    assert result["decision"] == "block"
    assert result["results"][0]["id"] == ITG
    assert result["results"][0]["programs"] == ["CYBER2"]


@pytest.mark.parametrize(
    "name",
    [
        "Integrity Tech",
        "Yongxin Zhicheng Technology Group Co., Ltd.",
        "Yongxin Zhicheng",
        "永信至诚科技集团股份有限公司",
    ],
)
def test_itg_abbreviation_weak_alias_and_chinese_name_alert_at_least_for_review(screen_one, name):
    result = screen_one(name, "Company")
    assert result["decision"] in ("review", "block")
    assert result["results"][0]["id"] == ITG


def test_chinese_name_matches_the_weak_alias_through_pinyin_and_company_words(screen_one):
    result = screen_one("永信至诚科技集团股份有限公司", "Company")
    top = result["results"][0]
    assert top["matched_name"] == "YONGXIN ZHICHENG TECHNOLOGY GROUP COMPANY, LIMITED"
    assert top["explanation"]["name"]["name_kind"] == "weak alias"


def test_valid_uscc_alone_blocks(screen_one):
    result = screen_one(None, "Company", registrationNumber="91110108562135265P")
    assert result["decision"] == "block"
    assert _ids(result) == [ITG]
    assert "uscc:91110108562135265P" in str(result["results"][0]["explanation"]["identifiers"])


def test_uscc_with_wrong_check_digit_is_reported_invalid_not_matched(screen_one):
    result = screen_one(None, "Company", registrationNumber="91110108562135265Q")
    # not matched to ITG, but an identifier-only query that fails its check is never cleared
    assert result["decision"] == "review"
    assert ITG not in _ids(result)
    assert any("check character should be 'P'" in w for w in result["warnings"])


@pytest.mark.parametrize("name", ["Integrity Applications Inc", "GigaDevice Semiconductor Inc."])
def test_similar_but_different_companies_stay_clear(screen_one, name):
    assert screen_one(name, "Company")["decision"] == "clear"


def test_shared_address_alone_never_blocks(screen_one):
    result = screen_one(
        "GigaDevice Semiconductor Inc.", "Company", address="No. 9 Fenghao East Road, Haidian District, Beijing"
    )
    assert result["decision"] == "clear"


def test_weak_alias_is_found_but_scores_below_strong_alias(screen_one):
    strong = screen_one("Beijing Integrity Technology Company Limited", "Company")["results"][0]
    weak = screen_one("Yongxin Zhicheng Technology Group Company Limited", "Company")["results"][0]
    assert strong["id"] == weak["id"] == ITG
    assert weak["score"] < strong["score"]
    assert not weak["match"]


def test_result_names_its_snapshot_and_explains_the_score(screen_one):
    top = screen_one("Integrity Technology Group", "Company")["results"][0]
    assert top["dataset"] == "us_ofac_sdn" and top["source_id"] == "50543"
    assert "2026-08-20" in top["snapshot"] and "reconstructed" in top["snapshot"]
    explanation = top["explanation"]
    assert explanation["thresholds"]["block"] > explanation["thresholds"]["review"]
    aligned = {(a["query"], a["list"]) for a in explanation["name"]["aligned_tokens"]}
    assert ("integrity", "integrity") in aligned
