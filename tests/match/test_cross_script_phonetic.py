"""Listed names written in other scripts are found through the phonetic key; innocents are not.

Against the real bundled lists (the session index): a listed person's name as Korean, Japanese,
Arabic, Persian, Hebrew, Greek, Belarusian and Bengali writers spell it, and as Chinese
transcribes it, must alert on that person. Ordinary Latin, Han and Hangul names must not start
alerting because of the new way of matching.
"""

from __future__ import annotations

import pytest

LAVROV = {
    "gb_hmt_sanctions-14197",
    "ca_dfatd_sema_sanctions-Russia/1-Part-1/505",
    "au_dfat_sanctions-6679",
    "us_ofac_sdn-35233",
}
SHOIGU = {"gb_hmt_sanctions-14640", "ca_dfatd_sema_sanctions-Russia/1-Part-1/504", "au_dfat_sanctions-6682",
          "us_ofac_sdn-35173"}  # fmt: skip
PUTIN = {"gb_hmt_sanctions-14196", "ca_dfatd_sema_sanctions-Russia/1-Part-1/503", "au_dfat_sanctions-6678",
         "us_ofac_sdn-35096"}  # fmt: skip
MEDVEDEV = {"us_ofac_sdn-36407", "ca_dfatd_sema_sanctions-Russia/1-Part-1/512"}
KHAMENEI = {"us_ofac_sdn-26945"}
KIM_JONG_UN = {"us_ofac_sdn-20157"}


def _alerts_first_on(result, entity_ids) -> bool:
    return (
        result["decision"] in ("review", "block")
        and bool(result["results"])
        and (result["results"][0]["id"] in entity_ids)
    )


@pytest.mark.parametrize(
    "name",
    [
        "세르게이 라브로프",  # Hangul
        "セルゲイ・ラブロフ",  # katakana
        "سيرغي لافروف",  # Arabic
        "سرگئی لاوروف",  # Persian
        "סרגיי לברוב",  # Hebrew
        "谢尔盖·拉夫罗夫",  # Han transcription
    ],
    ids=["hangul", "katakana", "arabic", "persian", "hebrew", "han"],
)
def test_lavrov_written_in_another_script_finds_the_listed_person(screen_one, name):
    assert _alerts_first_on(screen_one(name, "Person"), LAVROV)


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("세르게이 쇼이구", SHOIGU),
        ("谢尔盖·绍伊古", SHOIGU),
        ("ウラジーミル・プーチン", PUTIN),
        ("드미트리 메드베데프", MEDVEDEV),
        ("ドミートリー・メドベージェフ", MEDVEDEV),
        ("德米特里·梅德韦杰夫", MEDVEDEV),
        ("阿里·哈梅内伊", KHAMENEI),
        ("金正恩", KIM_JONG_UN),
    ],
)
def test_a_listed_name_in_hangul_kana_or_han_finds_the_listed_person(screen_one, name, listed):
    assert _alerts_first_on(screen_one(name, "Person"), listed)


@pytest.mark.parametrize(
    "name",
    ["Σεργκέι Λαβρόφ", "Сяргей Лаўроў", "Сергій Лавров", "সের্গেই লাভরভ"],
    ids=["greek", "belarusian", "ukrainian", "bengali"],
)
def test_lavrov_in_greek_belarusian_ukrainian_and_bengali_finds_the_listed_person(screen_one, name):
    assert _alerts_first_on(screen_one(name, "Person"), LAVROV)


def test_the_explanation_says_the_name_matched_phonetically_across_scripts(screen_one):
    result = screen_one("세르게이 라브로프", "Person")
    assert "matched phonetically across scripts" in repr(result["results"][0])


def test_a_name_matched_only_phonetically_is_review_not_block(screen_one):
    assert screen_one("סרגיי לברוב", "Person")["decision"] == "review"


@pytest.mark.parametrize(
    "name",
    [
        # ordinary Hangul and Han names whose syllables share a key with some list token
        "라미라",
        "사토 마리아",
        "김민준",
        "이서연",
        "박지훈",
        "王伟",
        "张伟",
        "刘洋",
        "陈静",
        # Han characters that also transcribe foreign syllables, in an ordinary Chinese name
        "马丽娜",
        "安娜",
        # Latin names: no phonetic key at all
        "Maria Lopez Garcia",
        "Robert Johnson",
        "Daniel Rivas",
    ],
)
def test_innocent_names_sharing_a_key_with_list_tokens_do_not_alert_phonetically(screen_one, name):
    result = screen_one(name, "Person")
    phonetic = [r for r in result["results"] if "matched phonetically across scripts" in repr(r)]
    assert result["decision"] == "clear" or not phonetic, (name, result["decision"], phonetic[:1])
