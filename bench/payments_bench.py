"""Payment screening benchmark: pacs.008 messages per second on one core, latency, free-text cost.

    .venv/bin/python bench/payments_bench.py [--messages 5000] [--seed 11] [--json bench/out/payments_bench.json]

Workload (seeded): pacs.008.001.08 messages written the way a bank's outgoing flow looks, each
with 8 parties (debtor, creditor, ultimate debtor, ultimate creditor, initiating party, debtor
agent, creditor agent, intermediary agent), structured and unstructured addresses, remittance
information and an instruction to the next agent. Debtors and initiating parties come from a
pool of 800 customers, creditors and ultimate parties from 6,000 counterparties (companies and
persons, many countries), agents from 120 BICs; 1% of the messages pay a listed name, 1% carry a
listed name inside the remittance text, 0.5% an address in Crimea.

Measured in one process pinned to one core, after loading the index and building the free-text
automaton (both reported): for each message, parsing + deciding (every party, agent, address
and free-text field screened through ``proscribe.screen.screen``), timed with perf_counter.
Then the same with recording into the SQLite register, on a fresh store: one message at a time
(``register.process``: latency), and as the CLI does it (``register.process_many``, chunks of 64
decided, then recorded in one transaction: throughput). Each of the three parts runs in its own
fresh process, so no cache (the screening cache, name normalisation) carries over between them.
The free-text cost is reported apart: the automaton scan alone, and scan + confirmation.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

COMPANY_A = [
    "Blue",
    "North",
    "Silver",
    "Green",
    "Harbor",
    "Summit",
    "Cedar",
    "Granite",
    "Maple",
    "Coastal",
    "Prairie",
    "Alpine",
    "Lakeside",
    "Riverside",
    "Oak",
    "Westfield",
    "Eastgate",
    "Redwood",
    "Highland",
    "Bayview",
    "Sunridge",
    "Ironwood",
    "Brightwater",
    "Stonebridge",
    "Kestrel",
    "Marlow",
    "Fairhaven",
    "Ashford",
]
COMPANY_B = [
    "Logistics",
    "Foods",
    "Textiles",
    "Software",
    "Engineering",
    "Medical Supplies",
    "Packaging",
    "Furniture",
    "Automotive Parts",
    "Chemicals",
    "Consulting",
    "Printing",
    "Electronics",
    "Plastics",
    "Dairy",
    "Timber",
    "Ceramics",
    "Pharma",
    "Freight",
    "Optics",
    "Garden Centre",
    "Bakery",
    "Hardware",
    "Tooling",
]
LEGAL = [
    "Ltd",
    "GmbH",
    "S.A.",
    "B.V.",
    "Inc.",
    "LLC",
    "S.r.l.",
    "AB",
    "Oy",
    "SAS",
    "plc",
    "Pty Ltd",
    "Sp. z o.o.",
    "A/S",
]
FIRST = [
    "Anna",
    "Lukas",
    "Maria",
    "James",
    "Sofia",
    "Mateo",
    "Emma",
    "Noah",
    "Olivia",
    "Liam",
    "Chiara",
    "Pierre",
    "Ingrid",
    "Tomasz",
    "Yuki",
    "Priya",
    "Carlos",
    "Fatima",
    "Hannah",
    "Jonas",
    "Elena",
    "Marco",
    "Aisha",
    "Daniel",
]
LAST = [
    "Muller",
    "Rossi",
    "Dubois",
    "Smith",
    "Garcia",
    "Kowalski",
    "Johansson",
    "Novak",
    "Tanaka",
    "Sharma",
    "Silva",
    "Jensen",
    "Kaplan",
    "Moreau",
    "Costa",
    "Weber",
    "Lindqvist",
    "Horvath",
    "Okafor",
    "Brennan",
    "Fischer",
]
PLACES = [
    ("DE", "Hamburg", "20457"),
    ("FR", "Lyon", "69002"),
    ("IT", "Milano", "20121"),
    ("ES", "Valencia", "46001"),
    ("NL", "Utrecht", "3511"),
    ("GB", "Leeds", "LS1 4AP"),
    ("US", "Chicago", "60611"),
    ("SE", "Malmo", "21120"),
    ("PL", "Gdansk", "80-827"),
    ("BR", "Curitiba", "80010"),
    ("JP", "Osaka", "530-0001"),
    ("IN", "Pune", "411001"),
    ("CA", "Calgary", "T2P 1J9"),
    ("AU", "Perth", "6000"),
    ("TR", "Izmir", "35210"),
    ("MX", "Monterrey", "64000"),
]
STREETS = [
    "Main Street",
    "Hafenstrasse",
    "Rue de la Republique",
    "Via Roma",
    "Calle Mayor",
    "Market Street",
    "Kungsgatan",
    "Ulica Dluga",
    "Avenida Paulista",
    "King Street",
    "Station Road",
]
REMIT = [
    "Invoice {n} {what}",
    "PO {n} {what}, second instalment",
    "Payment for {what} per contract {n}",
    "Ref {n} {what} delivered to {city} plant",
    "Settlement of invoices {n} and {m}: {what}",
]
WHAT = [
    "spare parts",
    "consulting services",
    "freight charges",
    "office furniture",
    "software licences",
    "packaging",
    "maintenance Q3",
    "raw materials",
    "laboratory equipment",
    "marketing services",
    "rent October",
]
BANKS = [
    "DEUTDEFF",
    "COBADEFF",
    "BNPAFRPP",
    "SOGEFRPP",
    "UNCRITMM",
    "BBVAESMM",
    "ABNANL2A",
    "INGBNL2A",
    "BARCGB22",
    "NWBKGB2L",
    "CHASUS33",
    "CITIUS33",
    "BOFAUS3N",
    "ESSESESS",
    "NDEASESS",
    "PKOPPLPW",
    "ITAUBRSP",
    "MHCBJPJT",
    "HDFCINBB",
    "ROYCCAT2",
    "ANZBAU3M",
    "TGBATRIS",
    "BNMXMXMM",
    "RZBAATWW",
    "UBSWCHZH",
    "KBCBBEBB",
]
LISTED = [
    "INTEGRITY TECHNOLOGY GROUP, INCORPORATED",
    "MAHAN AIR",
    "BANCO NACIONAL DE CUBA",
    "Sina Bank",
    "Beijing Integrity Technology Company Limited",
]


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_pools(rng: random.Random):
    def company():
        return f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)} {rng.choice(LEGAL)}"

    def person():
        return (
            f"{rng.choice(FIRST)} {rng.choice(FIRST) + ' ' if rng.random() < 0.3 else ''}{rng.choice(LAST)}"
        )

    def party(name):
        country, town, postcode = rng.choice(PLACES)
        return {
            "name": name,
            "country": country,
            "town": town,
            "postcode": postcode,
            "street": rng.choice(STREETS),
            "building": str(rng.randint(1, 180)),
            "lines": rng.random() < 0.3,
        }

    customers = [party(company()) for _ in range(800)]
    counterparties = [party(company() if rng.random() < 0.7 else person()) for _ in range(6000)]
    bics = (
        BANKS
        + [
            f"{''.join(rng.choice('ABCDEFGHKLMNPRSTUVWZ') for _ in range(4))}{c}{rng.choice('23')}{rng.choice('ALMX')}"
            for c in [p[0] for p in PLACES] * 6
        ][:94]
    )
    return customers, counterparties, bics


def party_xml(tag: str, p: dict) -> str:
    if p["lines"]:
        address = (
            f"<PstlAdr><AdrLine>{esc(p['street'])} {p['building']}</AdrLine>"
            f"<AdrLine>{esc(p['postcode'])} {esc(p['town'])}</AdrLine><Ctry>{p['country']}</Ctry></PstlAdr>"
        )
    else:
        address = (
            f"<PstlAdr><StrtNm>{esc(p['street'])}</StrtNm><BldgNb>{p['building']}</BldgNb>"
            f"<PstCd>{esc(p['postcode'])}</PstCd><TwnNm>{esc(p['town'])}</TwnNm><Ctry>{p['country']}</Ctry></PstlAdr>"
        )
    return f"<{tag}><Nm>{esc(p['name'])}</Nm>{address}</{tag}>"


def message(n: int, rng: random.Random, pools) -> str:
    customers, counterparties, bics = pools
    debtor = rng.choice(customers)
    creditor = dict(rng.choice(counterparties))
    remit = rng.choice(REMIT).format(
        n=rng.randint(1000, 99999), m=rng.randint(1000, 99999), what=rng.choice(WHAT), city=creditor["town"]
    )
    roll = rng.random()
    if roll < 0.01:
        creditor["name"] = rng.choice(LISTED)
    elif roll < 0.02:
        remit = f"Charter handling fees, flights operated by {rng.choice(LISTED)}, ref {n}"
    elif roll < 0.025:
        creditor.update(town="Yalta", postcode="298600", country="UA", lines=False)
    ultimate_debtor = {**debtor, "name": debtor["name"].rsplit(" ", 1)[0] + " Holding"}
    ultimate_creditor = rng.choice(counterparties)
    d_bic, c_bic, i_bic = rng.choice(bics), rng.choice(bics), rng.choice(bics[:12])
    amount = f"{rng.randint(100, 250000)}.{rng.randint(0, 99):02d}"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>BENCH-{n:07d}</MsgId><CreDtTm>2026-09-03T10:00:00Z</CreDtTm><NbOfTxs>1</NbOfTxs>
<SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>
<CdtTrfTxInf><PmtId><InstrId>I{n}</InstrId><EndToEndId>E2E-{n}</EndToEndId></PmtId>
<IntrBkSttlmAmt Ccy="EUR">{amount}</IntrBkSttlmAmt><IntrBkSttlmDt>2026-09-03</IntrBkSttlmDt><ChrgBr>SHAR</ChrgBr>
<IntrmyAgt1><FinInstnId><BICFI>{i_bic}</BICFI></FinInstnId></IntrmyAgt1>
{party_xml("UltmtDbtr", ultimate_debtor)}<InitgPty><Nm>{esc(debtor["name"])}</Nm></InitgPty>
{party_xml("Dbtr", debtor)}<DbtrAcct><Id><Othr><Id>{rng.randint(10**9, 10**10)}</Id></Othr></Id></DbtrAcct>
<DbtrAgt><FinInstnId><BICFI>{d_bic}</BICFI></FinInstnId></DbtrAgt>
<CdtrAgt><FinInstnId><BICFI>{c_bic}</BICFI></FinInstnId></CdtrAgt>
{party_xml("Cdtr", creditor)}<CdtrAcct><Id><Othr><Id>{rng.randint(10**9, 10**10)}</Id></Othr></Id></CdtrAcct>
{party_xml("UltmtCdtr", ultimate_creditor)}
<InstrForNxtAgt><InstrInf>/ACC/PLEASE CREDIT VALUE SAME DAY</InstrInf></InstrForNxtAgt>
<RmtInf><Ustrd>{esc(remit)}</Ustrd></RmtInf></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def measure(part: str, args) -> dict:
    """One part of the benchmark, in this process: ``decide`` (parse + decide, free text apart),
    ``single`` (decide + record one message at a time, then replay) or ``chunked`` (the CLI's path)."""
    from proscribe.payments import freetext, parse_bytes
    from proscribe.payments.decide import Screener
    from proscribe.screen import get_index

    started = time.perf_counter()
    index = get_index()
    index_s = time.perf_counter() - started
    started = time.perf_counter()
    automaton = freetext.automaton_for(index)
    automaton_s = time.perf_counter() - started
    rng = random.Random(args.seed)
    pools = make_pools(rng)
    messages = [message(n, rng, pools).encode() for n in range(args.messages)]
    warm = [message(10**6 + n, random.Random(n), pools).encode() for n in range(50)]
    screener = Screener(index)
    for data in warm:  # imports, first-call costs (not the cache: the workload's own names are new)
        screener.decide(parse_bytes(data, "w")[0])
    result: dict = {}

    def run(handle):
        times, cpu_times, decisions = [], [], {}
        for data in messages:
            c0 = time.thread_time()
            t0 = time.perf_counter()
            (payment,) = parse_bytes(data, "bench.xml")
            decision = handle(payment)
            times.append(time.perf_counter() - t0)
            cpu_times.append(time.thread_time() - c0)
            decisions[decision] = decisions.get(decision, 0) + 1
        return times, cpu_times, decisions

    if part == "decide":
        text_times: list[float] = []

        def decide(payment):
            outcome = screener.decide(payment)
            text_times.append(outcome.timings["free_text"])
            return outcome.decision

        times, cpu_times, decisions = run(decide)
        total = sum(times)
        texts = [t.text for data in messages for t in parse_bytes(data, "x")[0].free_text]
        t0 = time.perf_counter()
        for text in texts:
            freetext.candidates(text, index)
        scan_s = time.perf_counter() - t0
        result = {
            "messages": len(messages),
            "parties_per_message": sum(len(p.parties) + len(p.agents) for p in parse_bytes(messages[0], "x")),
            "seed": args.seed,
            "index_load_s": round(index_s, 2),
            "automaton_build_s": round(automaton_s, 2),
            "automaton_patterns": len(automaton),
            "automaton_nodes": len(automaton.goto),
            "decide": {
                "throughput_per_s": round(len(messages) / total, 1),
                "throughput_by_cpu_per_s": round(len(messages) / sum(cpu_times), 1),
                "p50_ms": round(pct(times, 50) * 1000, 2),
                "p95_ms": round(pct(times, 95) * 1000, 2),
                "p99_ms": round(pct(times, 99) * 1000, 2),
                "max_ms": round(max(times) * 1000, 1),
                "cpu_p50_ms": round(pct(cpu_times, 50) * 1000, 2),
                "cpu_p99_ms": round(pct(cpu_times, 99) * 1000, 2),
                "mean_ms": round(statistics.mean(times) * 1000, 3),
                "decisions": decisions,
            },
            "free_text": {
                "fields": len(texts),
                "scan_only_us_per_field": round(scan_s / len(texts) * 1e6, 1),
                "scan_and_confirm_ms_per_message_mean": round(statistics.mean(text_times) * 1000, 3),
                "scan_and_confirm_ms_per_message_p99": round(pct(text_times, 99) * 1000, 3),
                "share_of_decide_time": round(sum(text_times) / total, 3),
            },
        }
        return result
    with tempfile.TemporaryDirectory() as home:
        os.environ["PROSCRIBE_HOME"] = home
        from proscribe.cli_payments import CHUNK
        from proscribe.payments.register import process, process_many
        from proscribe.store.db import connect

        engine = connect(f"sqlite:///{home}/bench.db")
        if part == "single":
            times, cpu_times, decisions = run(lambda p: process(p, screener, engine=engine)["decision"])
            replay_t0 = time.perf_counter()
            for data in messages[:1000]:
                process(parse_bytes(data, "bench.xml")[0], screener, engine=engine)
            replay_s = (time.perf_counter() - replay_t0) / min(1000, len(messages))
            return {
                "decide_and_record_single": {
                    "throughput_per_s": round(len(messages) / sum(times), 1),
                    "throughput_by_cpu_per_s": round(len(messages) / sum(cpu_times), 1),
                    "p50_ms": round(pct(times, 50) * 1000, 2),
                    "p99_ms": round(pct(times, 99) * 1000, 2),
                    "cpu_p99_ms": round(pct(cpu_times, 99) * 1000, 2),
                    "replay_recorded_ms": round(replay_s * 1000, 3),
                    "decisions": decisions,
                }
            }
        wall0, cpu0 = time.perf_counter(), time.thread_time()
        decisions = {}
        for start in range(0, len(messages), CHUNK):
            chunk = [parse_bytes(data, "bench.xml")[0] for data in messages[start : start + CHUNK]]
            for line in process_many(chunk, screener, engine=engine):
                decisions[line["decision"]] = decisions.get(line["decision"], 0) + 1
        wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
        return {
            "decide_and_record_chunked": {
                "chunk": CHUNK,
                "throughput_per_s": round(len(messages) / wall, 1),
                "throughput_by_cpu_per_s": round(len(messages) / cpu, 1),
                "decisions": decisions,
            }
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--core", type=int, default=0)
    parser.add_argument(
        "--part",
        choices=["all", "decide", "single", "chunked"],
        default="all",
        help="all: each part in its own fresh process (no cache carried from one to the next)",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if args.part != "all":
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {args.core})
        print(json.dumps(measure(args.part, args)))
        return
    result: dict = {}
    for part in ("decide", "single", "chunked"):
        command = [
            sys.executable,
            __file__,
            "--part",
            part,
            "--messages",
            str(args.messages),
            "--seed",
            str(args.seed),
            "--core",
            str(args.core),
        ]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["cpu_count"] = os.cpu_count()
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
