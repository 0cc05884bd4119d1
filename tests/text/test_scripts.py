import gzip
import re
from pathlib import Path

import pytest

from proscribe.text.scripts import (
    MAX_FORMS,
    consonant_skeleton,
    detect_scripts,
    han_to_latin,
    latin_forms,
)

CLEAN_FORM = re.compile(r"^[a-z0-9]+( [a-z0-9]+)*$")

# Original-script names from the bundled UN consolidated list (NAME_ORIGINAL_SCRIPT).
UN_ORIGINAL_NAMES = [
    "صدام حسين التكريتي",
    "قصي صدام حسين التكريتي",
    "عابد حامد محمود التكريتي",
    "عزت ابراهيم الدوري",
    "هاني عبد اللطيف طلفاح التكريتي",
    "إبراهيم أحمد عبد الستار محمد التكريتي",
    "طه ياسين رمضان الجزراوي",
    "عدنان س. حسن أحمد",
    "أديب شعبـان العانــي",
    "رودي سليــوة",
    "بلال بن مروان",
    "ابراهيم علي أبو بكر تنتوش",
    "سعيد باهاجى",
    "ﺳﺎﻣﻲ ﺟﺎﺳم ﻣﺣﻣد ﺟﻌﺎطﺔ اﻟﺟﺑوري",
    "ابراهیم عیسی حاجي محمد البکر",
    "ثناء اللہ غفاری",
    "عتیق الله آخوند",
    "سید عصمت الله عاصم عبد القدوس",
    "آدم خان اچکزی",
    "طارق گیدڑ گروپ",
    "د حاجی بصیر او ضرجمیل کمپنی حواله",
    "الدولة الإسلامية في العراق والشام - ليبيا",
    "Умаров Доку Хаматович",
    "Абдурахманов Магомед Магомедзакирович",
    "Ислам Сеит-Умарович Атабиев",
    "Ахмед Ражапович Чатаев",
    "Айрат Насимович Вахитов",
    "Катиба ат-Таухид валь-Джихад",
    "JAMAAH ANSHARUT DAULAH",
]

ITG = "永信至诚科技集团股份有限公司"


def assert_clean(forms: list[str]) -> None:
    assert forms, "expected at least one form"
    assert len(forms) <= MAX_FORMS
    assert len(set(forms)) == len(forms), forms
    for form in forms:
        assert CLEAN_FORM.match(form), form


# --- Latin ------------------------------------------------------------------------------------


def test_pure_ascii_name_short_circuits_to_exactly_one_form():
    assert latin_forms("Vladimir PUTIN") == ["vladimir putin"]


def test_ascii_punctuation_becomes_spaces_and_apostrophes_vanish():
    assert latin_forms("INTEGRITY TECHNOLOGY GROUP,  INC.") == ["integrity technology group inc"]
    assert latin_forms("O'Brien") == ["obrien"]


def test_name_without_letters_or_digits_gives_no_form():
    assert latin_forms("") == []
    assert latin_forms(" -- ") == []


def test_accents_fold_to_ascii():
    assert latin_forms("José Ñandú")[0] == "jose nandu"
    assert latin_forms("Đoković")[0] == "dokovic"


def test_german_umlauts_give_folded_then_expanded_form():
    assert latin_forms("Müller") == ["muller", "mueller"]
    assert latin_forms("Jürgen Höß") == ["jurgen hoss", "juergen hoess"]


def test_special_latin_letters():
    assert latin_forms("Straße") == ["strasse"]
    assert latin_forms("Kadıköy")[0] == "kadikoy"
    assert latin_forms("Søren")[0] == "soren"
    assert latin_forms("Ærø")[0] == "aero"


# --- Han ----------------------------------------------------------------------------------------


def test_itg_han_name_yields_english_company_words_with_paired_pinyin():
    forms = latin_forms(ITG)
    assert forms[0] == "yongxin zhicheng technology group company limited by shares"
    assert any("yongxin zhicheng technology group" in f for f in forms)
    assert_clean(forms)


def test_itg_han_name_offers_spaced_joined_and_co_ltd_forms():
    forms = han_to_latin(ITG)
    assert "yong xin zhi cheng technology group company limited by shares" in forms
    assert "yongxinzhicheng technology group company limited by shares" in forms
    assert "yongxin zhicheng technology group co ltd" in forms
    assert "yongxin zhicheng keji jituan gufen youxian gongsi" in forms


def test_han_place_word_is_translated():
    assert latin_forms("北京")[0] == "beijing"
    assert (
        latin_forms("深圳市大疆创新科技有限公司")[0]
        == "shenzhen dajiang chuangxin technology company limited"
    )


def test_han_company_words_longest_first():
    assert latin_forms("中国进出口银行")[0] == "china import export bank"
    assert latin_forms("某某有限责任公司")[0].endswith("limited liability company")


def test_traditional_characters_hit_the_dictionary():
    assert latin_forms("華為技術有限公司")[0] == "huawei technology company limited"


def test_han_person_name_gives_surname_given_in_both_orders():
    forms = latin_forms("习近平")
    assert forms[:2] == ["xi jinping", "jinping xi"]
    assert "xi jin ping" in forms


def test_han_person_surname_reading_and_compound_surname():
    assert latin_forms("曾庆红")[0] == "zeng qinghong"
    assert latin_forms("欧阳修")[0] == "ouyang xiu"


def test_han_name_with_latin_letters_keeps_them():
    assert latin_forms("中兴ZTE")[0] == "zhongxing zte"


# --- Cyrillic -----------------------------------------------------------------------------------


def test_russian_full_name_bgn():
    assert latin_forms("Владимир Владимирович Путин")[0] == "vladimir vladimirovich putin"


def test_russian_bgn_and_common_spellings():
    assert latin_forms("Сергей") == ["sergey", "sergei"]
    assert latin_forms("Юрий") == ["yuriy", "yuri"]
    assert latin_forms("Фёдор Горбачёв") == ["fedor gorbachev", "fyodor gorbachev"]
    assert latin_forms("Елена")[0] == "yelena"


def test_ukrainian_letters_use_ukrainian_table_first():
    forms = latin_forms("Григорій Сковорода")
    assert forms[0] == "hryhoriy skovoroda"
    assert "grigoriy skovoroda" in forms


def test_latin_homoglyph_inside_cyrillic_word_stays_one_word():
    assert latin_forms("Гaзпром") == ["gazprom"]  # the "a" is Latin
    assert latin_forms("Gazprom Газпром") == ["gazprom gazprom"]


# --- Arabic and skeletons -----------------------------------------------------------------------


def test_arabic_muhammad_matches_latin_spellings_by_skeleton():
    arabic = latin_forms("محمد")
    assert arabic[0] == "mhmd"
    key = consonant_skeleton(arabic[0])
    for spelling in ("Mohammed", "Muhammad", "Mohamad", "Muhammed"):
        assert consonant_skeleton(spelling) == key, spelling


def test_usama_osama_and_arabic_share_a_skeleton():
    key = consonant_skeleton("Usama")
    assert consonant_skeleton("Osama") == key
    assert consonant_skeleton(latin_forms("أسامة")[0]) == key


def test_yusuf_youssef_and_arabic_share_a_skeleton():
    key = consonant_skeleton("Yusuf")
    assert consonant_skeleton("Youssef") == key
    assert all(consonant_skeleton(f) == key for f in latin_forms("يوسف"))


def test_qaddafi_spellings_share_a_skeleton():
    key = consonant_skeleton("Qaddafi")
    assert consonant_skeleton("Gaddafi") == key
    assert consonant_skeleton("Kadhafi") == key
    arabic = latin_forms("القذافي")[0]
    assert arabic.startswith("al ")
    assert consonant_skeleton(arabic) == consonant_skeleton("al-Qaddafi")


def test_aleksandr_alexander_share_a_skeleton():
    assert consonant_skeleton("Aleksandr") == consonant_skeleton("Alexander")


def test_skeleton_keeps_different_names_apart():
    assert consonant_skeleton("Mohammed") != consonant_skeleton("Ahmed")
    assert consonant_skeleton("Yusuf") != consonant_skeleton("Usama")
    assert consonant_skeleton("Khalid") != consonant_skeleton("Walid")


def test_skeleton_is_per_word():
    assert consonant_skeleton("Saddam Hussein al-Tikriti") == "sdm hsn al tkrt"
    assert consonant_skeleton(latin_forms("صدام حسين التكريتي")[0]) == "sdm hsn al tkrt"


def test_arabic_allah_compounds_and_taha():
    assert latin_forms("عبدالله") == ["abdallah"]
    assert consonant_skeleton("abdallah") == consonant_skeleton("Abdullah")
    assert consonant_skeleton(latin_forms("طه")[0]) == consonant_skeleton("Taha")


# --- Korean, Japanese, Greek, others ------------------------------------------------------------


def test_korean_name_gives_conventional_syllable_form():
    forms = latin_forms("김정은")
    assert forms[0] == "kim jong un"
    assert "kim jeong eun" in forms


def test_korean_surname_table_south_and_north_spellings():
    assert latin_forms("이명박")[0] == "lee myeong bak"
    assert latin_forms("리병철")[0] == "ri pyong chol"
    assert "park geun hye" in latin_forms("박근혜")


def test_korean_non_person_gives_joined_and_syllable_forms():
    forms = latin_forms("조선광선은행")
    assert forms[0] == "joseongwangseoneunhaeng"
    assert "jo son kwang son un haeng" in forms


def test_japanese_kana_hepburn_and_company_words():
    assert latin_forms("とうきょう") == ["tokyo", "toukyou"]
    assert latin_forms("キャノン") == ["kyanon"]
    assert latin_forms("ほっかいどう")[0] == "hokkaido"
    assert latin_forms("トヨタ自動車株式会社")[:2] == [
        "toyota motor co ltd",
        "toyota jidosha kabushiki kaisha",
    ]


def test_greek_modern_transliteration():
    assert latin_forms("Αλέξης Τσίπρας")[0] == "alexis tsipras"
    assert latin_forms("Ευάγγελος Βενιζέλος")[0] == "evangelos venizelos"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("ნინო", "nino"), ("Արամ", "aram"), ("שלום כהן", None), ("สมชาย", None), ("नरेन्द्र मोदी", None)],
)
def test_other_scripts_give_ascii_forms(name, expected):
    forms = latin_forms(name)
    assert_clean(forms)
    if expected is not None:
        assert forms[0] == expected


# --- Script detection ---------------------------------------------------------------------------


def test_detect_scripts():
    assert detect_scripts("Vladimir Putin") == {"Latin"}
    assert detect_scripts("12-34") == set()
    assert detect_scripts("Владимир") == {"Cyrillic"}
    assert detect_scripts("Gazprom Газпром") == {"Latin", "Cyrillic"}
    assert detect_scripts(ITG) == {"Han"}
    assert detect_scripts("トヨタ自動車") == {"Katakana", "Han"}
    assert detect_scripts("محمد") == {"Arabic"}
    assert detect_scripts("김정은") == {"Hangul"}
    assert detect_scripts("Αθήνα") == {"Greek"}
    assert detect_scripts("ＡＢＣ") == {"Latin"}


# --- Real list names ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", UN_ORIGINAL_NAMES)
def test_un_original_script_names_give_ascii_forms(name):
    assert_clean(latin_forms(name))


def test_every_bundled_un_original_script_name_gives_an_ascii_form():
    path = Path(__file__).resolve().parents[2] / "data" / "un" / "consolidated.xml.gz"
    if not path.exists():
        pytest.skip("bundled UN list not present")
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    names = re.findall(r"<NAME_ORIGINAL_SCRIPT>([^<]*)</NAME_ORIGINAL_SCRIPT>", text)
    assert len(names) > 100
    failures = [n for n in names if n.strip() and not latin_forms(n)]
    assert failures == []
    for name in names:
        for form in latin_forms(name):
            assert CLEAN_FORM.match(form), (name, form)


def test_forms_are_capped_and_deduplicated_for_every_script():
    for name in [ITG, "习近平", "김정은", "Сергей", "محمد", "Müller", "トヨタ自動車株式会社", "Gazprom 永信"]:
        assert_clean(latin_forms(name))


@pytest.mark.parametrize(
    "greek, latin",
    [
        ("Βλαντιμίρ Πούτιν", "vladimir putin"),
        ("Νικολάς Μαδούρο", "nikolas maduro"),
        ("Ρομάν Αμπράμοβιτς", "roman abramovich"),
        ("Κιμ Γιονγκ-ουν", "kim yong un"),
    ],
)
def test_greek_spelling_of_a_foreign_name_is_also_read_with_the_letters_it_stands_for(greek, latin):
    assert latin in latin_forms(greek)


def test_greek_names_keep_their_ordinary_transliteration_first():
    assert latin_forms("Ευάγγελος Βενιζέλος")[0] == "evangelos venizelos"
