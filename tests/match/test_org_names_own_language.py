"""A listed organisation written in its own language (Korean, Chinese, Arabic, Persian, Russian)
finds the listed entry, which the bundled lists give in English or romanised only; ordinary
companies written the same way stay clear."""

from __future__ import annotations

import re

import pytest

ALERT = ("review", "block")


def _alerts_on(result, caption: str) -> bool:
    results = result["results"]
    return result["decision"] in ALERT and bool(results) and re.search(caption, results[0]["caption"], re.I)


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("조선무역은행", r"foreign trade bank"),
        ("조선광업개발무역회사", r"korea mining development trading"),
        ("조선련봉총회사", r"korea ryonbong general"),
        ("조선광선은행", r"korea kwangson banking"),
        ("정찰총국", r"reconnaissance general bureau"),
        ("조선대성은행", r"korea daesong bank"),
        ("단천상업은행", r"tanchon commercial bank"),
        ("고려항공", r"air koryo"),
        ("조선민족보험총회사", r"korea(n)? national insurance"),
        ("조선광성무역회사", r"korea kwangsong trading"),
    ],
)
def test_korean_name_of_a_dprk_bank_company_or_bureau_alerts_on_the_listed_entry(screen_one, name, caption):
    result = screen_one(name, "Company")
    assert _alerts_on(result, caption), result["results"][:2]


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("侦察总局", r"reconnaissance general bureau"),
        ("高丽航空", r"air koryo"),
        ("伊朗国家石油公司", r"national iranian oil company"),
        ("伊朗伊斯兰共和国航运公司", r"islamic republic of iran shipping lines"),
        ("中国航天科工集团有限公司", r"china aerospace science and industry"),
        ("中国北方工业集团有限公司", r"china north industries"),
    ],
)
def test_chinese_name_of_a_listed_organisation_alerts_on_the_listed_entry(screen_one, name, caption):
    result = screen_one(name, "Company")
    assert _alerts_on(result, caption), result["results"][:2]


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("حزب الله", r"hizballah"),
        ("كتائب حزب الله", r"kata'?ib hizballah"),
        ("الحرس الثوري الإسلامي", r"islamic revolutionary guard"),
        ("المصرف التجاري السوري", r"commercial bank of syria"),
        ("البنك المركزي السوري", r"central bank of syria"),
        ("شرکت ملی نفت ایران", r"national iranian oil company"),
        ("کشتیرانی جمهوری اسلامی ایران", r"islamic republic of iran shipping lines"),
    ],
)
def test_arabic_or_persian_name_of_a_listed_organisation_alerts_on_the_listed_entry(
    screen_one, name, caption
):
    result = screen_one(name, "Company")
    assert _alerts_on(result, caption), result["results"][:2]


def test_han_company_name_with_a_city_prefix_and_without_group_reaches_the_listed_group(screen_one):
    # listed: 永信至诚科技集团股份有限公司 (Yongxin Zhicheng Technology Group), seat in Beijing
    result = screen_one("北京永信至诚科技股份有限公司", "Company")
    assert result["decision"] in ALERT
    assert result["results"][0]["id"] == "us_ofac_sdn-50543"


@pytest.mark.parametrize(
    "name",
    [
        "서울제과",
        "한빛무역회사",
        "부산해운주식회사",
        "深圳市腾讯计算机系统有限公司",
        "上海浦东发展银行",
        "شرکت بازرگانی آریا تهران",
        "شركة المراعي",
        "بنك الإسكان",
        "ООО «Торговый дом Весна»",
        "Министерство здравоохранения",
    ],
)
def test_ordinary_company_written_in_its_own_language_stays_clear(screen_one, name):
    result = screen_one(name, "Company")
    assert result["decision"] == "clear", result["results"][:2]
