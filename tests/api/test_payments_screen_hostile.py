"""`POST /v1/payments/screen` over real HTTP with hostile bodies: always 200 with a decision
(a message that cannot be read is `hold` with the reason, never a 500), and the same recording
path as the CLI: the decision, its audit record and a case."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

from api_support import _engine
from sqlalchemy import select

PAYMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "payments"


def _payment(message_id: str, creditor: str) -> dict:
    payment = json.loads((PAYMENTS / "json_clean.json").read_text(encoding="utf-8"))
    payment["message_id"] = message_id
    payment["creditor"] = {"name": creditor}
    return payment


def _hostile_bodies() -> list[tuple[str, bytes, str, str]]:
    """(what, body, Content-Type, a field or word the parse_error reason must name)."""
    surrogate = json.dumps(_payment("API-SURR-1", "MAHAN AIR")).replace('"MAHAN AIR"', '"MAH\\udc00AN AIR"')
    duplicate = json.dumps(_payment("API-DUP-1", "Harbour Robotics Ltd")).replace(
        '"creditor": {', '"creditor": {"name": "BANK MELLAT"}, "creditor": {', 1
    )
    return [
        ("5,000-deep JSON array", b"[" * 5000 + b"]" * 5000, "application/json", "nested"),
        ("5,000-deep JSON object", b'{"a":' * 5000 + b"1" + b"}" * 5000, "application/json", "nested"),
        ("a lone surrogate in a name", surrogate.encode(), "application/json", "creditor.name"),
        ("duplicate keys", duplicate.encode(), "application/json", "creditor"),
        ("not JSON at all", b"hello, this is not a payment", "application/json", "unknown message type"),
        ("broken JSON", b'{"message_id": "X", "amount": ', "application/json", "malformed JSON"),
        ("invalid UTF-8", b"\xff\xfe\xfa" + bytes(range(128, 256)), "text/plain", "offset"),
        (
            "an XML bomb",
            b'<!DOCTYPE a [<!ENTITY a "aaaa">]><Document>&a;</Document>',
            "application/xml",
            "DTD",
        ),
    ]


def test_hostile_payment_bodies_are_held_never_a_500(service):
    with service.client("screener") as client:
        for what, body, media, named in _hostile_bodies():
            response = client.post("/v1/payments/screen", content=body, headers={"Content-Type": media})
            assert response.status_code == 200, (what, response.status_code, response.text[:300])
            answer = response.json()
            assert answer["decision"] == "hold", (what, answer)
            errors = [r for r in answer["reasons"] if r["kind"] == "parse_error"]
            assert any(named in (r["field"] or "") or named in r["detail"] for r in errors), (what, errors)
        # a UTF-16 message is read, not refused: the listed creditor is blocked
        text = (PAYMENTS / "pacs008_v08_itg.xml").read_text(encoding="utf-8").replace("UTF-8", "UTF-16")
        response = client.post(
            "/v1/payments/screen",
            content=codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
            headers={"Content-Type": "application/xml"},
        )
        assert response.status_code == 200 and response.json()["decision"] == "block", response.text[:300]


def test_service_records_audits_and_opens_a_case_like_the_cli(service):
    from proscribe.cases.store import audit_log, cases
    from proscribe.payments.store import payment_decisions

    with service.client("screener") as client:
        body = json.dumps(_payment("API-PATH-1", "MAHAN AIR")).encode()
        answer = client.post(
            "/v1/payments/screen", content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == 200 and answer.json()["decision"] == "block", answer.text[:300]
    engine = _engine(service.home)
    with engine.connect() as conn:
        (row,) = conn.execute(
            select(payment_decisions).where(payment_decisions.c.message_id == "API-PATH-1")
        ).mappings()
        proofs = [
            json.loads(text)
            for (text,) in conn.execute(
                select(audit_log.c.payload).where(audit_log.c.event_type == "payment.decision")
            )
        ]
        opened = conn.execute(
            select(cases).where(cases.c.subject_kind == "payment", cases.c.subject_id == "API-PATH-1")
        ).all()
    (proof,) = [p for p in proofs if p["message_key"] == row["message_key"]]
    assert (proof["content_sha256"], proof["decision"]) == (row["content_sha256"], "block")
    assert len(opened) == 1
