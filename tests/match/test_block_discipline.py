"""Block discipline: a name alone blocks only when it says who it is ([decision] in matching.toml).

A confident name match of a common name (a very common surname and given name, an everyday
Chinese or Korean name in either script and either order, a surname with a one-syllable given
name, first name and surname shared while the middle names differ) is review, never block,
unless a birth date, a country or an identifier corroborates it. Rare listed names, their
transliterations and original-script forms still block on the name alone.
"""

from __future__ import annotations

import pytest

from proscribe.match.config import load_config


def _top(result: dict) -> dict:
    assert result["results"], result
    return result["results"][0]


def _common_name_detail(result: dict) -> str:
    adjustments = _top(result)["explanation"]["adjustments"]
    found = [a["detail"] for a in adjustments if a["feature"] == "common_name"]
    assert found, adjustments
    return found[0]


def _record(index, entity_id: str):
    return next(e for e in index.entities if e.id == entity_id)


@pytest.mark.parametrize("name", ["张伟", "Zhang Wei", "Wei Zhang", "ZHANG, Wei", "张磊", "Zhang Lei"])
def test_exact_reading_of_a_very_common_two_syllable_chinese_name_is_review_not_block(screen_one, name):
    result = screen_one(name, "Person")
    assert result["decision"] == "review"
    assert not any(r["match"] for r in result["results"])
    assert "common name: review, not block" in _common_name_detail(result)


@pytest.mark.parametrize("name", ["김영철", "Kim Yong Chol", "Yong Chol Kim", "KIM, Yong Chol", "金英哲"])
def test_common_korean_name_in_hangul_hanja_or_latin_and_either_order_is_review_not_block(screen_one, name):
    result = screen_one(name, "Person")
    assert result["decision"] == "review", result
    assert "common name: review, not block" in _common_name_detail(result)


@pytest.mark.parametrize("name", ["Kim Kyu", "Kyu Kim", "Zhang Wei"])
def test_a_surname_with_a_one_syllable_given_name_is_never_enough_to_block(screen_one, name):
    result = screen_one(name, "Person")
    assert result["decision"] == "review"
    assert "one-syllable given name" in _common_name_detail(result)


@pytest.mark.parametrize("name", ["Никита Гусев", "Алексей Новиков", "Mohammed Ali", "Dmitry Medvedev"])
def test_a_very_common_given_name_with_a_common_surname_is_review_not_block(screen_one, name):
    result = screen_one(name, "Person")
    assert result["decision"] == "review"
    assert "name information" in _common_name_detail(result)


def test_first_name_and_surname_shared_with_different_middle_names_is_review_not_block(screen_one):
    # listed: Noorullah Aziz HAJ-MOHAMMADI; the query shares the first name and the surname only
    result = screen_one("Noorullah Ali Hajmohammadi", "Person")
    assert result["decision"] == "review"
    assert "middle names differ" in _common_name_detail(result)
    # the listed name itself still blocks
    assert screen_one("Noorullah Aziz Haj-Mohammadi", "Person")["decision"] == "block"


ORDINARY_HAN_AND_HANGUL = [
    "王伟",
    "李娜",
    "张敏",
    "刘洋",
    "陈静",
    "杨磊",
    "黄勇",
    "赵军",
    "周杰",
    "吴超",
    "王秀英",
    "李桂英",
    "张丽",
    "刘强",
    "陈明",
    "김민준",
    "이서연",
    "박지훈",
    "최민호",
    "정수빈",
    "강현우",
    "조은지",
    "윤서준",
    "장민서",
    "임지우",
    "한예린",
    "오승현",
    "Wang Fang",
    "Li Na",
    "Chen Jing",
    "Kim Min Jun",
    "Park Ji Hoon",
    "Lee Seo Yeon",
    "Jun Min Kim",
]


def test_ordinary_han_and_hangul_names_never_block(screen_one):
    blocked = [n for n in ORDINARY_HAN_AND_HANGUL if screen_one(n, "Person")["decision"] == "block"]
    assert blocked == []


COMMON_WESTERN = [
    "John Smith",
    "David Lee",
    "Michael Brown",
    "James Johnson",
    "Robert Williams",
    "Maria Garcia",
    "Jose Rodriguez",
    "Ahmed Ali",
    "Mohammad Hussein",
    "Ali Hassan",
    "Ivan Ivanov",
    "Sergey Petrov",
]


def test_common_western_names_never_block(screen_one):
    blocked = [n for n in COMMON_WESTERN if screen_one(n, "Person")["decision"] == "block"]
    assert blocked == []


@pytest.mark.parametrize(
    "name",
    [
        "Vladimir Putin",
        "Владимир Путин",
        "Igor Sechin",
        "Osama bin Laden",
        "Choe Ryong Hae",
        "최룡해",
        "Robert Mugabe",
        "Nikita Mazepin",
    ],
)
def test_rare_listed_names_their_transliterations_and_original_scripts_still_block(screen_one, name):
    assert screen_one(name, "Person")["decision"] == "block"


def test_the_seed_company_still_blocks_on_its_name(screen_one):
    assert screen_one("Integrity Technology Group, Incorporated", "Company")["decision"] == "block"
    assert screen_one("INTEGRITY TECH GROUP INC", "Company")["decision"] in ("block", "review")


def test_a_common_name_corroborated_by_the_listed_birth_date_blocks(screen_one, index):
    plain = screen_one("Zhang Wei", "Person")
    listed = _record(index, _top(plain)["id"])
    assert listed.birth_dates
    result = screen_one("Zhang Wei", "Person", birthDate=listed.birth_dates[0][:10])
    assert result["decision"] == "block"
    info = _top(result)["explanation"]["name"]["information"]
    assert "birth date" in info["corroborated_by"]


def test_a_common_korean_name_corroborated_by_birth_date_and_nationality_blocks(screen_one, index):
    plain = screen_one("Kim Yong Chol", "Person")
    listed = _record(index, _top(plain)["id"])
    country = sorted(listed.countries)[0]
    result = screen_one("Kim Yong Chol", "Person", birthDate=listed.birth_dates[0], nationality=country)
    assert result["decision"] == "block"


def test_a_country_alone_does_not_make_a_two_syllable_chinese_name_block(screen_one):
    assert screen_one("Zhang Wei", "Person", nationality="cn")["decision"] == "review"


def test_the_rule_and_its_parameters_live_in_the_matching_configuration():
    import tomllib

    from proscribe.match.config import CONFIG_PATH

    decision = tomllib.loads(CONFIG_PATH.read_text(encoding="utf-8"))["decision"]
    for key in ("block_min_information", "very_common_information", "syllable_information"):
        assert key in decision
    cfg = load_config()
    # two very common words never reach the minimum
    assert 2 * cfg.very_common_information < cfg.block_min_information
