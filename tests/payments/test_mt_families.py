"""SWIFT MT families: MT103 STP (its validation flag and restricted options), MT202 and MT202 COV
(sequence B, the underlying customer transfer, screened), MT101 (one payment per transaction),
the X character set and 35-character lines, salvage of broken messages and unsupported types.

The messages are the hand-written files under tests/fixtures/payments/mt/ and broken/; a variant
is made by editing one of them as a sender would (a field changed, a flag dropped)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from proscribe.payments import parse_bytes, parse_file


def _read(fixture_path, name: str, *edits: tuple[str, str]):
    """The payments of fixture ``name``, each (old, new) text edit applied first."""
    text = fixture_path(name).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, (name, old)
        text = text.replace(old, new)
    return parse_bytes(text.encode("utf-8"), name) if edits else parse_file(fixture_path(name))


def _hits(outcome, caption: str) -> list[str]:
    """The fields cited by the reasons naming the listed entity ``caption``."""
    return [r.field for r in outcome.reasons if r.result and r.result["caption"].upper() == caption]


def _fields(payment) -> set[str]:
    return {e.field for e in payment.errors}


# -- MT103 STP ------------------------------------------------------------------------------------


def test_mt103_stp_is_read_by_its_validation_flag(screener, fixture_path):
    (payment,) = _read(fixture_path, "mt/mt103_stp_clean.fin")
    assert payment.format == "MT103 STP" and payment.errors == []
    assert (payment.amount, payment.currency, payment.value_date) == (
        Decimal("48250.00"),
        "EUR",
        "2026-09-11",
    )
    assert {p.field: p.name for p in payment.parties} == {
        "50K": "MUELLER MASCHINENBAU GMBH",
        "59": "ATELIERS DU RHONE SARL",
    }
    assert screener.decide(payment).decision == "pass"


def test_an_option_the_stp_variant_lacks_is_an_error_naming_the_field(fixture_path):
    (stp,) = _read(fixture_path, "mt/mt103_stp_non_stp_option.fin")
    assert stp.format == "MT103 STP"
    assert [e.field for e in stp.errors] == ["53D"] and "not allowed in MT103 STP" in stp.errors[0].detail
    (plain,) = _read(fixture_path, "mt/mt103_stp_non_stp_option.fin", ("{119:STP}", ""))
    assert plain.format == "MT103" and plain.errors == []  # option D is an MT103's own
    assert any(a.field == "53D" and a.name == "COMMERZBANK AG" for a in plain.agents)


def test_an_stp_beneficiary_without_an_account_is_an_error(fixture_path):
    (payment,) = _read(fixture_path, "mt/mt103_stp_clean.fin", (":59:/FR7630006000011234567890189\n", ":59:"))
    assert "59" in _fields(payment) and any("account" in e.detail for e in payment.errors)
    (plain,) = _read(
        fixture_path,
        "mt/mt103_stp_clean.fin",
        (":59:/FR7630006000011234567890189\n", ":59:"),
        ("{119:STP}", ""),
    )
    assert plain.errors == []


def test_an_stp_instruction_code_outside_the_stp_list_is_an_error(fixture_path):
    (payment,) = _read(fixture_path, "mt/mt103_stp_clean.fin", (":32A:", ":23E:PHOB\n:32A:"))
    assert _fields(payment) == {"23E"}


# -- MT202 and MT202 COV --------------------------------------------------------------------------


def test_mt202_institutions_are_its_debtor_and_creditor(screener, fixture_path):
    (payment,) = _read(fixture_path, "mt/mt202_clean.fin")
    assert payment.format == "MT202" and payment.errors == []
    assert {(p.field, p.role, p.bic) for p in payment.parties} == {
        ("52A", "debtor", "BARCGB22"),
        ("58A", "creditor", "DEUTDEFF"),
    }
    assert [(t.field, t.line, t.text) for t in payment.free_text] == [
        ("72", 1, "/BNF/MONEY MARKET DEPOSIT"),
        ("72", 2, "MATURING 2026-10-14"),  # the "//" continuation marker is not text
    ]
    assert screener.decide(payment).decision == "pass"
    (minimal,) = _read(fixture_path, "mt/mt202_minimal.fin")
    assert minimal.errors == [] and [p.field for p in minimal.parties] == ["58A"]


def test_mt202cov_sequence_b_customers_are_read(screener, fixture_path):
    (payment,) = _read(fixture_path, "mt/mt202cov_clean.fin")
    assert payment.format == "MT202 COV" and payment.errors == []
    assert {(p.field, p.role, p.name or p.bic) for p in payment.parties} == {
        ("52A", "debtor", "BARCGB22"),
        ("58A", "creditor", "CITIUS33"),
        ("B/50K", "debtor", "HARTLEY AND SONS LIMITED"),
        ("B/59", "creditor", "PACIFIC COAST TIMBER INC"),
    }
    assert [(t.field, t.line) for t in payment.free_text] == [("B/70", 1)]
    assert screener.decide(payment).decision == "pass"


def test_an_mt202_carrying_a_customer_transfer_without_the_cov_flag_is_held_and_screened(
    screener, fixture_path
):
    (payment,) = _read(fixture_path, "mt/mt202cov_listed_in_sequence_b.fin", ("{119:COV}", ""))
    assert payment.format == "MT202 COV" and _fields(payment) == {"3/119"}
    outcome = screener.decide(payment)
    assert outcome.decision != "pass"
    assert _hits(outcome, "INTEGRITY TECHNOLOGY GROUP, INCORPORATED") == ["B/59"]


def test_free_text_of_sequence_b_is_cited_by_field_and_line(screener, fixture_path):
    (payment,) = _read(
        fixture_path,
        "mt/mt202cov_clean.fin",
        (":70:INVOICE PCT-2026-4471 CEDAR LUMBER", ":70:CHARTER FEES MAH-\nAN AIR CARGO"),
    )
    assert payment.errors == []
    assert [(t.field, t.line) for t in payment.free_text] == [("B/70", 1), ("B/70", 2)]
    outcome = screener.decide(payment)
    assert outcome.decision != "pass" and "B/70 line 1-2" in _hits(outcome, "MAHAN AIR")


@pytest.mark.parametrize(
    ("name", "caption", "cited"),
    [
        ("mt/mt103_stp_listed_beneficiary.fin", "MAHAN AIR", "59"),
        ("mt/mt202_listed_bank.fin", "HAVIN BANK LIMITED", "58D"),  # the creditor institution
        # the underlying customer transfer's beneficiary, wrapped over two lines of sequence B
        ("mt/mt202cov_listed_in_sequence_b.fin", "INTEGRITY TECHNOLOGY GROUP, INCORPORATED", "B/59"),
    ],
)
def test_a_listed_party_blocks_citing_its_field(screener, fixture_path, name, caption, cited):
    (payment,) = _read(fixture_path, name)
    assert payment.errors == []
    outcome = screener.decide(payment)
    assert outcome.decision == "block" and _hits(outcome, caption) == [cited]


# -- MT101 ----------------------------------------------------------------------------------------


def test_mt101_gives_one_payment_per_transaction(screener, fixture_path):
    payments = _read(fixture_path, "mt/mt101_three_transactions.fin")
    assert [p.message_id for p in payments] == ["CBK-101-260915/1", "CBK-101-260915/2", "CBK-101-260915/3"]
    assert [p.instruction_id for p in payments] == ["NLH-0915-001", "NLH-0915-002", "NLH-0915-003"]
    assert [(p.currency, p.amount) for p in payments] == [
        ("EUR", Decimal("12400.00")),
        ("USD", Decimal("88000.00")),
        ("GBP", Decimal("3150.75")),
    ]
    for payment in payments:  # sequence A's ordering customer orders every transaction
        assert payment.format == "MT101" and payment.errors == [] and payment.value_date == "2026-09-15"
        assert [(p.field, p.name) for p in payment.parties if p.role == "debtor"] == [
            ("50H", "NORDLICHT HANDELS GMBH")
        ]
    assert [[p.name for p in x.parties if p.field == "B/59"] for x in payments] == [
        ["ATELIERS DU RHONE SARL"],
        ["MAHAN AIR"],
        ["HARTLEY AND SONS LIMITED"],
    ]
    outcomes = [screener.decide(p) for p in payments]
    assert [o.decision for o in outcomes] == ["pass", "block", "pass"]
    assert _hits(outcomes[1], "MAHAN AIR") == ["B/59"]


def test_an_mt101_transaction_in_error_holds_only_that_transaction(screener, fixture_path):
    payments = _read(
        fixture_path, "mt/mt101_three_transactions.fin", (":32B:USD88000,00", ":32B:USD88.000,00")
    )
    assert [_fields(p) for p in payments] == [set(), {"B/32B"}, set()]
    assert [screener.decide(p).decision for p in payments] == ["pass", "hold", "pass"]


def test_an_mt101_ordering_customer_in_both_sequences_or_in_neither_is_an_error(fixture_path):
    both = _read(
        fixture_path,
        "mt/mt101_three_transactions.fin",
        (
            ":21:NLH-0915-002\n:32B:USD88000,00\n",
            ":21:NLH-0915-002\n:32B:USD88000,00\n:50H:/DE12\nOTHER GMBH\n",
        ),
    )
    assert [_fields(p) for p in both] == [set(), {"B/50a"}, set()]
    neither = _read(
        fixture_path,
        "mt/mt101_three_transactions.fin",
        (":50H:/DE89370400440532013000\nNORDLICHT HANDELS GMBH\nHAFENSTRASSE 3\n20457 HAMBURG\n", ""),
    )
    assert all(_fields(p) == {"B/50a"} for p in neither)


# -- character set, lines, salvage ----------------------------------------------------------------


def test_lines_wider_than_35_characters_and_characters_outside_x_are_errors(fixture_path):
    (wide,) = _read(
        fixture_path, "mt/mt202cov_clean.fin", ("1800 HARBOR WAY", "1800 HARBOR WAY, BUILDING C, SUITE 14")
    )
    assert _fields(wide) == {"B/59"} and "line 3 has 37 characters" in wide.errors[0].detail
    (outside,) = _read(fixture_path, "mt/mt202cov_clean.fin", ("CEDAR LUMBER", "CEDAR LUMBER @ 4%"))
    assert _fields(outside) == {"B/70"} and "outside the SWIFT X set" in outside.errors[0].detail


@pytest.mark.parametrize(
    ("name", "errors", "caption", "cited"),
    [
        ("broken/mt101_bad_transaction.fin", {"B/32B", "B/70"}, "HAVIN BANK LIMITED", "B/59"),
        ("broken/mt103_listed_outside_charset.fin", {"50K", "70"}, "HAVIN BANK LIMITED", "59"),
        ("broken/mt202cov_truncated_sequence_b.fin", {"4"}, "MAHAN AIR", "B/59"),
    ],
)
def test_a_broken_message_is_held_and_names_the_listed_party_it_holds(
    screener, fixture_path, name, errors, caption, cited
):
    (payment,) = _read(fixture_path, name)
    assert _fields(payment) == errors
    outcome = screener.decide(payment)
    assert outcome.decision == "hold"
    assert cited in _hits(outcome, caption)


def test_an_unsupported_message_type_is_held_and_its_text_still_screened(screener, fixture_path):
    (payment,) = _read(fixture_path, "mt/mt199_unsupported.fin")
    assert payment.format == "MT199" and payment.message_id == "BRC-FREE-0007"
    assert [e.field for e in payment.errors] == ["2"] and "MT199 is not supported" in payment.errors[0].detail
    assert screener.decide(payment).decision == "hold"
    (listed,) = _read(fixture_path, "mt/mt199_unsupported.fin", ("PACIFIC COAST TIMBER INC", "MAHAN AIR"))
    outcome = screener.decide(listed)
    assert outcome.decision == "hold" and "79 line 2" in _hits(outcome, "MAHAN AIR")
