"""Property: a single-field corruption of a valid message is held or stopped, never passed.

A gateway that passes a damaged message on has let through a payment nobody could read. The
corruptions are those a broken system or an evader produces: a field's value made invalid
(empty, overlong, characters outside the field's character set, a broken amount, currency,
date or BIC), a mandatory field removed, a field repeated, and the message cut short. For
ISO 20022 each corrupted message is first checked against the official schema of its version
(tests/payments/xsd/): only a message that really breaks its schema is asserted on, so the
property cannot be satisfied by corruptions that change nothing. For SWIFT MT every corruption
breaks the field's published format by construction.

Bounded and derandomised: the same examples run on every machine, within the CI budget."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from proscribe.payments import parse_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payments"
XSD_DIR = Path(__file__).resolve().parent / "xsd"
SEVERITY = {"pass": 0, "hold": 1, "reject": 2, "block": 3}
SAFE = dict(resolve_entities=False, no_network=True, load_dtd=False)
PROPERTY = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)

ISO_SAMPLES = sorted((FIXTURES / "iso").glob("*.xml"))
MT_SAMPLES = sorted(p for p in (FIXTURES / "mt").glob("*.fin") if "unsupported" not in p.name) + [
    FIXTURES / "mt103_clean.fin"
]

# values that break the simple type of the field they replace
BAD_VALUES = st.sampled_from(
    [
        "",
        " ",
        "X" * 141,
        "12,50",
        "1.2.3",
        "-100",
        "US$",
        "2026-13-45",
        "BANK BIC!",
        "<Nm>",
    ]
)
# elements the screener reads or the schema requires, by local name
TARGET_ELEMENTS = (
    "Nm",
    "BIC",
    "BICFI",
    "AnyBIC",
    "IBAN",
    "Ctry",
    "IntrBkSttlmAmt",
    "InstdAmt",
    "RtrdIntrBkSttlmAmt",
    "IntrBkSttlmDt",
    "ReqdExctnDt",
    "MsgId",
    "CreDtTm",
    "NbOfTxs",
    "Dbtr",
    "Cdtr",
    "DbtrAgt",
    "CdtrAgt",
    "InstgAgt",
    "InstdAgt",
    "Assgnr",
    "Assgne",
    "Ustrd",
    "AdrLine",
    "TwnNm",
)


@cache
def _schema(namespace: str) -> etree.XMLSchema | None:
    version = namespace.rsplit(":", 1)[-1]
    path = XSD_DIR / f"{version}.xsd"
    if not path.exists():
        return None
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(**SAFE)))


def _document(root):
    return (
        root
        if etree.QName(root).localname == "Document"
        else next(
            el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == "Document"
        )
    )


def _breaks_schema(data: bytes) -> bool:
    try:
        root = etree.fromstring(data, etree.XMLParser(**SAFE))
    except etree.XMLSyntaxError:
        return True
    document = _document(root)
    schema = _schema(etree.QName(document).namespace or "")
    assert schema is not None, "every sample's version has its schema shipped"
    return not schema.validate(etree.ElementTree(document))


def _decision(screener, data: bytes, name: str) -> tuple[str, list[str]]:
    payments = parse_bytes(data, name)
    assert payments, f"{name}: a corrupted message must still give a payment to decide"
    outcomes = [screener.decide(payment) for payment in payments]
    decision = max((o.decision for o in outcomes), key=SEVERITY.__getitem__)
    return decision, [f"{r.action} {r.kind} {r.field}: {r.detail}" for o in outcomes for r in o.reasons]


@st.composite
def iso_corruption(draw) -> tuple[str, bytes, str]:
    sample = draw(st.sampled_from(ISO_SAMPLES))
    data = sample.read_bytes()
    kind = draw(st.sampled_from(["value", "remove", "repeat", "truncate", "attribute"]))
    if kind == "truncate":
        cut = draw(st.integers(min_value=len(data) // 10, max_value=len(data) - 20))
        return sample.name, data[:cut], f"cut at byte {cut}"
    root = etree.fromstring(data, etree.XMLParser(**SAFE))
    if kind == "attribute":
        amounts = [el for el in root.iter() if isinstance(el.tag, str) and el.get("Ccy")]
        assume(amounts)
        element = draw(st.sampled_from(amounts))
        bad = draw(st.sampled_from(["US$", "", "usd", "DOLLARS"]))
        element.set("Ccy", bad)
        return sample.name, etree.tostring(root, xml_declaration=True, encoding="UTF-8"), f"Ccy={bad!r}"
    candidates = [
        el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname in TARGET_ELEMENTS
    ]
    assume(candidates)
    element = draw(st.sampled_from(candidates))
    where = "/".join(etree.QName(e).localname for e in reversed([element, *element.iterancestors()]))
    if kind == "value":
        bad = draw(BAD_VALUES)
        for child in list(element):
            element.remove(child)
        element.text = bad
        how = f"{where} = {bad!r}"
    elif kind == "remove":
        element.getparent().remove(element)
        how = f"{where} removed"
    else:
        element.addnext(etree.fromstring(etree.tostring(element)))
        how = f"{where} repeated"
    return sample.name, etree.tostring(root, xml_declaration=True, encoding="UTF-8"), how


@given(case=iso_corruption())
@PROPERTY
def test_iso_message_that_breaks_its_schema_is_never_passed(screener, case):
    name, data, how = case
    assume(_breaks_schema(data))
    decision, reasons = _decision(screener, data, name)
    assert decision != "pass", f"{name}, {how}: passed\n" + "\n".join(reasons)


# -- SWIFT MT ------------------------------------------------------------------------------------

_FIELD = re.compile(r"^:(\d\d[A-Z]?):", re.MULTILINE)
MANDATORY_MT = {"20", "32A", "23B", "50K", "50F", "50A", "59", "59A", "59F", "71A", "21", "58A", "58D"}
X_SET_BREAKERS = st.sampled_from(["@", "#", "_", "!", "&", "*", ";", "=", "%", "|", "~", "$", "<", ">"])


def _fields(text: str) -> list[tuple[int, int, str]]:
    """(start, end, tag) of each field of block 4, end exclusive, the final ``-}`` excluded."""
    body_start = text.index("{4:") + 3
    body_end = text.rindex("-}")
    starts = [(m.start(), m.group(1)) for m in _FIELD.finditer(text, body_start, body_end)]
    return [
        (s, (starts[i + 1][0] if i + 1 < len(starts) else body_end), tag) for i, (s, tag) in enumerate(starts)
    ]


@st.composite
def mt_corruption(draw) -> tuple[str, bytes, str]:
    sample = draw(st.sampled_from(MT_SAMPLES))
    text = sample.read_text(encoding="ascii")
    fields = _fields(text)
    kind = draw(st.sampled_from(["charset", "long_line", "remove", "truncate", "tag", "amount", "lines"]))
    if kind == "truncate":
        cut = draw(st.integers(min_value=len(text) // 5, max_value=len(text) - 3))
        return sample.name, text[:cut].encode(), f"cut at {cut}"
    if kind == "amount":
        value = [f for f in fields if f[2] == "32A"]
        assume(value)
        start, end, _ = value[0]
        bad = draw(st.sampled_from(["260903USD", "261345USD100,00", "260903U$D100,00", "260903USD1.000,00"]))
        return sample.name, (text[:start] + f":32A:{bad}\n" + text[end:]).encode(), f"32A={bad}"
    if kind == "remove":
        mandatory = [f for f in fields if f[2] in MANDATORY_MT]
        assume(mandatory)
        start, end, tag = draw(st.sampled_from(mandatory))
        return sample.name, (text[:start] + text[end:]).encode(), f"{tag} removed"
    start, end, tag = draw(st.sampled_from(fields))
    content = text[start:end]
    if kind == "charset":
        char = draw(X_SET_BREAKERS)
        head = len(tag) + 2
        at = draw(st.integers(min_value=head, max_value=max(head, len(content.rstrip("\n")) - 1)))
        new = content[:at] + char + content[at:]
        how = f"{tag}: {char!r} outside the X character set"
    elif kind == "long_line":
        new = content.rstrip("\n") + "X" * 40 + "\n"
        how = f"{tag}: a line over 35 characters"
    elif kind == "lines":
        new = content + "\n".join(["EXTRA LINE"] * 40) + "\n"
        how = f"{tag}: 40 more lines"
    else:  # tag
        bad = draw(st.sampled_from([":5:", ":ZZ:", ": 59:"]))  # a content line never starts with ':'
        new = bad + content[len(tag) + 2 :]
        how = f"{tag}: tag written {bad!r}"
    return sample.name, (text[:start] + new + text[end:]).encode(), how


@given(case=mt_corruption())
@PROPERTY
def test_mt_message_with_one_field_broken_is_never_passed(screener, case):
    name, data, how = case
    decision, reasons = _decision(screener, data, name)
    assert decision != "pass", f"{name}, {how}: passed\n" + "\n".join(reasons)
