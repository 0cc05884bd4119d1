"""Issue 19, payment classes: a listed party never passes for the way the message is written.

Each test is named after its class; the hostile messages are generated (payment_variants.py)
from the real clean fixtures over several listed organisations and message formats, with the
same disguises applied to innocent names as a control (they must not raise an alert).
"""

from __future__ import annotations

import codecs
import json
import random
import shutil
import threading
import time
from pathlib import Path

import pytest
from payment_variants import (
    INNOCENT_NAMES,
    ISO_VARIANTS,
    LISTED_ORGANISATIONS,
    json_payment,
    json_person_party,
    mt103,
    mt103_person_ordering,
    person_party_xml,
    xml_templates,
)
from sqlalchemy import func, select
from typer.testing import CliRunner

from proscribe.payments import parse_bytes
from proscribe.payments.decide import SEVERITY, Screener
from proscribe.payments.register import process, recorded
from proscribe.payments.store import blocked_property, payment_decisions


def _decide(screener, data: bytes):
    """Every transaction's outcome, and the message's (the most severe)."""
    outcomes = [screener.decide(payment) for payment in parse_bytes(data, "hostile")]
    return max(outcomes, key=lambda o: SEVERITY[o.decision]), outcomes


def _reasons(outcomes):
    return [reason for outcome in outcomes for reason in outcome.reasons]


def _matched(outcomes):
    """Reasons that carry a list match (not just a parse error)."""
    return [r for r in _reasons(outcomes) if r.result]


def _count(engine, table, *where):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar()


def _audit_payloads(engine, event_type="payment.decision"):
    from proscribe.cases.store import audit_log

    with engine.connect() as conn:
        rows = conn.execute(select(audit_log.c.payload).where(audit_log.c.event_type == event_type))
        return [json.loads(text) for (text,) in rows]


@pytest.fixture
def cli(payment_index, monkeypatch):
    import proscribe.cli
    import proscribe.screen
    from proscribe.cli import app

    monkeypatch.setattr(proscribe.screen, "_cached", ("explicit", payment_index))
    monkeypatch.setattr(proscribe.cli, "ensure_store", lambda: None)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- class 1 (payment side) -------------------------------------------------------------------------


def _breaks_official_schema(data: bytes) -> bool:
    """Whether a Document of ``data`` is invalid against the official schema of its version
    (tests/payments/xsd/): such a message is held whatever it names."""
    from lxml import etree

    safe = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    xsd_dir = Path(__file__).resolve().parent / "xsd"
    if not data.lstrip().startswith(b"<"):
        return False
    root = etree.fromstring(data, safe)
    for document in root.iter("{*}Document"):
        version = (etree.QName(document).namespace or "").rsplit(":", 1)[-1]
        schema = etree.XMLSchema(etree.parse(str(xsd_dir / f"{version}.xsd"), safe))
        if not schema.validate(etree.ElementTree(document)):
            return True
    return False


def _person_flagged_messages(name: str) -> list[tuple[str, bytes]]:
    """``name`` as a party flagged a natural person, in every format and every party role."""
    messages = [("MT103 50F with a 4/ birth line", mt103_person_ordering(name))]
    for role in ("creditor", "debtor", "ultimate_creditor", "ultimate_debtor"):
        messages.append((f'JSON {role} "person": true', json_person_party(role, name)))
    templates = xml_templates()
    for fmt in ("pacs.008.001.12", "pacs.008.001.08", "pain.001.001.03"):
        for tag in ("Cdtr", "Dbtr", "UltmtCdtr", "UltmtDbtr"):
            messages.append((f"{fmt} {tag}/Id/PrvtId", person_party_xml(templates[fmt], tag, name)))
    return messages


def test_person_flag_never_hides_a_listed_organisation(screener):
    for name in LISTED_ORGANISATIONS:
        for label, data in _person_flagged_messages(name):
            worst, outcomes = _decide(screener, data)
            assert worst.decision != "pass", (name, label)
            flagged = [
                r
                for r in _reasons(outcomes)
                if "declared a person, matches a listed organisation" in r.detail
            ]
            assert flagged, (name, label, [r.detail for r in _reasons(outcomes)])
            assert all(r.kind == "party" and r.result["schema"] != "Person" for r in flagged)
            assert flagged[0].action in ("hold", "block")
    # the control: innocent people and companies flagged persons still pass (a message the
    # variant put out of its schema's order is held for that, and for nothing else)
    for name in INNOCENT_NAMES:
        for label, data in _person_flagged_messages(name):
            worst, outcomes = _decide(screener, data)
            assert not _matched(outcomes), (name, label, [r.detail for r in worst.reasons])
            expected = "hold" if _breaks_official_schema(data) else "pass"
            assert worst.decision == expected, (name, label, [r.detail for r in worst.reasons])


# -- class 5 ----------------------------------------------------------------------------------------


def _cuba_messages() -> list[bytes]:
    """Payments to an address in Havana: blocked under the US embargo, passed under EU rules."""
    xml = xml_templates()["pacs.008.001.12"].replace(
        b"<TwnNm>Lyon</TwnNm>\n          <Ctry>FR</Ctry>\n        </PstlAdr>\n      </Cdtr>",
        b"<TwnNm>Havana</TwnNm><Ctry>CU</Ctry></PstlAdr></Cdtr>",
    )
    assert b"Havana" in xml
    pain = xml_templates()["pain.001.001.03"].replace(
        b"<Nm>Katrin Hoffmann</Nm>",
        b"<Nm>Katrin Hoffmann</Nm><PstlAdr><TwnNm>Havana</TwnNm><Ctry>CU</Ctry></PstlAdr>",
    )
    creditor = {"name": "Ateliers Mecaniques du Rhone SAS", "address": {"town": "Havana", "country": "CU"}}
    return [xml, pain, json.dumps(json_payment(message_id="CU-PAY-1", creditor=creditor)).encode()]


def test_replay_key_covers_everything_the_decision_depends_on(payment_index, engine, tmp_path, monkeypatch):
    import copy

    import proscribe.match.config

    eu, us = Screener(payment_index, regime="eu"), Screener(payment_index, regime="us")
    for data in _cuba_messages():
        # first under EU rules: nothing to stop
        first = [process(p, eu, engine=engine) for p in parse_bytes(data, "cuba")]
        assert {line["decision"] for line in first} == {"pass"}, first
        # then under US rules: screened anew, and blocked where the US regime blocks
        again = [process(p, us, engine=engine) for p in parse_bytes(data, "cuba")]
        assert "block" in {line["decision"] for line in again}, again
        assert {line["regime"] for line in again} == {"us"}
        # the same message under the same conditions: replayed, nothing recorded twice
        rows, audits = _count(engine, payment_decisions), len(_audit_payloads(engine))
        assert [process(p, us, engine=engine) for p in parse_bytes(data, "copy")] == again
        assert [process(p, eu, engine=engine) for p in parse_bytes(data, "copy")] == first
        assert (_count(engine, payment_decisions), len(_audit_payloads(engine))) == (rows, audits)

    # the datasets screened: a payment to an SDN-only name passes against the UN list alone
    un_only = Screener(payment_index, regime="us", datasets=["un_sc_sanctions"])
    for name in (
        "BANK MELLAT",
        "TADBIR ECONOMIC DEVELOPMENT GROUP",
        "INTEGRITY TECHNOLOGY GROUP, INCORPORATED",
    ):
        data = json.dumps(json_payment(message_id=f"DS-{name[:8]}", creditor={"name": name})).encode()
        (payment,) = parse_bytes(data, "ds")
        assert process(payment, un_only, engine=engine)["decision"] == "pass"
        (payment,) = parse_bytes(data, "ds")
        assert process(payment, us, engine=engine)["decision"] == "block", name

    # another list snapshot, another configuration: screened anew (a row of its own each); a
    # payment blocked again is registered once
    data = json.dumps(json_payment(message_id="CONF-1", creditor={"name": "MAHAN AIR"})).encode()
    (payment,) = parse_bytes(data, "conf")
    assert process(payment, us, engine=engine)["decision"] == "block"
    before, blocked = _count(engine, payment_decisions), _count(engine, blocked_property)
    newer = copy.copy(payment_index)
    sdn = payment_index.snapshots["us_ofac_sdn"]
    newer.snapshots = {**payment_index.snapshots, "us_ofac_sdn": {**sdn, "id": 99999, "label": "a newer one"}}
    (payment,) = parse_bytes(data, "conf")
    assert process(payment, Screener(newer, regime="us"), engine=engine)["decision"] == "block"
    assert _count(engine, payment_decisions) == before + 1
    changed = tmp_path / "matching.toml"
    changed.write_text(
        proscribe.match.config.CONFIG_PATH.read_text(encoding="utf-8") + "\n# tuned\n", "utf-8"
    )
    monkeypatch.setattr(proscribe.match.config, "CONFIG_PATH", changed)
    (payment,) = parse_bytes(data, "conf")
    assert process(payment, Screener(payment_index, regime="us"), engine=engine)["decision"] == "block"
    assert _count(engine, payment_decisions) == before + 2
    assert _count(engine, blocked_property) == blocked
    assert recorded("CONF-1", engine)["decision"] == "block"


# -- class 8 ----------------------------------------------------------------------------------------


def _plainly(template: bytes, name: str) -> bytes:
    """``name`` where it is plainly read: the creditor's name and the remittance text."""
    from lxml import etree

    root = etree.fromstring(template)
    tx = next(el for el in root.iter() if etree.QName(el).localname == "CdtTrfTxInf")
    creditor = next(el for el in tx if etree.QName(el).localname == "Cdtr")
    next(el for el in creditor if etree.QName(el).localname == "Nm").text = name
    ustrd = next((el for el in tx.iter() if etree.QName(el).localname == "Ustrd"), None)
    if ustrd is not None:
        ustrd.text = name
    return etree.tostring(root)


def test_iso20022_structure_never_hides_a_listed_name(screener):
    for fmt, template in xml_templates().items():
        for variant, build, field, breaks_schema in ISO_VARIANTS:
            for name in LISTED_ORGANISATIONS:
                worst, outcomes = _decide(screener, build(template, name))
                assert worst.decision != "pass", (fmt, variant, name)
                hits = [r for r in _matched(outcomes) if field in r.field or variant == "second Document"]
                assert hits, (fmt, variant, name, [(r.kind, r.field) for r in _reasons(outcomes)])
                if breaks_schema:  # held with the path, and its content screened all the same
                    errors = [r for r in _reasons(outcomes) if r.kind == "parse_error"]
                    assert any(field.split("[")[0].rsplit("/", 1)[-1] in r.field for r in errors), errors
                    assert worst.decision == "hold"
            for name in INNOCENT_NAMES:  # the same disguises on innocent names: no alert the plain name lacks
                _, plain = _decide(screener, _plainly(template, name))
                allowed = {r.result["id"] for r in _matched(plain)}
                worst, outcomes = _decide(screener, build(template, name))
                extra = [r.detail for r in _matched(outcomes) if r.result["id"] not in allowed]
                assert not extra, (fmt, variant, name, extra)
                if not allowed:
                    held = breaks_schema or _breaks_official_schema(build(template, name))
                    assert worst.decision == ("hold" if held else "pass"), (fmt, variant, name)


# -- class 12 ---------------------------------------------------------------------------------------


def test_every_entry_point_records_audits_and_opens_a_case(cli, fixture_path, tmp_path, engine):
    from proscribe.cases.store import cases

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("pacs008_v08_itg.xml", "pacs008_v09_remittance.xml", "pacs008_v12_clean.xml"):
        shutil.copy(fixture_path(name), inbox)
    batch_out = tmp_path / "batch.jsonl"
    assert cli("payments", "screen", inbox, "-o", batch_out).exit_code == 0

    def arrive() -> None:
        time.sleep(1.0)
        (inbox / "late.json").write_text(
            json.dumps(json_payment(message_id="LATE-1", creditor={"name": "BANK MELLAT"})), encoding="utf-8"
        )

    threading.Thread(target=arrive).start()
    watch_out = tmp_path / "watch.jsonl"
    result = cli(
        "payments", "screen", inbox, "-o", watch_out, "--watch", "--interval", "0.3", "--watch-for", "3"
    )
    assert result.exit_code == 0, result.output
    lines = _lines(batch_out) + [line for line in _lines(watch_out) if line["message_id"] == "LATE-1"]
    assert [line["decision"] for line in lines] == ["block", "hold", "pass", "block"], lines
    with engine.connect() as conn:
        rows = {row["message_id"]: dict(row) for row in conn.execute(select(payment_decisions)).mappings()}
        opened = {
            row["subject_id"]
            for row in conn.execute(select(cases).where(cases.c.subject_kind == "payment")).mappings()
        }
    audited = {p["message_key"]: p for p in _audit_payloads(engine)}
    assert set(rows) == {line["message_id"] for line in lines}
    for row in rows.values():  # every recorded decision has its audit record, as the service writes it
        proof = audited[row["message_key"]]
        assert (proof["content_sha256"], proof["decision"]) == (row["content_sha256"], row["decision"])
    assert opened == {line["message_id"] for line in lines if line["decision"] != "pass"}


# -- class 13 ---------------------------------------------------------------------------------------


def _poison() -> dict[str, bytes]:
    deep_array = b"[" * 5000 + b"]" * 5000
    deep_object = b'{"a":' * 5000 + b"1" + b"}" * 5000
    surrogate = (
        json.dumps(json_payment(message_id="SURR-1"))
        .replace('"Maria Fernanda Oliveira"', '"MAHAN\\ud800 AIR"')
        .encode()
    )
    assert b"\\ud800" in surrogate
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">&lol2;</Document>'
    )
    deep_xml = (
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">'
        + b"<a>" * 20000
        + b"</a>" * 20000
        + b"</Document>"
    )
    return {
        "deep_array.json": deep_array,
        "deep_object.json": deep_object,
        "surrogate.json": surrogate,
        "bomb.xml": bomb,
        "deep.xml": deep_xml,
        "binary.bin": random.Random(19).randbytes(4096),
        "nul.xml": b"<\x00D\x00o\x00c" + bytes(range(256)) * 8,
    }


def test_one_poison_message_never_stops_the_run(cli, fixture_path, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, data in _poison().items():
        (inbox / name).write_bytes(data)
        for payment in parse_bytes(data, name):  # never raises; held with a reason
            assert payment.errors, name
    shutil.copy(fixture_path("pacs008_v08_itg.xml"), inbox / "zz_itg.xml")
    (inbox / "zz_clean.json").write_bytes(fixture_path("json_clean.json").read_bytes())
    out = tmp_path / "out.jsonl"
    result = cli("payments", "screen", inbox, "-o", out)
    assert result.exit_code == 0, result.output
    by_file = {line["file"].rsplit("/", 1)[-1]: line for line in _lines(out)}
    assert set(by_file) == {*_poison(), "zz_itg.xml", "zz_clean.json"}
    for name in _poison():
        assert by_file[name]["decision"] == "hold", by_file[name]
        assert any(r["kind"] == "parse_error" for r in by_file[name]["reasons"]), by_file[name]
    surrogate = [r for r in by_file["surrogate.json"]["reasons"] if r["kind"] == "parse_error"]
    assert any(r["field"] == "creditor.name" and "surrogate" in r["detail"] for r in surrogate), surrogate
    assert by_file["zz_itg.xml"]["decision"] == "block" and by_file["zz_clean.json"]["decision"] == "pass"

    # a watched folder: poison arrives, then a listed payment; the watch goes on and screens both
    watched = tmp_path / "watched"
    watched.mkdir()

    def arrive() -> None:
        time.sleep(0.8)
        for name, data in _poison().items():
            (watched / name).write_bytes(data)
        time.sleep(1.0)
        (watched / "listed.json").write_text(
            json.dumps(json_payment(message_id="WATCH-1", creditor={"name": "BANK MELLAT"})), encoding="utf-8"
        )

    threading.Thread(target=arrive).start()
    out = tmp_path / "watched.jsonl"
    result = cli("payments", "screen", watched, "-o", out, "--watch", "--interval", "0.3", "--watch-for", "4")
    assert result.exit_code == 0, result.output
    decisions = {line["file"].rsplit("/", 1)[-1]: line["decision"] for line in _lines(out)}
    assert decisions == {**{name: "hold" for name in _poison()}, "listed.json": "block"}


# -- class 14 ---------------------------------------------------------------------------------------


def _with_duplicate_keys(name: str) -> list[tuple[str, str]]:
    """(the repeated key's path, JSON text) with ``name`` in the value a last-wins reader drops."""
    clean = json.dumps(json_payment(message_id="DUP-KEYS"))
    assert clean.count('"creditor": {') == 1
    return [
        ("creditor", clean.replace('"creditor": {', f'"creditor": {{"name": "{name}"}}, "creditor": {{', 1)),
        ("creditor.name", clean.replace('"creditor": {', f'"creditor": {{"name": "{name}", ', 1)),
        (
            "ultimate_debtor.name",
            clean.replace('"ultimate_debtor": {', f'"ultimate_debtor": {{"name": "{name}", ', 1),
        ),
        (
            "remittance_information",
            clean.replace(
                '"remittance_information":',
                f'"remittance_information": ["Payment to {name}"], "remittance_information":',
                1,
            ),
        ),
        (
            "intermediary_agents[0].name",
            clean.replace(
                '"intermediary_agents": [{',
                f'"intermediary_agents": [{{"name": "{name}", "name": "Citibank N.A.", ',
                1,
            ),
        ),
    ]


def test_duplicate_json_keys_are_held_and_every_value_screened(screener):
    for name in LISTED_ORGANISATIONS:
        for path, text in _with_duplicate_keys(name):
            for label, body in (
                ("object", text),
                ("array", f"[{text}]"),
                ("JSON lines", json.dumps(json_payment(message_id="OTHER-LINE")) + "\n" + text),
            ):
                worst, outcomes = _decide(screener, body.encode())
                outcome = next(o for o in outcomes if o.payment.message_id == "DUP-KEYS")
                assert outcome.decision == "hold", (name, path, label)
                errors = [r for r in outcome.reasons if r.kind == "parse_error"]
                assert any(r.field == path and "more than once" in r.detail for r in errors), (path, errors)
                assert outcome.payment.errors
                assert any(r.result for r in outcome.reasons), (
                    name,
                    path,
                    label,
                )  # the hidden value is screened
    for name in INNOCENT_NAMES:  # no alert the plain name (as a party, in the remittance text) lacks
        plain = json_payment(creditor={"name": name}, remittance_information=[f"Payment to {name}"])
        (payment,) = parse_bytes(json.dumps(plain).encode(), "plain")
        allowed = {r.result["id"] for r in screener.decide(payment).reasons if r.result}
        for path, text in _with_duplicate_keys(name):
            (payment,) = parse_bytes(text.encode(), "dup")
            extra = [
                r.detail
                for r in screener.decide(payment).reasons
                if r.result and r.result["id"] not in allowed
            ]
            assert not extra, (name, path, extra)


# -- class 17 ---------------------------------------------------------------------------------------


def _wrapped(name: str) -> list[tuple[str, str, bytes]]:
    """(label, field the hit must name, MT103) with ``name`` wrapped across lines; a hit in
    free text names the lines it spans too."""
    cut = 3  # inside the first word
    head, tail = name[:cut], name[cut:]
    first, _, rest = name.partition(" ")
    filler = "INVOICE 2291 FREIGHT CHARTER FOR "
    narrative = (filler + name + " CARGO HANDLING")[:140]
    at35 = "\n".join(narrative[i : i + 35] for i in range(0, len(narrative), 35))
    at_space = [
        (
            "59 wrapped at a space",
            "59",
            mt103(beneficiary=f":59:/US12345678901234\n{first}\n{rest}\nDUBAI AE"),
        )
    ]
    return [
        (
            "59 wrapped inside a word",
            "59",
            mt103(beneficiary=f":59:/US12345678901234\n{head}\n{tail}\nDUBAI AE"),
        ),
        *(at_space if rest else []),  # a one-word name has no space to wrap at
        (
            "50K wrapped inside a word",
            "50K",
            mt103(ordering=f":50K:/GB33BUKB20201555555555\n{head}\n{tail}\nLONDON"),
        ),
        (
            "59F two 1/ lines",
            "59F",
            mt103(beneficiary=f":59F:/US12345678901234\n1/{head}\n1/{tail}\n3/AE/DUBAI"),
        ),
        (
            "50F two 1/ lines",
            "50F",
            mt103(ordering=f":50F:/GB33BUKB20201555555555\n1/{head}-\n1/{tail}\n3/GB/LONDON"),
        ),
        ("57D wrapped", "57D", mt103(institution=f":57D:{head}\n{tail}\nDUBAI AE")),
        (
            "70 hyphenated at a line end",
            "70 line 1-2",
            mt103(remittance=f":70:CHARTER FEES {head}-\n{(tail + ' CARGO')[:35]}"),
        ),
        ("70 cut at 35 characters", "70 line 1-2", mt103(remittance=f":70:{at35}")),
        ("72 continued inside a word", "72 line 1-2", mt103(instructions=f":72:/BNF/{head}\n//{tail}")),
    ]


def test_mt103_wrapped_names_and_words_are_joined(screener):
    for name in LISTED_ORGANISATIONS:
        for label, field, data in _wrapped(name):
            (payment,) = parse_bytes(data, "wrapped.fin")
            assert payment.errors == [], (label, payment.errors)
            outcome = screener.decide(payment)
            assert outcome.decision != "pass", (name, label)
            hits = [r for r in outcome.reasons if r.result and r.field == field]
            assert hits, (name, label, [(r.kind, r.field) for r in outcome.reasons])
    for name in INNOCENT_NAMES:  # no alert that the name, or a line of it, written plainly lacks
        name = name.upper()
        first, _, rest = name.partition(" ")
        allowed = set()
        for piece in (name, name[:3], name[3:], first, rest):
            (payment,) = parse_bytes(
                mt103(beneficiary=f":59:/US12345678901234\n{piece}\nDUBAI AE", remittance=f":70:{piece}"),
                "plain",
            )
            allowed |= {r.result["id"] for r in screener.decide(payment).reasons if r.result}
        for label, _field, data in _wrapped(name):
            (payment,) = parse_bytes(data, "wrapped.fin")
            outcome = screener.decide(payment)
            extra = [r.detail for r in outcome.reasons if r.result and r.result["id"] not in allowed]
            assert not extra, (name, label, extra)


def test_mt103_name_broken_by_an_empty_line_is_held_and_still_found(screener):
    """An empty line is no line of a SWIFT x field (each holds 1 to 35 characters): the field
    is in error, so the payment is held, and the listed name around the empty line is still
    screened and cited."""
    for name in LISTED_ORGANISATIONS:
        first, _, rest = name.partition(" ")
        shapes = [f"{name}\n\nDUBAI AE", f"\n{name}\nDUBAI AE"] + ([f"{first}\n\n{rest}"] if rest else [])
        for shape in shapes:
            (payment,) = parse_bytes(mt103(beneficiary=f":59:/US12345678901234\n{shape}"), "gap.fin")
            assert any(e.field == "59" and "empty" in e.detail for e in payment.errors), (shape, payment.errors)
            outcome = screener.decide(payment)
            assert outcome.decision in ("hold", "block"), (name, shape)
            assert any(r.result and r.field == "59" for r in outcome.reasons), (name, shape, outcome.reasons)


# -- low: encodings ---------------------------------------------------------------------------------


def _encoded(data: bytes, xml: bool) -> list[tuple[str, bytes]]:
    text = data.decode("utf-8")
    if xml:
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    out = [
        ("UTF-16 LE with a BOM", codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
        ("UTF-16 BE with a BOM", codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
        ("UTF-16 LE without a BOM", text.encode("utf-16-le")),
        ("UTF-16 BE without a BOM", text.encode("utf-16-be")),
        ("UTF-8 with a BOM", codecs.BOM_UTF8 + data),
    ]
    if not xml and text.lstrip().startswith("{1:"):
        out += [
            ("EBCDIC 037", text.encode("cp037")),
            ("EBCDIC 500", text.encode("cp500")),
            ("EBCDIC 037, NEL line ends", text.replace("\n", "\x85").encode("cp037")),
        ]
    return out


def test_utf16_and_ebcdic_payment_files_are_read(screener, fixture_path):
    itg = fixture_path("pacs008_v08_itg.xml").read_bytes()
    messages = [("pacs.008", itg, True), ("MT103", fixture_path("mt103_iran_bank.fin").read_bytes(), False)]
    for name in LISTED_ORGANISATIONS[:3]:
        messages.append(("MT103", mt103(beneficiary=f":59:/US12345678901234\n{name}\nDUBAI AE"), False))
        messages.append(("JSON", json.dumps(json_payment(creditor={"name": name})).encode(), False))
    for label, data, xml in messages:
        expected = [screener.decide(p).line() for p in parse_bytes(data, "m")]
        assert expected[0]["decision"] == "block", label
        for encoding, encoded in _encoded(data, xml):
            lines = [screener.decide(p).line() for p in parse_bytes(encoded, "m")]
            assert [(x["decision"], x["message_id"]) for x in lines] == [
                (x["decision"], x["message_id"]) for x in expected
            ], (label, encoding, lines)
    # what no supported encoding reads is held, saying which byte at which offset
    latin1 = fixture_path("mt103_clean.fin").read_text(encoding="utf-8").replace("HARTLEY", "H\u00c4RTLEY")
    for data in (latin1.encode("latin-1"), random.Random(3).randbytes(512)):
        (payment,) = parse_bytes(data, "undecodable")
        outcome = screener.decide(payment)
        assert outcome.decision == "hold"
        assert any("offset" in r.detail and r.kind == "parse_error" for r in outcome.reasons), outcome.reasons


def test_decisions_recorded_before_the_replay_key_are_screened_anew_not_held(screener, fixture_path, engine):
    """A store written before the replay key: the same message is screened anew under the new
    key (its old decision is not replayed), and is not mistaken for a reused message id."""
    from datetime import UTC, datetime

    from proscribe.payments.register import legacy_content_hash

    data = fixture_path("pacs008_v08_itg.xml").read_bytes()
    (payment,) = parse_bytes(data, "old.xml")
    with engine.begin() as conn:
        conn.execute(
            payment_decisions.insert(),
            {
                "message_key": payment.message_id,
                "message_id": payment.message_id,
                "content_sha256": legacy_content_hash(payment),
                "file": "old.xml",
                "format": payment.format,
                "regime": "us",
                "decision": "pass",
                "output": json.dumps({"message_id": payment.message_id, "decision": "pass", "reasons": []}),
                "snapshots": "{}",
                "screened_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
    line = process(payment, screener, engine=engine)
    assert line["decision"] == "block" and line["reasons"][0]["field"] != "message_id", line
