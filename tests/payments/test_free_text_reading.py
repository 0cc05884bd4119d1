"""Free text is read as a reader sees it: the lines of an MT field and the repeated elements of an
ISO 20022 field are joined (with a space, and with words broken at a line end rejoined), and a
listed name found across a break is cited by field and line(s)."""

from __future__ import annotations

import copy

import pytest

from proscribe.payments import parse_bytes
from proscribe.payments.messages import FreeText
from proscribe.payments.reading import AS_SHOWN, DEWRAPPED, JOINED, readings

LISTED = "MAHAN AIR"  # us_ofac_sdn: a listed airline, held when named in free text


def _lines(*texts: str, field: str = "70") -> list[FreeText]:
    return [FreeText(field, text, n) for n, text in enumerate(texts, 1)]


def _texts(pieces: list[FreeText]) -> dict[str, str]:
    return {r.kind: r.text for r in readings(pieces)}


# -- readings -------------------------------------------------------------------------------------


def test_lines_are_joined_with_a_space_as_shown():
    got = _texts(_lines("PAYMENT FOR TICKETS", "ISSUED BY THE CARRIER"))
    assert got[AS_SHOWN] == "PAYMENT FOR TICKETS ISSUED BY THE CARRIER"


def test_a_word_cut_by_a_full_35_character_line_is_rejoined():
    first = "PAYMENT FOR AIR TICKETS ISSUED MAHA"
    assert len(first) == 35
    got = _texts(_lines(first, "N AIR TEHRAN"))
    assert got[DEWRAPPED] == "PAYMENT FOR AIR TICKETS ISSUED MAHAN AIR TEHRAN"
    assert got[AS_SHOWN] == "PAYMENT FOR AIR TICKETS ISSUED MAHA N AIR TEHRAN"


def test_a_hyphen_at_a_line_end_is_dropped_and_the_word_rejoined():
    got = _texts(_lines("TICKETS MA-", "HAN AIR"))
    assert got[DEWRAPPED] == "TICKETS MAHAN AIR"


def test_a_short_line_broken_between_two_letters_is_rejoined_in_the_third_reading():
    got = _texts(_lines("TICKETS MAH", "AN AIR"))
    assert DEWRAPPED not in got  # the line was not full: not a wrap a writer was forced into
    assert got[JOINED] == "TICKETS MAHAN AIR"


def test_a_break_between_words_is_never_glued():
    got = _texts(_lines("TICKETS FOR", " THE CARRIER"))
    assert set(got) == {AS_SHOWN}


def test_a_whole_field_piece_is_read_alone():
    pieces = [FreeText("RmtInf/Ustrd", "TICKETS MAH", 0), FreeText("RmtInf/Ustrd", "AN AIR", 0)]
    assert [r.text for r in readings(pieces)] == ["TICKETS MAH", "AN AIR"]
    assert [r.where() for r in readings(pieces)] == ["RmtInf/Ustrd", "RmtInf/Ustrd"]


def test_a_new_field_or_a_line_number_that_does_not_rise_starts_a_new_group():
    pieces = [*_lines("A", "B"), *_lines("C", field="72"), *_lines("D", "E", field="72")]
    assert [r.where() for r in readings(pieces) if r.kind == AS_SHOWN] == [
        "70 line 1-2",
        "72 line 1",
        "72 line 1-2",
    ]


def test_character_offsets_map_back_to_the_lines_they_came_from():
    pieces = _lines("INVOICE 4471", "TICKETS MA-", "HAN AIR", "THANK YOU")
    (dewrapped,) = [r for r in readings(pieces) if r.kind == DEWRAPPED]
    start = dewrapped.text.index("MAHAN AIR")
    assert dewrapped.where(start, start + len("MAHAN AIR")) == "70 line 2-3"
    assert dewrapped.where(0, 7) == "70 line 1"
    ustrd = [FreeText("CdtTrfTxInf[1]/RmtInf/Ustrd", t, n) for n, t in enumerate(["X", "MAHAN", "AIR"], 1)]
    (shown, *_rest) = readings(ustrd)
    start = shown.text.index("MAHAN")
    assert shown.where(start, start + len("MAHAN AIR")) == "CdtTrfTxInf[1]/RmtInf/Ustrd[2-3]"


def test_an_invisible_character_at_a_line_end_does_not_stop_the_rejoin():
    got = _texts(_lines("TICKETS MA-\u200b", "HAN AIR"))
    assert got[DEWRAPPED] == "TICKETS MAHAN AIR"


def test_line_breaks_inside_one_piece_are_its_lines():
    (shown, *others) = readings([FreeText("remittance_information", "TICKETS MAH\nAN AIR", 0)])
    assert shown.text == "TICKETS MAH AN AIR" and shown.where() == "remittance_information line 1-2"
    assert "TICKETS MAHAN AIR" in [r.text for r in others]


# -- decisions ------------------------------------------------------------------------------------

MT_CLEAN = "mt103_clean.fin"
ISO_CLEAN = "pacs008_v12_clean.xml"


def _with_free_text(parse_fixture, name: str, pieces: list[FreeText]):
    (payment,) = parse_fixture(name)
    payment = copy.deepcopy(payment)
    payment.free_text = pieces
    return payment


def _free_text_reasons(outcome):
    return [r for r in outcome.reasons if r.kind == "free_text" and r.result]


def test_the_listed_name_unwrapped_in_free_text_holds(screener, parse_fixture):
    outcome = screener.decide(_with_free_text(parse_fixture, MT_CLEAN, _lines(f"TICKETS {LISTED} TEHRAN")))
    assert outcome.decision == "hold"
    (reason,) = _free_text_reasons(outcome)
    assert reason.result["caption"].upper() == LISTED and reason.field == "70 line 1"


@pytest.mark.parametrize(
    ("lines", "where"),
    [
        (("PAYMENT FOR AIR TICKETS ISSUED MAHA", "N AIR TEHRAN"), "70 line 1-2"),  # full 35-character line
        (("INVOICE 4471", "TICKETS MA-", "HAN AIR"), "70 line 2-3"),  # hyphenated
        (("INVOICE 4471", "TICKETS MAH", "AN AIR"), "70 line 2-3"),  # broken anywhere in a word
        (("TICKETS MAHAN", "AIR TEHRAN"), "70 line 1-2"),  # broken between the words
    ],
)
def test_listed_name_wrapped_across_mt_70_lines_holds_as_unwrapped(screener, parse_fixture, lines, where):
    outcome = screener.decide(_with_free_text(parse_fixture, MT_CLEAN, _lines(*lines)))
    assert outcome.decision == "hold", [r.detail for r in outcome.reasons]
    reasons = _free_text_reasons(outcome)
    assert reasons and reasons[0].result["caption"].upper() == LISTED
    assert reasons[0].field == where and where in reasons[0].detail


def test_listed_name_wrapped_across_two_ustrd_elements_holds(screener, parse_fixture):
    field = "CdtTrfTxInf/RmtInf/Ustrd"
    pieces = [FreeText(field, "PO 77120 tickets Ma", 1), FreeText(field, "han Air, Tehran office", 2)]
    outcome = screener.decide(_with_free_text(parse_fixture, ISO_CLEAN, pieces))
    assert outcome.decision == "hold", [r.detail for r in outcome.reasons]
    (reason,) = _free_text_reasons(outcome)
    assert reason.result["caption"].upper() == LISTED and reason.field == f"{field}[1-2]"


def test_listed_name_wrapped_across_instrinf_elements_holds(screener, parse_fixture):
    field = "CdtTrfTxInf/InstrForCdtrAgt/InstrInf"
    pieces = [FreeText(field, "Advise Mahan", 1), FreeText(field, "Air on receipt", 2)]
    outcome = screener.decide(_with_free_text(parse_fixture, ISO_CLEAN, pieces))
    assert outcome.decision == "hold"
    (reason,) = _free_text_reasons(outcome)
    assert reason.field == f"{field}[1-2]"


def test_a_wrapped_listed_name_in_a_real_mt103_message_holds(screener, fixture_path):
    """Whatever pieces the MT parser emits (joined readings or one piece a line), the decision
    and the field cited are the same."""
    data = fixture_path(MT_CLEAN).read_bytes()
    wrapped = b":70:PAYMENT FOR AIR TICKETS ISSUED MAHA\r\nN AIR TEHRAN\r\n"
    data = data.replace(b":70:INVOICE PCT-2026-4471 CEDAR LUMBER\r\n", wrapped).replace(
        b":70:INVOICE PCT-2026-4471 CEDAR LUMBER\n", wrapped.replace(b"\r\n", b"\n")
    )
    assert b"MAHA" in data
    (payment,) = parse_bytes(data, "wrapped.fin")
    outcome = screener.decide(payment)
    assert outcome.decision == "hold", [r.detail for r in outcome.reasons]
    reasons = _free_text_reasons(outcome)
    assert reasons and reasons[0].field.startswith("70")


def test_clean_free_text_split_over_lines_still_passes(screener, parse_fixture):
    pieces = _lines("INVOICE PCT-2026-4471 CEDAR LUM-", "BER AND SPRUCE BOARDS, DELIVERY", "SEATTLE YARD")
    outcome = screener.decide(_with_free_text(parse_fixture, MT_CLEAN, pieces))
    assert outcome.decision == "pass", [r.detail for r in outcome.reasons]
