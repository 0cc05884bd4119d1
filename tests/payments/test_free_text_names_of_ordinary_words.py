"""Free text: which listed names made of ordinary words alert on their own.

A company's one ordinary word (LLC FATTURA) needs corroboration (tests/payments/
test_common_word_names.py). These are the edges of that rule: a name of three or more ordinary
words in its order is specific enough; an organisation whose name happens to be a word of some
language (TALIBAN is Dutch for the movement's members) is meant whenever it is written; and of
several lists' entries for one name, the hit cites the one the regime acts on."""

from __future__ import annotations

from proscribe.payments import parse_bytes
from proscribe.payments.freetext import scan

MT202 = (
    "{1:F01BARCGB22AXXX0417123456}{2:I202CITIUS33XXXXN}{4:\n"
    ":20:BRC2609030099\n:21:FX2609030099\n:32A:260903USD1200000,00\n:58A:CITIUS33\n"
    ":72:/BNF/PROCEEDS ROUTED VIA FIRST EAST\n//EXPORT BANK LABUAN\n-}"
)


def test_a_name_of_three_ordinary_words_wrapped_across_72_lines_holds_and_cites_the_sdn_entry(screener):
    (payment,) = parse_bytes(MT202.encode(), "mt202.fin")
    outcome = screener.decide(payment)
    assert outcome.decision == "hold"
    cited = [r.result for r in outcome.reasons if r.kind == "free_text" and r.result]
    assert cited and cited[0]["caption"].startswith("FIRST EAST EXPORT BANK")
    assert cited[0]["dataset"] == "us_ofac_sdn"


def test_an_organisation_named_by_an_ordinary_word_alerts_in_free_text_without_context(
    screener, payment_index
):
    hits = scan("DONATION FOR TALIBAN SCHOOL", payment_index, screener.screen_name, screener._citation_rank)
    assert [h.result["caption"].upper() for h in hits if "TALIBAN" in h.result["caption"].upper()]
    assert all(h.rule == "listed name in free text" for h in hits)


def test_two_ordinary_words_of_a_company_need_its_legal_form(screener, payment_index):
    assert scan("SPRING SHIPPING SCHEDULE 2026", payment_index, screener.screen_name) == []
    (hit,) = scan("INVOICE 44 SPRING SHIPPING CO LTD", payment_index, screener.screen_name)
    assert hit.rule == "common word with legal form"
