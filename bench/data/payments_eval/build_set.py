"""Writes the payments development set (messages/ and labels.csv) from the cases below.

    .venv/bin/python bench/data/payments_eval/build_set.py

Each case is written out by hand: the parties, the free text, the addresses and the expected
decision under the US (OFAC) regime, with the listed entity a stop must cite and why. The
renderers below only lay those values out in each message version's published element order
(ISO 20022: the official XSD of the version; SWIFT MT: the field specifications of the MT
standards release), so that one case can be written in the version it belongs to. Malformed
messages are derived from a valid rendering by one named damage (truncation, a broken tag, an
invalid field value, a missing mandatory field) and labelled ``valid=no``.

Nothing here reads proscribe: the set is an independent acceptance set.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "messages"
CRE = "2026-09-03T09:30:00Z"
DAY = "2026-09-03"

# -- ISO 20022 building blocks ---------------------------------------------------------------------


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vnum(version: str) -> int:
    return int(version.rsplit(".", 1)[1])


def bic_tag(family: str, version: str) -> str:
    """BIC until the 2013 versions renamed it BICFI (pacs.008.001.03, pain.001.001.04, ...)."""
    first_bicfi = {"pacs.008": 3, "pacs.009": 3, "pacs.004": 3, "pain.001": 4, "camt.056": 2}[family]
    return "BICFI" if vnum(version) >= first_bicfi else "BIC"


def address(addr: dict | None) -> str:
    if not addr:
        return ""
    parts = []
    for key, tag in (
        ("street", "StrtNm"),
        ("building", "BldgNb"),
        ("postcode", "PstCd"),
        ("town", "TwnNm"),
        ("region", "CtrySubDvsn"),
        ("country", "Ctry"),
    ):
        if addr.get(key):
            parts.append(f"<{tag}>{esc(addr[key])}</{tag}>")
    parts += [f"<AdrLine>{esc(line)}</AdrLine>" for line in addr.get("lines", [])]
    return f"<PstlAdr>{''.join(parts)}</PstlAdr>"


def party(tag: str, p: dict | None, choice: bool = False) -> str:
    """A party (PartyIdentification); ``choice`` wraps it in Pty (Party40Choice and kin)."""
    if not p:
        return ""
    body = f"<Nm>{esc(p['name'])}</Nm>" if p.get("name") else ""
    body += address(p.get("address"))
    if p.get("birth_date"):
        body += (
            "<Id><PrvtId><DtAndPlcOfBirth>"
            f"<BirthDt>{p['birth_date']}</BirthDt><CityOfBirth>{esc(p['birth_city'])}</CityOfBirth>"
            f"<CtryOfBirth>{p['birth_country']}</CtryOfBirth></DtAndPlcOfBirth></PrvtId></Id>"
        )
    elif p.get("lei"):
        body += f"<Id><OrgId><LEI>{p['lei']}</LEI></OrgId></Id>"
    return f"<{tag}><Pty>{body}</Pty></{tag}>" if choice else f"<{tag}>{body}</{tag}>"


def agent(tag: str, a: str | dict | None, bic: str) -> str:
    if not a:
        return ""
    if isinstance(a, str):
        return f"<{tag}><FinInstnId><{bic}>{a}</{bic}></FinInstnId></{tag}>"
    inner = f"<{bic}>{a['bic']}</{bic}>" if a.get("bic") else ""
    if a.get("name"):
        inner += f"<Nm>{esc(a['name'])}</Nm>" + address(a.get("address"))
    return f"<{tag}><FinInstnId>{inner}</FinInstnId></{tag}>"


def account(tag: str, number: str | None) -> str:
    """An IBAN, or another account number (Othr/Id) where the country has no IBAN."""
    if not number:
        return ""
    if number[:2].isalpha() and number[2:4].isdigit():
        return f"<{tag}><Id><IBAN>{number}</IBAN></Id></{tag}>"
    return f"<{tag}><Id><Othr><Id>{number}</Id></Othr></Id></{tag}>"


def remittance(lines: list[str] | None) -> str:
    if not lines:
        return ""
    return "<RmtInf>" + "".join(f"<Ustrd>{esc(x)}</Ustrd>" for x in lines) + "</RmtInf>"


def instructions(lines: list[str] | None) -> str:
    return "".join(f"<InstrForNxtAgt><InstrInf>{esc(x)}</InstrInf></InstrForNxtAgt>" for x in lines or [])


def document(message: str, version: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{message}.{version}">{body}</Document>\n'
    )


def pacs008(version: str, c: dict) -> str:
    bic = bic_tag("pacs.008", version)
    n = c["ref"]
    uetr = f"<UETR>{c['uetr']}</UETR>" if vnum(version) >= 8 else ""
    tx = (
        f"<CdtTrfTxInf><PmtId><InstrId>I{n}</InstrId><EndToEndId>E2E{n}</EndToEndId><TxId>T{n}</TxId>{uetr}"
        f'</PmtId><IntrBkSttlmAmt Ccy="{c.get("ccy", "EUR")}">{c.get("amount", "12500.00")}</IntrBkSttlmAmt>'
        f"<IntrBkSttlmDt>{DAY}</IntrBkSttlmDt><ChrgBr>{c.get('charges', 'SHAR')}</ChrgBr>"
        + agent("InstgAgt", c.get("instructing"), bic)
        + agent("InstdAgt", c.get("instructed"), bic)
        + agent("IntrmyAgt1", c.get("intermediary"), bic)
        + party("UltmtDbtr", c.get("ultimate_debtor"))
        + party("InitgPty", c.get("initiating"))
        + party("Dbtr", c["debtor"])
        + account("DbtrAcct", c.get("debtor_iban"))
        + agent("DbtrAgt", c["debtor_agent"], bic)
        + agent("CdtrAgt", c["creditor_agent"], bic)
        + party("Cdtr", c["creditor"])
        + account("CdtrAcct", c.get("creditor_iban"))
        + party("UltmtCdtr", c.get("ultimate_creditor"))
        + instructions(c.get("instructions"))
        + remittance(c.get("remittance"))
        + "</CdtTrfTxInf>"
    )
    header = (
        f"<GrpHdr><MsgId>{n}</MsgId><CreDtTm>{CRE}</CreDtTm><NbOfTxs>1</NbOfTxs>"
        "<SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>"
    )
    return document("pacs.008", version, f"<FIToFICstmrCdtTrf>{header}{tx}</FIToFICstmrCdtTrf>")


def pain001(version: str, c: dict) -> str:
    bic = bic_tag("pain.001", version)
    n = c["ref"]
    date = f"<Dt>{DAY}</Dt>" if vnum(version) >= 8 else DAY
    txs = ""
    for i, t in enumerate(c["transactions"], 1):
        txs += (
            f"<CdtTrfTxInf><PmtId><InstrId>{n}-{i}</InstrId><EndToEndId>{n}-E{i}</EndToEndId></PmtId>"
            f'<Amt><InstdAmt Ccy="{t.get("ccy", "EUR")}">{t.get("amount", "980.00")}</InstdAmt></Amt>'
            + party("UltmtDbtr", t.get("ultimate_debtor"))
            + agent("CdtrAgt", t["creditor_agent"], bic)
            + party("Cdtr", t["creditor"])
            + account("CdtrAcct", t.get("creditor_iban"))
            + party("UltmtCdtr", t.get("ultimate_creditor"))
            + remittance(t.get("remittance"))
            + "</CdtTrfTxInf>"
        )
    body = (
        f"<CstmrCdtTrfInitn><GrpHdr><MsgId>{n}</MsgId><CreDtTm>{CRE}</CreDtTm>"
        f"<NbOfTxs>{len(c['transactions'])}</NbOfTxs>"
        + party("InitgPty", {"name": c["debtor"]["name"]})
        + f"</GrpHdr><PmtInf><PmtInfId>{n}-P1</PmtInfId><PmtMtd>TRF</PmtMtd>"
        f"<ReqdExctnDt>{date}</ReqdExctnDt>"
        + party("Dbtr", c["debtor"])
        + account("DbtrAcct", c["debtor_iban"])
        + agent("DbtrAgt", c["debtor_agent"], bic)
        + txs
        + "</PmtInf></CstmrCdtTrfInitn>"
    )
    return document("pain.001", version, body)


def pacs009(version: str, c: dict) -> str:
    bic = bic_tag("pacs.009", version)
    n = c["ref"]
    uetr = f"<UETR>{c['uetr']}</UETR>" if vnum(version) >= 8 else ""
    underlying = ""
    if c.get("underlying"):
        u = c["underlying"]
        underlying = (
            "<UndrlygCstmrCdtTrf>"
            + party("UltmtDbtr", u.get("ultimate_debtor"))
            + party("Dbtr", u["debtor"])
            + account("DbtrAcct", u.get("debtor_iban"))
            + agent("DbtrAgt", u["debtor_agent"], bic)
            + agent("CdtrAgt", u["creditor_agent"], bic)
            + party("Cdtr", u["creditor"])
            + account("CdtrAcct", u.get("creditor_iban"))
            + party("UltmtCdtr", u.get("ultimate_creditor"))
            + remittance(u.get("remittance"))
            + "</UndrlygCstmrCdtTrf>"
        )
    tx = (
        f"<CdtTrfTxInf><PmtId><InstrId>I{n}</InstrId><EndToEndId>E2E{n}</EndToEndId><TxId>T{n}</TxId>{uetr}"
        f'</PmtId><IntrBkSttlmAmt Ccy="{c.get("ccy", "USD")}">{c.get("amount", "250000.00")}</IntrBkSttlmAmt>'
        f"<IntrBkSttlmDt>{DAY}</IntrBkSttlmDt>"
        + agent("IntrmyAgt1", c.get("intermediary"), bic)
        + agent("Dbtr", c["debtor"], bic)
        + agent("CdtrAgt", c.get("creditor_agent"), bic)
        + agent("Cdtr", c["creditor"], bic)
        + instructions(c.get("instructions"))
        + underlying
        + "</CdtTrfTxInf>"
    )
    header = (
        f"<GrpHdr><MsgId>{n}</MsgId><CreDtTm>{CRE}</CreDtTm><NbOfTxs>1</NbOfTxs>"
        "<SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>"
    )
    root = "FICdtTrf" if vnum(version) >= 4 else "FinInstnCdtTrf"  # renamed in pacs.009.001.04
    return document("pacs.009", version, f"<{root}>{header}{tx}</{root}>")


def original_reference(family: str, version: str, o: dict) -> str:
    """OrgnlTxRef: the returned or recalled transaction's parties (Party40Choice from the 2019
    versions: pacs.004.001.09, camt.056.001.08)."""
    bic = bic_tag(family, version)
    choice = (family == "pacs.004" and vnum(version) >= 9) or (family == "camt.056" and vnum(version) >= 8)
    return (
        "<OrgnlTxRef>"
        + remittance(o.get("remittance"))
        + party("Dbtr", o["debtor"], choice)
        + account("DbtrAcct", o.get("debtor_iban"))
        + agent("DbtrAgt", o["debtor_agent"], bic)
        + agent("CdtrAgt", o["creditor_agent"], bic)
        + party("Cdtr", o["creditor"], choice)
        + account("CdtrAcct", o.get("creditor_iban"))
        + "</OrgnlTxRef>"
    )


def pacs004(version: str, c: dict) -> str:
    bic = bic_tag("pacs.004", version)
    n = c["ref"]
    tx = (
        f"<TxInf><RtrId>R{n}</RtrId><OrgnlGrpInf><OrgnlMsgId>{c['original_msg']}</OrgnlMsgId>"
        f"<OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId></OrgnlGrpInf>"
        f"<OrgnlInstrId>I{c['original_msg']}</OrgnlInstrId><OrgnlEndToEndId>E2E{c['original_msg']}</OrgnlEndToEndId>"
        f"<OrgnlTxId>T{c['original_msg']}</OrgnlTxId>"
        f'<RtrdIntrBkSttlmAmt Ccy="EUR">{c.get("amount", "4200.00")}</RtrdIntrBkSttlmAmt>'
        f"<IntrBkSttlmDt>{DAY}</IntrBkSttlmDt>"
        + agent("InstgAgt", c["instructing"], bic)
        + agent("InstdAgt", c["instructed"], bic)
        + f"<RtrRsnInf><Rsn><Cd>{c.get('reason', 'AC04')}</Cd></Rsn></RtrRsnInf>"
        + original_reference("pacs.004", version, c["original"])
        + "</TxInf>"
    )
    header = (
        f"<GrpHdr><MsgId>{n}</MsgId><CreDtTm>{CRE}</CreDtTm><NbOfTxs>1</NbOfTxs>"
        "<SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>"
    )
    return document("pacs.004", version, f"<PmtRtr>{header}{tx}</PmtRtr>")


def camt056(version: str, c: dict) -> str:
    bic = bic_tag("camt.056", version)
    n = c["ref"]
    case = ""
    if c.get("case_creator"):
        case = f"<Case><Id>C{n}</Id>" + party("Cretr", c["case_creator"], True) + "</Case>"
    tx = (
        f"<TxInf><CxlId>X{n}</CxlId><OrgnlGrpInf><OrgnlMsgId>{c['original_msg']}</OrgnlMsgId>"
        f"<OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId></OrgnlGrpInf>"
        f"<OrgnlEndToEndId>E2E{c['original_msg']}</OrgnlEndToEndId><OrgnlTxId>T{c['original_msg']}</OrgnlTxId>"
        f'<OrgnlIntrBkSttlmAmt Ccy="EUR">{c.get("amount", "7300.00")}</OrgnlIntrBkSttlmAmt>'
        f"<OrgnlIntrBkSttlmDt>2026-09-01</OrgnlIntrBkSttlmDt>"
        f"<CxlRsnInf><Rsn><Cd>{c.get('reason', 'DUPL')}</Cd></Rsn></CxlRsnInf>"
        + original_reference("camt.056", version, c["original"])
        + "</TxInf>"
    )
    body = (
        f"<FIToFIPmtCxlReq><Assgnmt><Id>A{n}</Id>"
        f"<Assgnr><Agt><FinInstnId><{bic}>{c['assigner']}</{bic}></FinInstnId></Agt></Assgnr>"
        f"<Assgne><Agt><FinInstnId><{bic}>{c['assignee']}</{bic}></FinInstnId></Agt></Assgne>"
        f"<CreDtTm>{CRE}</CreDtTm></Assgnmt>{case}<Undrlyg>{tx}</Undrlyg></FIToFIPmtCxlReq>"
    )
    return document("camt.056", version, body)


# -- SWIFT MT ---------------------------------------------------------------------------------------


def mt(mtype: str, sender: str, receiver: str, text: list[str], flag: str = "", uetr: str = "") -> str:
    """Blocks 1-5 around the text block: ``sender``/``receiver`` are BIC8 (logical terminal A,
    branch XXX); ``flag`` is the validation flag of field 119 (STP, COV)."""
    block3 = "{3:" + (f"{{119:{flag}}}" if flag else "") + (f"{{121:{uetr}}}" if uetr else "") + "}"
    return (
        f"{{1:F01{sender}AXXX0417123456}}{{2:I{mtype}{receiver}XXXXN}}{block3}{{4:\n"
        + "\n".join(text)
        + "\n-}{5:{CHK:3A9F5C21B7D4}}\n"
    )


RENDER = {"pacs.008": pacs008, "pain.001": pain001, "pacs.009": pacs009, "pacs.004": pacs004, "camt.056": camt056}


# -- ordinary parties (fictitious, written to look like real traffic) ---------------------------------

HARTMANN = {
    "name": "Hartmann Präzisionstechnik GmbH",
    "address": {"street": "Industriestraße", "building": "14", "postcode": "70565", "town": "Stuttgart",
                "country": "DE"},
}
LYON = {
    "name": "Société Lyonnaise de Robinetterie SAS",
    "address": {"street": "Rue Garibaldi", "building": "18", "postcode": "69006", "town": "Lyon", "country": "FR"},
}
GDANSK = {
    "name": "Kowalczyk i Synowie Sp. z o.o.",
    "address": {"street": "ul. Grunwaldzka", "building": "82", "postcode": "80-244", "town": "Gdańsk",
                "country": "PL"},
}
YAMADA = {
    "name": "株式会社山田製作所",
    "address": {"lines": ["大阪府大阪市北区梅田1-3-1"], "country": "JP"},
}
ATHENS = {
    "name": "Παπαδόπουλος Εμπορική Α.Ε.",
    "address": {"street": "Λεωφόρος Συγγρού", "building": "112", "postcode": "11741", "town": "Αθήνα",
                "country": "GR"},
}
SAO_PAULO = {
    "name": "Maria Fernanda Oliveira",
    "address": {"street": "Rua Augusta", "building": "1508", "postcode": "01304-001", "town": "São Paulo",
                "country": "BR"},
}
GOTEBORG = {
    "name": "Lindqvist Bygg AB",
    "address": {"street": "Första Långgatan", "building": "20", "postcode": "41327", "town": "Göteborg",
                "country": "SE"},
}
AALSMEER = {
    "name": "Van der Berg Bloemen B.V.",
    "address": {"street": "Legmeerdijk", "building": "313", "postcode": "1431 GB", "town": "Aalsmeer",
                "country": "NL"},
}
IZMIR = {
    "name": "Ahmet Yılmaz",
    "address": {"street": "Kıbrıs Şehitleri Caddesi", "building": "41", "postcode": "35220", "town": "İzmir",
                "country": "TR"},
}
BENGALURU = {
    "name": "Priya Raghunathan",
    "address": {"lines": ["No 24, 3rd Cross, Indiranagar", "Bengaluru 560038"], "country": "IN"},
}
CORK = {
    "name": "O'Connor Freight Ltd",
    "address": {"street": "Lapps Quay", "building": "6", "postcode": "T12 RW7D", "town": "Cork", "country": "IE"},
}
RIYADH = {
    "name": "سارة عبدالله الحربي",
    "address": {"street": "طريق الملك فهد", "town": "الرياض", "postcode": "12214", "country": "SA"},
}
SHENZHEN = {
    "name": "深圳市华南精密模具有限公司",
    "address": {"lines": ["广东省深圳市南山区科技园南路18号"], "country": "CN"},
}
MILANO = {
    "name": "Ceramiche Lombarde S.r.l.",
    "address": {"street": "Via Vittor Pisani", "building": "22", "postcode": "20124", "town": "Milano",
                "country": "IT"},
}
CHICAGO = {
    "name": "Lakeshore Industrial Supply Inc.",
    "address": {"street": "W Wacker Dr", "building": "233", "postcode": "60606", "town": "Chicago",
                "region": "IL", "country": "US"},
}
TORONTO = {
    "name": "Nguyen Thi Lan",
    "address": {"street": "Spadina Avenue", "building": "388", "postcode": "M5T 2G5", "town": "Toronto",
                "region": "ON", "country": "CA"},
}
KRAKOW = {
    "name": "Zofia Wiśniewska",
    "address": {"street": "ul. Floriańska", "building": "9", "postcode": "31-019", "town": "Kraków",
                "country": "PL"},
}
MOSCOW_CLEAN = {
    "name": "Ирина Викторовна Соколова",
    "address": {"street": "ул. Профсоюзная", "building": "45", "postcode": "117420", "town": "Москва",
                "country": "RU"},
}

IBAN = {
    "DE": "DE89370400440532013000",
    "FR": "FR1420041010050500013M02606",
    "PL": "PL61109010140000071219812874",
    "GB": "GB29NWBK60161331926819",
    "NL": "NL91ABNA0417164300",
    "IT": "IT60X0542811101000000123456",
    "SE": "SE4550000000058398257466",
    "ES": "ES9121000418450200051332",
    "GR": "GR1601101250000000012300695",
    "TR": "TR330006100519786457841326",
    "IE": "IE29AIBK93115212345678",
    "BR": "BR1800360305000010009795493C1",
}


def listed(name: str, country: str | None = None, town: str | None = None, **extra) -> dict:
    address = {"country": country, "town": town} if country else None
    return {"name": name, "address": address, **extra}


def clean_pacs008(ref: str, debtor: dict, creditor: dict, **extra) -> dict:
    case = {
        "ref": ref,
        "uetr": "e4a3c1f2-5b6d-4c7e-8f90-1a2b3c4d5e6f",
        "debtor": debtor,
        "debtor_iban": IBAN["DE"],
        "debtor_agent": "COBADEFF",
        "creditor_agent": "BNPAFRPP",
        "creditor": creditor,
        "creditor_iban": IBAN["FR"],
        "remittance": [f"Invoice {ref[-4:]} machined valve bodies"],
    }
    case.update(extra)
    return case


def clean_pain001(ref: str, debtor: dict, creditor: dict, **extra) -> dict:
    tx = {"creditor_agent": "INGBNL2A", "creditor": creditor, "creditor_iban": IBAN["NL"],
          "remittance": [f"Rechnung {ref[-4:]}"]}
    tx.update(extra.pop("tx", {}))
    case = {"ref": ref, "debtor": debtor, "debtor_iban": IBAN["DE"], "debtor_agent": "DEUTDEFF",
            "transactions": [tx, *extra.pop("more", [])]}
    case.update(extra)
    return case


# -- the cases ---------------------------------------------------------------------------------------
# (file, family, version, expected, entity, category, case or MT text, why); MT text is a list of lines.

SDN = "us_ofac_sdn:"
CASES: list[tuple] = []


def iso(file, family, version, expected, entity, category, case, why, damage=None):
    CASES.append((file, family, version, expected, entity, category, case, why, damage))


def swift(file, family, expected, entity, category, text, why, damage=None):
    CASES.append((file, family, "-", expected, entity, category, text, why, damage))


# pacs.008, every version 001.02 to 001.13
iso("pacs008_v02_listed_creditor.xml", "pacs.008", "001.02", "block", SDN + "42317", "listed_party",
    clean_pacs008("P8V02L0001", HARTMANN,
                  listed("BUSHRA BACHIR SHIPPING AND LOGISTICS SERVICES L.L.C.", "AE", "Dubai"),
                  creditor_agent="EBILAEAD"),
    "SDN company as creditor in a 001.02 message (the version banks still send)")
iso("pacs008_v02_clean.xml", "pacs.008", "001.02", "pass", "", "clean",
    clean_pacs008("P8V02C0002", HARTMANN, LYON), "ordinary German to French supplier payment, 001.02")
iso("pacs008_v03_listed_debtor_person.xml", "pacs.008", "001.03", "block", SDN + "42057", "listed_party",
    clean_pacs008("P8V03L0003",
                  {"name": "Christodoulos Georgiou Vassiliades",
                   "address": {"street": "Makariou III Avenue", "building": "2", "postcode": "1065",
                               "town": "Nicosia", "country": "CY"},
                   "birth_date": "1957-03-31", "birth_city": "Limassol", "birth_country": "CY"},
                  CORK, debtor_agent="BCYPCY2N", creditor_iban=IBAN["IE"], creditor_agent="AIBKIE2D"),
    "SDN person (name and date of birth) as debtor")
iso("pacs008_v03_clean_greek.xml", "pacs.008", "001.03", "pass", "", "clean",
    clean_pacs008("P8V03C0004", ATHENS, GOTEBORG, debtor_iban=IBAN["GR"], debtor_agent="ETHNGRAA",
                  creditor_iban=IBAN["SE"], creditor_agent="ESSESESS",
                  remittance=["Τιμολόγιο 2026/118 προμήθεια ξυλείας"]),
    "Greek-script debtor paying a Swedish builder")
iso("pacs008_v04_name_in_remittance.xml", "pacs.008", "001.04", "hold", SDN + "25637", "free_text",
    clean_pacs008("P8V04F0005", HARTMANN, LYON,
                  remittance=["Re-invoicing of turbine inspection performed for NUCLEAR POWER PRODUCTION "
                              "AND DEVELOPMENT COMPANY OF IRAN, job 4471"]),
    "listed company named only in the remittance text")
iso("pacs008_v05_name_split_across_ustrd.xml", "pacs.008", "001.05", "hold", SDN + "45087", "wrapped_name",
    clean_pacs008("P8V05W0006", HARTMANN, GDANSK, creditor_iban=IBAN["PL"], creditor_agent="PKOPPLPW",
                  remittance=["Commission on turbine parts resold to LIMITED LIABILITY COMPANY KRASNOYARSKAYA "
                              "ENERGETICHE", "SKAYA KOMPANIYA, contract 2026-118"]),
    "listed name split across two Ustrd elements, the break inside a word")
iso("pacs008_v06_name_continued_in_adrline.xml", "pacs.008", "001.06", "block", SDN + "49384", "wrapped_name",
    clean_pacs008("P8V06W0007", HARTMANN,
                  {"name": "JOINT STOCK COMPANY PERM SCIENTIFIC INDUSTRIAL",
                   "address": {"lines": ["INSTRUMENT MAKING COMPANY", "UL. PODLESNAYA 43, PERM 614007"],
                               "country": "RU"}},
                  creditor_agent="RZBMRUMM", creditor_iban=None),
    "creditor name cut after 'INDUSTRIAL', the rest written in the first AdrLine")
iso("pacs008_v06_flower_auction.xml", "pacs.008", "001.06", "pass", "", "common_word",
    clean_pacs008("P8V06T0008", AALSMEER, HARTMANN, debtor_iban=IBAN["NL"], debtor_agent="RABONL2U",
                  creditor_agent="DEUTDEFF", creditor_iban=IBAN["DE"],
                  remittance=["Veiling Royal FloraHolland klok 3 kavel 5512: Tulip Strong Gold 400 st, "
                              "Iris Blue Magic 250 st, Viola cornuta 9cm 1200 st"]),
    "flower-auction remittance naming tulip, iris and viola varieties (words that are also listed vessels)")
iso("pacs008_v07_crimea_simferopol.xml", "pacs.008", "001.07", "reject", "", "embargo_address",
    clean_pacs008("P8V07G0009", HARTMANN,
                  {"name": "Grigoriy Pavlenko",
                   "address": {"street": "ulitsa Kirova", "building": "17", "postcode": "295000",
                               "town": "Simferopol", "region": "Respublika Krym", "country": "UA"}},
                  creditor_agent="RNCBRUMM", creditor_iban=None),
    "creditor in Simferopol, Crimea, with the Crimean postal code")
iso("pacs008_v07_clean_brazil.xml", "pacs.008", "001.07", "pass", "", "clean",
    clean_pacs008("P8V07C0010", SAO_PAULO, LYON, debtor_iban=IBAN["BR"], debtor_agent="ITAUBRSP",
                  ccy="USD", remittance=["Pagamento fatura 3312 - peças hidráulicas"]),
    "Brazilian person paying a French company")
iso("pacs008_v08_lookalike_belogorsk.xml", "pacs.008", "001.08", "pass", "", "lookalike_town",
    clean_pacs008("P8V08G0011", HARTMANN,
                  {"name": "OOO Amurskiy Les",
                   "address": {"street": "ulitsa Kirova", "building": "115", "postcode": "676850",
                               "town": "Belogorsk", "region": "Amurskaya oblast", "country": "RU"}},
                  creditor_agent="RZBMRUMM", creditor_iban=None,
                  remittance=["Invoice 88-2026 larch timber"]),
    "Belogorsk in the Amur region of Russia (postcode 676850), not Belogorsk/Bilohirsk in Crimea")
iso("pacs008_v12_lookalike_donetsk_rostov.xml", "pacs.008", "001.12", "pass", "", "lookalike_town",
    clean_pacs008("P8V12G0094", HARTMANN,
                  {"name": "OOO Donskoy Ugol",
                   "address": {"street": "ulitsa Lenina", "building": "21", "postcode": "346330",
                               "town": "Donetsk", "region": "Rostovskaya oblast", "country": "RU"}},
                  creditor_agent="RZBMRUMM", creditor_iban=None,
                  remittance=["Contract 2026-17 conveyor belts"]),
    "Donetsk in Rostov Oblast, Russia (postcode 346330), not Donetsk in Ukraine")
iso("pain001_v09_lookalike_kirovsk_murmansk.xml", "pain.001", "001.09", "pass", "", "lookalike_town",
    clean_pain001("PN09G0095", HARTMANN,
                  {"name": "AO Khibinskiy Servis",
                   "address": {"street": "ulitsa Yubileynaya", "building": "3", "postcode": "184250",
                               "town": "Kirovsk", "region": "Murmanskaya oblast", "country": "RU"}},
                  tx={"creditor_agent": "RZBMRUMM", "creditor_iban": None}),
    "Kirovsk in Murmansk Oblast, Russia (postcode 184250), not Kirovsk in Luhansk Oblast")
iso("pacs008_v13_town_alone_donetsk_ru.xml", "pacs.008", "001.13", "hold", "", "lookalike_town",
    clean_pacs008("P8V13G0096", HARTMANN,
                  {"name": "OOO Donskoy Ugol", "address": {"town": "Donetsk", "country": "RU"}},
                  creditor_agent="RZBMRUMM", creditor_iban=None,
                  remittance=["Contract 2026-18 conveyor belts"]),
    "Donetsk with country RU and nothing else: the Rostov town or the occupied city; held for review")
iso("pacs008_v08_clean_japanese.xml", "pacs.008", "001.08", "pass", "", "clean",
    clean_pacs008("P8V08C0012", YAMADA, HARTMANN, debtor_iban=None, debtor_agent="MHCBJPJT",
                  creditor_agent="DEUTDEFF", creditor_iban=IBAN["DE"], ccy="JPY", amount="1850000",
                  remittance=["請求書 2026-0412 精密部品代金"]),
    "Japanese company (kanji) paying a German supplier")
iso("pacs008_v09_common_word_fattura.xml", "pacs.008", "001.09", "pass", "", "common_word",
    clean_pacs008("P8V09T0013", MILANO, LYON, debtor_iban=IBAN["IT"], debtor_agent="UNCRITMM",
                  remittance=["Fattura n. 118/2026 del 14/07/2026 fornitura rubinetteria, saldo"]),
    "Italian invoice line: 'Fattura' is invoice in Italian and also the core of LLC FATTURA (SDN)")
iso("pacs008_v09_ultimate_creditor_listed.xml", "pacs.008", "001.09", "block", SDN + "55993", "listed_party",
    clean_pacs008("P8V09L0014", HARTMANN, CORK, creditor_iban=IBAN["IE"], creditor_agent="AIBKIE2D",
                  ultimate_creditor=listed("BELT ROAD CAPITAL MANAGEMENT CAMBODIA CO. LTD.", "KH",
                                           "Phnom Penh")),
    "SDN company as ultimate creditor behind an Irish forwarder")
iso("pacs008_v10_listed_bank_bic.xml", "pacs.008", "001.10", "block", SDN + "34749", "listed_bic",
    clean_pacs008("P8V10B0015", HARTMANN,
                  {"name": "Aliaksandr Kavalenka",
                   "address": {"street": "vulica Lienina", "building": "4", "postcode": "220030",
                               "town": "Minsk", "country": "BY"}},
                  creditor_agent="MMBNBY22", creditor_iban=None, remittance=["Family support"]),
    "creditor agent is BANK DABRABYT (SDN) by its BIC only")
iso("pacs008_v10_clean_arabic.xml", "pacs.008", "001.10", "pass", "", "clean",
    clean_pacs008("P8V10C0016", RIYADH, CORK, debtor_iban=None, debtor_agent="RJHISARI",
                  creditor_iban=IBAN["IE"], creditor_agent="AIBKIE2D", ccy="USD",
                  remittance=["Tuition fees autumn term 2026"]),
    "Saudi person (Arabic script) paying tuition in Ireland")
iso("pacs008_v11_cuba_address.xml", "pacs.008", "001.11", "block", "", "embargo_address",
    clean_pacs008("P8V11G0017", CHICAGO,
                  {"name": "Yamilet Rodríguez Pérez",
                   "address": {"street": "Calle 23", "building": "1058", "postcode": "10400", "town": "La Habana",
                               "country": "CU"}},
                  debtor_iban=None, debtor_agent="CHASUS33", creditor_agent="BNPAFRPP", ccy="USD",
                  remittance=["Gift"]),
    "US debtor paying a person in Havana, Cuba (CACR)")
iso("pacs008_v11_clean_chinese.xml", "pacs.008", "001.11", "pass", "", "clean",
    clean_pacs008("P8V11C0018", HARTMANN, SHENZHEN, creditor_iban=None, creditor_agent="ICBKCNBJ",
                  ccy="USD", remittance=["PO 4500081234 injection moulds, final payment"]),
    "German company paying a Shenzhen mould maker (Chinese script)")
iso("pacs008_v12_vessel_owner.xml", "pacs.008", "001.12", "block", SDN + "34741", "listed_party",
    clean_pacs008("P8V12L0019", GOTEBORG, listed("SOVCOMFLOT", "RU", "Saint Petersburg"),
                  debtor_iban=IBAN["SE"], debtor_agent="ESSESESS", creditor_agent="RZBMRUMM",
                  creditor_iban=None, remittance=["Charter hire, tanker voyage 26-114"]),
    "SDN tanker owner SOVCOMFLOT as creditor of charter hire")
iso("pacs008_v12_clean_polish.xml", "pacs.008", "001.12", "pass", "", "clean",
    clean_pacs008("P8V12C0020", GDANSK, KRAKOW, debtor_iban=IBAN["PL"], debtor_agent="PKOPPLPW",
                  creditor_agent="BREXPLPW", creditor_iban=IBAN["PL"], ccy="PLN",
                  remittance=["Wynagrodzenie za sierpień 2026"]),
    "Polish salary payment")
iso("pacs008_v13_uk_listed_person.xml", "pacs.008", "001.13", "hold", "gb_hmt_sanctions:12247", "listed_party",
    clean_pacs008("P8V13L0021", HARTMANN, listed("Javad Al Yasin", "AE", "Dubai"), creditor_agent="EBILAEAD",
                  creditor_iban=None),
    "person on the UK list only: held for review under the US regime")
iso("pacs008_v13_clean_canada.xml", "pacs.008", "001.13", "pass", "", "clean",
    clean_pacs008("P8V13C0022", CORK, TORONTO, debtor_iban=IBAN["IE"], debtor_agent="AIBKIE2D",
                  creditor_agent="ROYCCAT2", creditor_iban=None, ccy="CAD",
                  remittance=["Refund of deposit booking 7781"]),
    "Irish company refunding a Canadian person (Vietnamese name)")
iso("pacs008_v10_cons_list_company.xml", "pacs.008", "001.10", "reject", "us_ofac_cons:22389", "listed_party",
    clean_pacs008("P8V10R0023", HARTMANN, listed("TRANSNEFT-URAL AO", "RU", "Ufa"), creditor_agent="RZBMRUMM",
                  creditor_iban=None, remittance=["Pipeline valve spare parts"]),
    "company on OFAC's non-SDN (SSI) list only: rejected")
iso("pacs008_v08_clean_russian_person.xml", "pacs.008", "001.08", "pass", "", "clean",
    clean_pacs008("P8V08C0024", MOSCOW_CLEAN, HARTMANN, debtor_iban=None, debtor_agent="UNCRRUMM",
                  creditor_agent="DEUTDEFF", creditor_iban=IBAN["DE"],
                  remittance=["Оплата курса немецкого языка, договор 55"]),
    "ordinary Russian person (Cyrillic) paying a language course")

# pacs.009 core and COV
iso("pacs009_v08_core_listed_bank.xml", "pacs.009", "001.08", "block", SDN + "25019", "listed_bic",
    {"ref": "P9V08B0025", "uetr": "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", "debtor": "DEUTDEFF",
     "creditor": "BKMTIRTH", "creditor_agent": "BKMTIRTH"},
    "interbank transfer to BANK MELLAT (SDN, Iran) by BIC")
iso("pacs009_v10_core_clean.xml", "pacs.009", "001.10", "pass", "", "clean",
    {"ref": "P9V10C0026", "uetr": "1c2d3e4f-5061-4728-93a4-b5c6d7e8f901", "debtor": "BNPAFRPP",
     "creditor": "CITIUS33", "intermediary": "CHASUS33",
     "instructions": ["/BNF/LIQUIDITY TRANSFER VALUE TODAY"]},
    "bank-to-bank liquidity transfer")
iso("pacs009_v02_core_clean.xml", "pacs.009", "001.02", "pass", "", "clean",
    {"ref": "P9V02C0027", "uetr": "", "debtor": "INGBNL2A", "creditor": "BARCGB22"},
    "bank-to-bank cover in the 2009 version")
iso("pacs009_v08_cov_listed_underlying_creditor.xml", "pacs.009.cov", "001.08", "block", SDN + "40496",
    "listed_party",
    {"ref": "P9V08V0028", "uetr": "2d3e4f50-6172-4839-a4b5-c6d7e8f90112", "debtor": "BARCGB22",
     "creditor": "CITIUS33", "underlying": {
         "debtor": CORK, "debtor_iban": IBAN["IE"], "debtor_agent": "AIBKIE2D", "creditor_agent": "LUMIILIT",
         "creditor": listed("D.E.S. DEFENSE ENGINEERING SOLUTIONS LTD", "IL", "Haifa"),
         "remittance": ["Invoice 2026-311 engineering services"]}},
    "COV: the underlying customer transfer pays an SDN company")
iso("pacs009_v10_cov_listed_underlying_debtor.xml", "pacs.009.cov", "001.10", "block", SDN + "8129",
    "listed_party",
    {"ref": "P9V10V0029", "uetr": "3e4f5061-7283-4940-b5c6-d7e8f9011223", "debtor": "BNPAFRPP",
     "creditor": "DEUTDEFF", "underlying": {
         "debtor": listed("HAVANATUR S.A.", "PA", "Panama"), "debtor_agent": "BNPAFRPP",
         "creditor_agent": "DEUTDEFF", "creditor": HARTMANN, "creditor_iban": IBAN["DE"]}},
    "COV: the underlying ordering customer is HAVANATUR S.A. (SDN, Cuba)")
iso("pacs009_v12_cov_clean.xml", "pacs.009.cov", "001.12", "pass", "", "clean",
    {"ref": "P9V12V0030", "uetr": "4f506172-8394-4a51-86d7-e8f901122334", "debtor": "UNCRITMM",
     "creditor": "CHASUS33", "underlying": {
         "debtor": MILANO, "debtor_iban": IBAN["IT"], "debtor_agent": "UNCRITMM", "creditor_agent": "CITIUS33",
         "creditor": CHICAGO, "remittance": ["Invoice LIS-20931 industrial fasteners"]}},
    "COV for an ordinary Italian to US payment")
iso("pacs009_v09_cov_wrapped_remittance.xml", "pacs.009.cov", "001.09", "hold", SDN + "25396", "wrapped_name",
    {"ref": "P9V09V0031", "uetr": "50617283-94a5-4b62-97e8-f90112233445", "debtor": "BARCGB22",
     "creditor": "DEUTDEFF", "underlying": {
         "debtor": CORK, "debtor_agent": "AIBKIE2D", "creditor_agent": "DEUTDEFF", "creditor": HARTMANN,
         "remittance": ["Demurrage recharge, container on vessel of ISLAMIC REPUBLIC OF IR",
                        "AN SHIPPING LINES, B/L 7781"]}},
    "COV: listed shipping line split across the underlying Ustrd elements")

# pacs.004 returns
iso("pacs004_v09_listed_original_creditor.xml", "pacs.004", "001.09", "block", SDN + "44240", "listed_party",
    {"ref": "P4V09L0032", "original_msg": "P8ORIG7781", "instructing": "DEUTDEFF", "instructed": "BNPAFRPP",
     "original": {"debtor": LYON, "debtor_agent": "BNPAFRPP", "creditor_agent": "DEUTDEFF",
                  "creditor": listed("OZEAN HORIZONT PROJEKTENTWICKLUNGS GMBH & CO. KG", "DE", "Hamburg"),
                  "creditor_iban": IBAN["DE"]}},
    "return of a payment whose original creditor is an SDN company")
iso("pacs004_v02_clean.xml", "pacs.004", "001.02", "pass", "", "clean",
    {"ref": "P4V02C0033", "original_msg": "P8ORIG7782", "instructing": "INGBNL2A", "instructed": "DEUTDEFF",
     "original": {"debtor": HARTMANN, "debtor_agent": "DEUTDEFF", "creditor_agent": "INGBNL2A",
                  "creditor": AALSMEER, "creditor_iban": IBAN["NL"]}},
    "ordinary return (account closed), 2009 version")
iso("pacs004_v11_clean.xml", "pacs.004", "001.11", "pass", "", "clean",
    {"ref": "P4V11C0034", "original_msg": "P8ORIG7783", "instructing": "ESSESESS", "instructed": "PKOPPLPW",
     "original": {"debtor": GDANSK, "debtor_agent": "PKOPPLPW", "creditor_agent": "ESSESESS",
                  "creditor": GOTEBORG, "creditor_iban": IBAN["SE"]}},
    "ordinary return")

# camt.056 recalls
iso("camt056_v08_listed_original_debtor.xml", "camt.056", "001.08", "block", SDN + "34496", "listed_party",
    {"ref": "C56V08L0035", "original_msg": "P8ORIG7790", "assigner": "BNMXMXMM", "assignee": "CITIUS33",
     "original": {"debtor": {"name": "Jesus Gerardo Chavez Tamayo",
                             "address": {"town": "Culiacan", "region": "Sinaloa", "country": "MX"}},
                  "debtor_agent": "BNMXMXMM", "creditor_agent": "CITIUS33", "creditor": CHICAGO}},
    "recall of a payment whose original debtor is an SDN person")
iso("camt056_v08_clean.xml", "camt.056", "001.08", "pass", "", "clean",
    {"ref": "C56V08C0036", "original_msg": "P8ORIG7791", "assigner": "COBADEFF", "assignee": "UNCRITMM",
     "case_creator": {"name": "Commerzbank AG"},
     "original": {"debtor": HARTMANN, "debtor_agent": "COBADEFF", "creditor_agent": "UNCRITMM",
                  "creditor": MILANO, "creditor_iban": IBAN["IT"]}},
    "duplicate-payment recall between two ordinary banks")
iso("camt056_v05_clean.xml", "camt.056", "001.05", "pass", "", "clean",
    {"ref": "C56V05C0037", "original_msg": "P8ORIG7792", "assigner": "BNPAFRPP", "assignee": "BBVAESMM",
     "original": {"debtor": LYON, "debtor_agent": "BNPAFRPP", "creditor_agent": "BBVAESMM",
                  "creditor": {"name": "Talleres Gómez e Hijos S.L.",
                               "address": {"town": "Valencia", "postcode": "46001", "country": "ES"}}}},
    "recall in an older version")

# pain.001, every version 001.03 to 001.12
iso("pain001_v03_clean.xml", "pain.001", "001.03", "pass", "", "clean",
    clean_pain001("PN03C0040", HARTMANN, AALSMEER), "ordinary supplier payment, SEPA-era 001.03")
iso("pain001_v03_listed_creditor.xml", "pain.001", "001.03", "block", SDN + "15868", "listed_party",
    clean_pain001("PN03L0041", HARTMANN, listed("C.I. CAFFEE VALORES S.A.", "CO", "Medellin"),
                  tx={"creditor_agent": "BCTOCOBB", "creditor_iban": None,
                      "remittance": ["Coffee shipment 2026-07"]}),
    "SDN company as creditor in a 001.03 initiation")
iso("pain001_v04_clean_batch.xml", "pain.001", "001.04", "pass", "", "clean",
    clean_pain001("PN04C0042", LYON, GDANSK, tx={"creditor_agent": "PKOPPLPW", "creditor_iban": IBAN["PL"]},
                  more=[{"creditor_agent": "ESSESESS", "creditor": GOTEBORG, "creditor_iban": IBAN["SE"],
                         "remittance": ["Facture 2026-0877"]}]),
    "two ordinary credit transfers in one batch")
iso("pain001_v04_listed_second_tx.xml", "pain.001", "001.04", "block", SDN + "40244", "listed_party",
    clean_pain001("PN04L0043", HARTMANN, LYON, tx={"creditor_agent": "BNPAFRPP", "creditor_iban": IBAN["FR"]},
                  more=[{"creditor_agent": "RZBMRUMM",
                         "creditor": {"name": "Andrey Aleksandrovich Travnikov",
                                      "address": {"town": "Moscow", "country": "RU"},
                                      "birth_date": "1971-02-01", "birth_city": "Leningrad",
                                      "birth_country": "RU"},
                         "remittance": ["Consulting fee Q3"]}]),
    "second transaction of a batch pays an SDN person (name and date of birth)")
iso("pain001_v05_lookalike_tokmak.xml", "pain.001", "001.05", "pass", "", "lookalike_town",
    clean_pain001("PN05G0044", HARTMANN,
                  {"name": "Tokmok Agro Trade LLC",
                   "address": {"street": "ulitsa Lenina", "building": "212", "postcode": "724200",
                               "town": "Tokmak", "region": "Chui Region", "country": "KG"}},
                  tx={"creditor_agent": "KICBKG22", "creditor_iban": None,
                      "remittance": ["Dried apricots, contract 26/14"]}),
    "Tokmak in Kyrgyzstan (Chui region), not Tokmak in Zaporizhzhia oblast")
iso("pain001_v06_iran_creditor.xml", "pain.001", "001.06", "reject", "", "embargo_address",
    clean_pain001("PN06G0045", HARTMANN,
                  {"name": "Pars Carpet Weaving Co.",
                   "address": {"street": "Valiasr Street", "building": "1402", "postcode": "1965743111",
                               "town": "Tehran", "country": "IR"}},
                  tx={"creditor_agent": "DEUTDEFF", "creditor_iban": IBAN["DE"],
                      "remittance": ["Hand-knotted carpets, lot 9"]}),
    "creditor in Tehran, Iran (ITSR)")
iso("pain001_v07_common_word_fattura.xml", "pain.001", "001.07", "pass", "", "common_word",
    clean_pain001("PN07T0046", MILANO, HARTMANN,
                  tx={"creditor_agent": "DEUTDEFF", "creditor_iban": IBAN["DE"],
                      "remittance": ["Fattura 2026/0457 saldo ordine piastrelle gres"]},
                  debtor_iban=IBAN["IT"], debtor_agent="UNCRITMM"),
    "Italian remittance beginning 'Fattura' (invoice), the core of LLC FATTURA")
iso("pain001_v07_listed_ultimate_creditor.xml", "pain.001", "001.07", "block", SDN + "12477", "listed_party",
    clean_pain001("PN07L0047", HARTMANN, CORK,
                  tx={"creditor_agent": "AIBKIE2D", "creditor_iban": IBAN["IE"],
                      "ultimate_creditor": listed("BONYAD TAAVON SEPAH", "IR", "Tehran")}),
    "SDN foundation as ultimate creditor")
iso("pain001_v08_name_in_remittance.xml", "pain.001", "001.08", "hold", SDN + "49384", "free_text",
    clean_pain001("PN08F0048", HARTMANN, GDANSK,
                  tx={"creditor_agent": "PKOPPLPW", "creditor_iban": IBAN["PL"],
                      "remittance": ["Transit of gauges for JOINT STOCK COMPANY PERM SCIENTIFIC INDUSTRIAL "
                                     "INSTRUMENT MAKING COMPANY"]}),
    "listed company only in the remittance text")
iso("pain001_v08_clean_turkish.xml", "pain.001", "001.08", "pass", "", "clean",
    clean_pain001("PN08C0049", IZMIR, HARTMANN,
                  tx={"creditor_agent": "DEUTDEFF", "creditor_iban": IBAN["DE"],
                      "remittance": ["Ödeme: fatura 2026-77 makine parçaları"]},
                  debtor_iban=IBAN["TR"], debtor_agent="TGBATRIS"),
    "Turkish person paying a German supplier")
iso("pain001_v09_wrapped_ustrd.xml", "pain.001", "001.09", "hold", SDN + "42317", "wrapped_name",
    clean_pain001("PN09W0050", HARTMANN, CORK,
                  tx={"creditor_agent": "AIBKIE2D", "creditor_iban": IBAN["IE"],
                      "remittance": ["Freight forwarding on behalf of BUSHRA BACHIR SHIPPING AND LOGIS",
                                     "TICS SERVICES L.L.C., Djibouti leg"]}),
    "listed name split inside 'LOGISTICS' across two Ustrd elements")
iso("pain001_v09_clean_indian.xml", "pain.001", "001.09", "pass", "", "clean",
    clean_pain001("PN09C0051", HARTMANN, BENGALURU,
                  tx={"creditor_agent": "HDFCINBB", "creditor_iban": None, "ccy": "INR", "amount": "84000.00",
                      "remittance": ["Freelance translation invoice 31"]}),
    "German company paying an Indian freelancer")
iso("pain001_v10_crimea_yalta_ru.xml", "pain.001", "001.10", "reject", "", "embargo_address",
    clean_pain001("PN10G0052", HARTMANN,
                  {"name": "Sanatoriy Yuzhnoberezhny",
                   "address": {"street": "ulitsa Sevastopolskaya", "building": "12", "postcode": "298600",
                               "town": "Yalta", "country": "RU"}},
                  tx={"creditor_agent": "RNCBRUMM", "creditor_iban": None,
                      "remittance": ["Booking 4411"]}),
    "creditor in Yalta, Crimea, written with a Russian country code and the Russian-assigned postcode")
iso("pain001_v10_clean_spanish.xml", "pain.001", "001.10", "pass", "", "clean",
    clean_pain001("PN10C0053", LYON,
                  {"name": "Talleres Gómez e Hijos S.L.",
                   "address": {"street": "Calle de Colón", "building": "48", "postcode": "46004",
                               "town": "Valencia", "country": "ES"}},
                  tx={"creditor_agent": "BBVAESMM", "creditor_iban": IBAN["ES"],
                      "remittance": ["Factura 2026-0912 mecanizado"]}),
    "French company paying a Spanish workshop")
iso("pain001_v11_lookalike_sebastopol_us.xml", "pain.001", "001.11", "pass", "", "lookalike_town",
    clean_pain001("PN11G0054", CHICAGO,
                  {"name": "Redwood Valley Cellars LLC",
                   "address": {"street": "Gravenstein Hwy N", "building": "6750", "postcode": "95472",
                               "town": "Sebastopol", "region": "CA", "country": "US"}},
                  tx={"creditor_agent": "BOFAUS3N", "creditor_iban": None, "ccy": "USD",
                      "remittance": ["Wine order 2026-118"]},
                  debtor_iban="000123456789", debtor_agent="CHASUS33"),
    "Sebastopol, California (95472), not Sevastopol in Crimea")
iso("pain001_v11_listed_debtor.xml", "pain.001", "001.11", "block", SDN + "33396", "listed_party",
    clean_pain001("PN11L0055", listed("BELTECHEXPORT", "BY", "Minsk"), HARTMANN,
                  tx={"creditor_agent": "DEUTDEFF", "creditor_iban": IBAN["DE"]},
                  debtor_iban="3012000456789", debtor_agent="MMBNBY22"),
    "SDN company as debtor (and its bank is listed too)")
iso("pain001_v12_clean_korean.xml", "pain.001", "001.12", "pass", "", "clean",
    clean_pain001("PN12C0056", HARTMANN,
                  {"name": "주식회사 한빛정밀", "address": {"lines": ["경기도 수원시 영통구 광교로 145"],
                                                        "country": "KR"}},
                  tx={"creditor_agent": "KOEXKRSE", "creditor_iban": None, "ccy": "USD",
                      "remittance": ["Invoice HB-2026-044 sensors"]}),
    "German company paying a Korean manufacturer (Hangul)")
iso("pain001_v12_common_word_september.xml", "pain.001", "001.12", "pass", "", "common_word",
    clean_pain001("PN12T0057", CORK, HARTMANN,
                  tx={"creditor_agent": "DEUTDEFF", "creditor_iban": IBAN["DE"],
                      "remittance": ["Partner commission September 2026, monitoring fees"]},
                  debtor_iban=IBAN["IE"], debtor_agent="AIBKIE2D"),
    "ordinary words that are cores of LLC SEPTEMBER, OOO PARTNER and OOO MONITORING")

# SWIFT MT103
U1 = "8a4f2c1e-3b5d-4e6f-9a7b-1c2d3e4f5a6b"
swift("mt103_clean_uk_us.fin", "MT103", "pass", "", "clean", mt("103", "BARCGB22", "IRVTUS3N", [
    ":20:BRC2609030001", ":23B:CRED", ":32A:260903USD25000,00", ":33B:GBP19750,00",
    ":50K:/GB29NWBK60161331926819", "HARTLEY AND SONS LIMITED", "12 KINGSWAY", "LONDON WC2B 6NH", "GB",
    ":52A:BARCGB22", ":57A:CITIUS33", ":59:/12345678901234", "PACIFIC COAST TIMBER INC", "1800 HARBOR WAY",
    "SEATTLE WA 98101 US", ":70:INVOICE PCT-2026-4471 CEDAR LUMBER", ":71A:SHA"], uetr=U1),
    "ordinary UK to US customer transfer")
swift("mt103_clean_de_it.fin", "MT103", "pass", "", "clean", mt("103", "COBADEFF", "UNCRITMM", [
    ":20:CBK2609030002", ":23B:CRED", ":32A:260903EUR8400,00",
    ":50K:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH", "INDUSTRIESTRASSE 14",
    "70565 STUTTGART DE", ":59:/IT60X0542811101000000123456", "CERAMICHE LOMBARDE SRL",
    "VIA VITTOR PISANI 22", "20124 MILANO IT", ":70:/INV/2026-0412 PIASTRELLE", ":71A:OUR"], uetr=U1),
    "ordinary German to Italian transfer")
swift("mt103_listed_beneficiary.fin", "MT103", "block", SDN + "45087", "listed_party", mt("103", "COBADEFF",
    "SABRRUMM", [":20:CBK2609030003", ":23B:CRED", ":32A:260903EUR51000,00",
                 ":50K:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH", "70565 STUTTGART DE",
                 ":59:/40702810900000012345", "LIMITED LIABILITY COMPANY KRASNOYAR", "SKAYA ENERGETICHESKAYA KOMPANIYA",
                 "UL MIRA 10 KRASNOYARSK", "RU", ":70:CONTRACT 2026-118 TURBINE PARTS", ":71A:SHA"], uetr=U1),
    "SDN beneficiary whose name wraps inside 'KRASNOYARSKAYA' across 59 lines")
swift("mt103_70_wrapped_name.fin", "MT103", "hold", SDN + "25637", "wrapped_name", mt("103", "BARCGB22",
    "DEUTDEFF", [":20:BRC2609030004", ":23B:CRED", ":32A:260903EUR14000,00",
                 ":50K:/GB29NWBK60161331926819", "HARTLEY AND SONS LIMITED", "LONDON GB",
                 ":59:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH", "STUTTGART DE",
                 ":70:/INV/2026-0412 RECHARGE FOR NUCLEA", "R POWER PRODUCTION AND DEVELOPMENT",
                 " COMPANY OF IRAN INSPECTION", ":71A:SHA"], uetr=U1),
    "listed name in :70: broken inside 'NUCLEAR' at the 35-character line end")
swift("mt103_72_wrapped_name.fin", "MT103", "hold", SDN + "42317", "wrapped_name", mt("103", "BARCGB22",
    "EBILAEAD", [":20:BRC2609030005", ":23B:CRED", ":32A:260903USD9000,00",
                 ":50K:/GB29NWBK60161331926819", "HARTLEY AND SONS LIMITED", "LONDON GB",
                 ":59:/AE070331234567890123456", "GULF HORIZON TRADING FZE", "DUBAI AE", ":71A:SHA",
                 ":72:/ACC/FFC BUSHRA BACHIR SHIPPING AN", "//D LOGISTICS SERVICES L.L.C."], uetr=U1),
    "listed name in :72: continued on a // line, broken inside 'AND'")
swift("mt103_50f_listed_person.fin", "MT103", "block", SDN + "40244", "listed_party", mt("103", "SABRRUMM",
    "COBADEFF", [":20:SBR2609030006", ":23B:CRED", ":32A:260903EUR3000,00",
                 ":50F:/40817810099910004312", "1/TRAVNIKOV ANDREY ALEKSANDROVICH",
                 "3/RU/MOSCOW", "4/19710201", "5/RU/LENINGRAD",
                 ":59:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH", "STUTTGART DE", ":71A:SHA"],
    uetr=U1), "SDN person as ordering customer in structured 50F with date of birth")
swift("mt103_lookalike_rovenki.fin", "MT103", "pass", "", "lookalike_town", mt("103", "COBADEFF", "RZBMRUMM", [
    ":20:CBK2609030007", ":23B:CRED", ":32A:260903EUR2200,00", ":50K:/DE89370400440532013000",
    "HARTMANN PRAEZISIONSTECHNIK GMBH", "70565 STUTTGART DE", ":59:/40702810400000077777",
    "OOO BELGORODSKIE SEMENA", "UL LENINA 12", "309740 ROVENKI BELGORODSKAYA OBL", "RU",
    ":70:SEED POTATOES LOT 26-4", ":71A:SHA"], uetr=U1),
    "Rovenki in Belgorod oblast, Russia (309740), not Rovenky in Luhansk oblast")
swift("mt103_donetsk.fin", "MT103", "reject", "", "embargo_address", mt("103", "COBADEFF", "RZBMRUMM", [
    ":20:CBK2609030008", ":23B:CRED", ":32A:260903EUR1500,00", ":50K:/DE89370400440532013000",
    "HARTMANN PRAEZISIONSTECHNIK GMBH", "STUTTGART DE", ":59:/40702810400000088888",
    "OLEKSANDR MELNYK", "VUL ARTEMA 45", "83001 DONETSK", "UA", ":70:PRIVATE TRANSFER", ":71A:SHA"], uetr=U1),
    "beneficiary in Donetsk (the so-called DPR region)")
swift("mt103_common_word_monitoring.fin", "MT103", "pass", "", "common_word", mt("103", "BARCGB22",
    "BNPAFRPP", [":20:BRC2609030009", ":23B:CRED", ":32A:260903EUR4100,00", ":50K:/GB29NWBK60161331926819",
                 "HARTLEY AND SONS LIMITED", "LONDON GB", ":59:/FR1420041010050500013M02606",
                 "SOCIETE LYONNAISE DE ROBINETTERIE", "LYON FR",
                 ":70:MONITORING SERVICES SEPTEMBER 2026", "PARTNER PORTAL FEES INV 4471", ":71A:SHA"], uetr=U1),
    "ordinary words 'monitoring', 'September', 'partner' in the remittance")
swift("mt103_cons_list_beneficiary.fin", "MT103", "reject", "us_ofac_cons:19687", "listed_party",
    mt("103", "COBADEFF", "RZBMRUMM", [":20:CBK2609030010", ":23B:CRED", ":32A:260903EUR60000,00",
                                        ":50K:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH",
                                        "STUTTGART DE", ":59:/40702810400000099999", "KAMCHATGAZPROM OAO",
                                        "PETROPAVLOVSK-KAMCHATSKY RU", ":70:GAS METERS", ":71A:SHA"], uetr=U1),
    "beneficiary on OFAC's SSI list only")

# MT103 STP
swift("mt103stp_clean.fin", "MT103.STP", "pass", "", "clean", mt("103", "INGBNL2A", "DEUTDEFF", [
    ":20:ING2609030011", ":23B:CRED", ":32A:260903EUR1250,00", ":50K:/NL91ABNA0417164300",
    "VAN DER BERG BLOEMEN BV", "LEGMEERDIJK 313", "1431 GB AALSMEER NL", ":52A:INGBNL2A",
    ":57A:DEUTDEFF", ":59:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH",
    "INDUSTRIESTRASSE 14", "70565 STUTTGART DE", ":70:/RFB/INV 2026-118", ":71A:SHA"], flag="STP", uetr=U1),
    "ordinary STP transfer")
swift("mt103stp_listed_bank_57a.fin", "MT103.STP", "block", SDN + "25440", "listed_bic", mt("103", "COBADEFF",
    "BARCGB22", [":20:CBK2609030012", ":23B:CRED", ":32A:260903GBP7000,00", ":50K:/DE89370400440532013000",
                 "HARTMANN PRAEZISIONSTECHNIK GMBH", "STUTTGART DE", ":57A:SEPBGB2L",
                 ":59:/GB29NWBK60161331926819", "ANDREW COLLINS", "LONDON GB", ":71A:SHA"], flag="STP", uetr=U1),
    "account with institution is BANK SEPAH INTERNATIONAL PLC (SDN) by BIC")
swift("mt103stp_listed_beneficiary_59a.fin", "MT103.STP", "block", SDN + "42057", "listed_party",
    mt("103", "BARCGB22", "BCYPCY2N", [":20:BRC2609030013", ":23B:CRED", ":32A:260903EUR22000,00",
                                        ":50K:/GB29NWBK60161331926819", "HARTLEY AND SONS LIMITED", "LONDON GB",
                                        ":57A:BCYPCY2N", ":59F:/CY17002001280000001200527600",
                                        "1/VASSILIADES CHRISTODOULOS", "1/GEORGIOU",
                                        "2/MAKARIOU III AVENUE 2",
                                        "3/CY/NICOSIA", ":71A:SHA"], flag="STP", uetr=U1),
    "SDN person as beneficiary in structured 59F")

# MT202 and MT202 COV
swift("mt202_clean.fin", "MT202", "pass", "", "clean", mt("202", "DEUTDEFF", "CHASUS33", [
    ":20:DBK2609030014", ":21:LIQ2609030014", ":32A:260903USD5000000,00", ":52A:DEUTDEFF",
    ":57A:CHASUS33", ":58A:CITIUS33", ":72:/BNF/LIQUIDITY TRANSFER"], uetr=U1), "ordinary bank-to-bank transfer")
swift("mt202_listed_bank_58a.fin", "MT202", "block", SDN + "16085", "listed_bic", mt("202", "BNPAFRPP",
    "SCBLSGSG", [":20:BNP2609030015", ":21:NONREF", ":32A:260903USD750000,00", ":57A:SCBLSGSG",
                 ":58A:DCBKKPPY"], uetr=U1),
    "beneficiary institution DAEDONG CREDIT BANK (SDN, DPRK) by BIC")
swift("mt202_72_listed_bank_text.fin", "MT202", "hold", SDN + "25681", "free_text", mt("202", "BARCGB22",
    "CITIUS33", [":20:BRC2609030016", ":21:FX2609030016", ":32A:260903USD1200000,00", ":58A:CITIUS33",
                 ":72:/BNF/PROCEEDS ROUTED VIA FIRST EAST", "//EXPORT BANK PLC LABUAN"], uetr=U1),
    "listed bank named across two :72: lines")
swift("mt202cov_clean.fin", "MT202.COV", "pass", "", "clean", mt("202", "UNCRITMM", "CHASUS33", [
    ":20:UCR2609030017", ":21:CMI2609030017", ":32A:260903USD48000,00", ":52A:UNCRITMM", ":57A:CITIUS33",
    ":58A:CITIUS33", ":50K:/IT60X0542811101000000123456", "CERAMICHE LOMBARDE SRL", "20124 MILANO IT",
    ":59:/44556677889900", "LAKESHORE INDUSTRIAL SUPPLY INC", "233 W WACKER DR CHICAGO IL 60606",
    ":70:INVOICE LIS-20931", ":33B:USD48000,00"], flag="COV", uetr=U1),
    "ordinary cover for an Italian to US customer payment")
swift("mt202cov_seqb_listed_beneficiary.fin", "MT202.COV", "block", SDN + "40496", "listed_party",
    mt("202", "BARCGB22", "CITIUS33", [":20:BRC2609030018", ":21:UND2609030018", ":32A:260903USD96000,00",
                                        ":57A:LUMIILIT", ":58A:LUMIILIT", ":50K:/IE29AIBK93115212345678",
                                        "OCONNOR FREIGHT LTD", "CORK IE", ":59:/IL620108000000099999999",
                                        "D.E.S. DEFENSE ENGINEERING SOLUTIO", "NS LTD", "HAIFA IL",
                                        ":70:INVOICE 2026-311"], flag="COV", uetr=U1),
    "sequence B beneficiary is an SDN company, name wrapped inside 'SOLUTIONS'")
swift("mt202cov_seqb_listed_ordering.fin", "MT202.COV", "block", SDN + "8129", "listed_party",
    mt("202", "BNPAFRPP", "CHASUS33", [":20:BNP2609030019", ":21:UND2609030019", ":32A:260903USD12000,00",
                                        ":58A:DEUTDEFF", ":50K:/PA11223344556677", "HAVANATUR S.A.", "PANAMA PA",
                                        ":59:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH",
                                        "STUTTGART DE"], flag="COV", uetr=U1),
    "sequence B ordering customer is HAVANATUR S.A. (SDN)")
swift("mt202cov_pyongyang.fin", "MT202.COV", "block", "", "embargo_address", mt("202", "BNPAFRPP", "SCBLSGSG", [
    ":20:BNP2609030020", ":21:UND2609030020", ":32A:260903USD8000,00", ":58A:SCBLSGSG",
    ":50K:/FR1420041010050500013M02606", "SOCIETE LYONNAISE DE ROBINETTERIE", "LYON FR",
    ":59:/SG99887766", "KIM YONG SU", "RAKWON-DONG PYONGYANG", "KP"], flag="COV", uetr=U1),
    "sequence B beneficiary in Pyongyang, North Korea")

# MT101
swift("mt101_clean.fin", "MT101", "pass", "", "clean", mt("101", "DEUTDEFF", "INGBNL2A", [
    ":20:HPT2609030021", ":28D:1/1", ":50H:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH",
    "INDUSTRIESTRASSE 14", "70565 STUTTGART DE", ":30:260903", ":21:HPT-TX-1", ":32B:EUR4500,00",
    ":57A:INGBNL2A", ":59:/NL91ABNA0417164300", "VAN DER BERG BLOEMEN BV", "1431 GB AALSMEER NL",
    ":70:INVOICE VDB-2026-118", ":71A:SHA", ":21:HPT-TX-2", ":32B:EUR1200,00", ":57A:BNPAFRPP",
    ":59:/FR1420041010050500013M02606", "SOCIETE LYONNAISE DE ROBINETTERIE", "LYON FR", ":71A:SHA"]),
    "two ordinary transfers requested by a German company")
swift("mt101_listed_second_tx.fin", "MT101", "block", SDN + "55993", "listed_party", mt("101", "DEUTDEFF",
    "INGBNL2A", [":20:HPT2609030022", ":28D:1/1", ":50H:/DE89370400440532013000",
                 "HARTMANN PRAEZISIONSTECHNIK GMBH", "70565 STUTTGART DE", ":30:260903", ":21:HPT-TX-3",
                 ":32B:EUR800,00", ":57A:INGBNL2A", ":59:/NL91ABNA0417164300", "VAN DER BERG BLOEMEN BV",
                 "AALSMEER NL", ":71A:SHA", ":21:HPT-TX-4", ":32B:USD64000,00", ":57A:CITIUS33",
                 ":59:/KH1234567890", "BELT ROAD CAPITAL MANAGEMENT CAMBO", "DIA CO. LTD.", "PHNOM PENH KH",
                 ":71A:SHA"]),
    "second transaction's beneficiary is an SDN company, name wrapped inside 'CAMBODIA'")
swift("mt101_70_listed_name.fin", "MT101", "hold", SDN + "34741", "free_text", mt("101", "ESSESESS", "DEUTDEFF", [
    ":20:LQB2609030023", ":28D:1/1", ":50H:/SE4550000000058398257466", "LINDQVIST BYGG AB", "GOTEBORG SE",
    ":30:260903", ":21:LQB-TX-1", ":32B:EUR30000,00", ":57A:DEUTDEFF", ":59:/DE89370400440532013000",
    "HAMBURG TANKER AGENCY GMBH", "HAMBURG DE", ":70:BUNKER RECHARGE FOR SOVCOMFLOT", "VOYAGE 26-114",
    ":71A:SHA"]), "SDN shipowner named in the remittance of an MT101 transaction")

# -- malformed messages: a valid rendering with one named damage -------------------------------------


def truncate_after(marker: str):
    def damage(text: str) -> str:
        return text[: text.index(marker) + len(marker)]

    damage.__doc__ = f"truncated just after {marker!r}"
    return damage


def replace(old: str, new: str):
    def damage(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    damage.__doc__ = f"{old!r} replaced by {new!r}"
    return damage


iso("bad_pacs008_v09_truncated_listed.xml", "pacs.008", "001.09", "hold", SDN + "42317", "malformed",
    clean_pacs008("P8V09M0060", HARTMANN, listed("BUSHRA BACHIR SHIPPING AND LOGISTICS SERVICES L.L.C.", "AE",
                                                  "Dubai"), creditor_agent="EBILAEAD"),
    "truncated mid-message after the listed creditor's name: held, naming the party",
    truncate_after("L.L.C.</Nm>"))
iso("bad_pacs008_v08_broken_tag_clean.xml", "pacs.008", "001.08", "hold", "", "malformed",
    clean_pacs008("P8V08M0061", HARTMANN, LYON), "closing tag misspelt: not well-formed XML, held",
    replace("</Dbtr>", "</Dbtrr>"))
iso("bad_pacs008_v12_invalid_bic_clean.xml", "pacs.008", "001.12", "hold", "", "malformed",
    clean_pacs008("P8V12M0062", HARTMANN, LYON), "creditor agent BIC 'BNP-FRPP' breaks the BIC pattern",
    replace("<BICFI>BNPAFRPP</BICFI>", "<BICFI>BNP-FRPP</BICFI>"))
iso("bad_pacs008_v10_missing_debtor.xml", "pacs.008", "001.10", "hold", "", "malformed",
    clean_pacs008("P8V10M0063", HARTMANN, LYON), "mandatory Dbtr removed",
    replace("<Dbtr><Nm>Hartmann Präzisionstechnik GmbH</Nm><PstlAdr><StrtNm>Industriestraße</StrtNm>"
            "<BldgNb>14</BldgNb><PstCd>70565</PstCd><TwnNm>Stuttgart</TwnNm><Ctry>DE</Ctry></PstlAdr></Dbtr>", ""))
iso("bad_pacs008_v13_duplicate_creditor_listed.xml", "pacs.008", "001.13", "hold", SDN + "44240", "malformed",
    clean_pacs008("P8V13M0064", HARTMANN, LYON), "Cdtr given twice, the second an SDN company",
    replace("</Cdtr>", "</Cdtr><Cdtr><Nm>OZEAN HORIZONT PROJEKTENTWICKLUNGS GMBH &amp; CO. KG</Nm></Cdtr>"))
iso("bad_pacs008_unknown_version.xml", "pacs.008", "001.08", "hold", "", "malformed",
    clean_pacs008("P8V99M0065", HARTMANN, LYON), "namespace of a pacs.008 version that does not exist (001.99)",
    replace("pacs.008.001.08", "pacs.008.001.99"))
iso("bad_pain001_v09_amount_text_listed.xml", "pain.001", "001.09", "hold", SDN + "33396", "malformed",
    clean_pain001("PN09M0066", HARTMANN, listed("BELTECHEXPORT", "BY", "Minsk"),
                  tx={"creditor_agent": "MMBNBY22", "creditor_iban": None}),
    "instructed amount '980,OO' is not a number; creditor is an SDN company",
    replace(">980.00<", ">980,OO<"))
iso("bad_pain001_v03_cut_in_tag.xml", "pain.001", "001.03", "hold", "", "malformed",
    clean_pain001("PN03M0067", HARTMANN, AALSMEER), "file cut inside a start tag", truncate_after("<CdtrA"))
iso("bad_pacs009_v10_bad_currency_code.xml", "pacs.009", "001.10", "hold", "", "malformed",
    {"ref": "P9V10M0068", "uetr": "6f708192-a3b4-4c5d-8e9f-0a1b2c3d4e5f", "debtor": "BNPAFRPP",
     "creditor": "CITIUS33"}, "currency 'US$' breaks the currency code pattern",
    replace('Ccy="USD"', 'Ccy="US$"'))
swift("bad_mt103_truncated_listed.fin", "MT103", "hold", SDN + "45087", "malformed", mt("103", "COBADEFF",
    "SABRRUMM", [":20:CBK2609030070", ":23B:CRED", ":32A:260903EUR51000,00",
                 ":50K:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH", "STUTTGART DE",
                 ":59:/40702810900000012345", "LIMITED LIABILITY COMPANY KRASNOYAR",
                 "SKAYA ENERGETICHESKAYA KOMPANIYA", "KRASNOYARSK RU", ":70:CONTRACT 2026-118", ":71A:SHA"],
               uetr=U1),
    "cut after the 59 field: no 71A and no end of text block; the listed beneficiary is still named",
    truncate_after("KRASNOYARSK RU"))
swift("bad_mt103_amount.fin", "MT103", "hold", "", "malformed", mt("103", "BARCGB22", "IRVTUS3N", [
    ":20:BRC2609030071", ":23B:CRED", ":32A:260903USD25000,00", ":50K:/GB29NWBK60161331926819",
    "HARTLEY AND SONS LIMITED", "LONDON GB", ":59:/12345678901234", "PACIFIC COAST TIMBER INC",
    "SEATTLE WA US", ":71A:SHA"], uetr=U1), "32A amount written '25.000,00' (a period is not allowed)",
    replace(":32A:260903USD25000,00", ":32A:260903USD25.000,00"))
swift("bad_mt103_missing_59.fin", "MT103", "hold", "", "malformed", mt("103", "BARCGB22", "IRVTUS3N", [
    ":20:BRC2609030072", ":23B:CRED", ":32A:260903USD4000,00", ":50K:/GB29NWBK60161331926819",
    "HARTLEY AND SONS LIMITED", "LONDON GB", ":59:/12345678901234", "PACIFIC COAST TIMBER INC",
    "SEATTLE WA US", ":70:INVOICE 2026-77", ":71A:SHA"], uetr=U1), "mandatory beneficiary field 59 removed",
    replace(":59:/12345678901234\nPACIFIC COAST TIMBER INC\nSEATTLE WA US\n", ""))
swift("bad_mt103_charset.fin", "MT103", "hold", "", "malformed", mt("103", "BARCGB22", "DEUTDEFF", [
    ":20:BRC2609030073", ":23B:CRED", ":32A:260903EUR900,00", ":50K:/GB29NWBK60161331926819",
    "HARTLEY AND SONS LIMITED", "LONDON GB", ":59:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH",
    "STUTTGART DE", ":70:INVOICE 2026-77", ":71A:SHA"], uetr=U1),
    "70 carries '#' and '@', outside the SWIFT X character set",
    replace(":70:INVOICE 2026-77", ":70:INVOICE #2026-77 @ 5 PCT"))
swift("bad_mt202cov_missing_seqb_59.fin", "MT202.COV", "hold", SDN + "8129", "malformed", mt("202", "BNPAFRPP",
    "CHASUS33", [":20:BNP2609030074", ":21:UND2609030074", ":32A:260903USD12000,00", ":58A:DEUTDEFF",
                 ":50K:/PA11223344556677", "HAVANATUR S.A.", "PANAMA PA", ":59:/DE89370400440532013000",
                 "HARTMANN PRAEZISIONSTECHNIK GMBH", "STUTTGART DE"], flag="COV", uetr=U1),
    "sequence B without its mandatory 59; the listed ordering customer must still be named",
    replace(":59:/DE89370400440532013000\nHARTMANN PRAEZISIONSTECHNIK GMBH\nSTUTTGART DE\n", ""))
swift("bad_mt101_bad_date.fin", "MT101", "hold", "", "malformed", mt("101", "DEUTDEFF", "INGBNL2A", [
    ":20:HPT2609030075", ":28D:1/1", ":50H:/DE89370400440532013000", "HARTMANN PRAEZISIONSTECHNIK GMBH",
    "STUTTGART DE", ":30:260903", ":21:HPT-TX-9", ":32B:EUR4500,00", ":57A:INGBNL2A",
    ":59:/NL91ABNA0417164300", "VAN DER BERG BLOEMEN BV", "AALSMEER NL", ":71A:SHA"]),
    "30 execution date '269903' is not a date", replace(":30:260903", ":30:269903"))

# -- writing -----------------------------------------------------------------------------------------

X_CHARSET = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ \n{}")
LABEL_COLUMNS = ["file", "family", "version", "expected", "entity", "category", "valid", "why"]


def check_mt(file: str, text: str) -> None:
    """A valid MT here keeps to the X character set and 35-character narrative lines."""
    body = text[text.index("{4:\n") + 4 : text.index("\n-}")]
    bad = set(body) - X_CHARSET
    assert not bad, f"{file}: characters outside the X set: {bad}"
    for line in body.split("\n"):
        content = line.split(":", 2)[2] if line.startswith(":") and line.count(":") >= 2 else line
        assert len(content) <= 35, f"{file}: line over 35 characters: {line!r}"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    rows = []
    for file, family, version, expected, entity, category, content, why, damage in CASES:
        if family.startswith("MT"):
            text = content
            if damage is None:
                check_mt(file, text)
        else:
            text = RENDER[family.split(".cov")[0]](version, content)
        if damage is not None:
            text = damage(text)
            why = f"{why} ({damage.__doc__})"
        (OUT / file).write_text(text, encoding="utf-8")
        rows.append({"file": file, "family": family, "version": version, "expected": expected,
                     "entity": entity, "category": category, "valid": "no" if damage else "yes", "why": why})
    assert len({r["file"] for r in rows}) == len(rows), "duplicate file names"
    with (HERE / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# Payments development set: one row per message in messages/. expected = the decision under\n"
            "# the US (OFAC) regime; entity = dataset:source_id of the listed entry a stop must cite (| between\n"
            "# acceptable ids); valid = no for messages damaged on purpose. Written by build_set.py.\n"
        )
        writer = csv.DictWriter(handle, fieldnames=LABEL_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} messages written to {OUT}")


if __name__ == "__main__":
    main()
