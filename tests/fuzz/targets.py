"""Every parser the fuzzer drives, each with the one error it may refuse input with.

A target's ``check`` runs one input through the parser exactly as the product does (a list file
through its format's ``parse`` and ``check_complete``, as the importer calls them; a payment file
through its format's parser and the whole ``parse_bytes``; a book through ``import_book`` on a
real store; an ownership file through ``graph.load``) and raises only when the parser broke its
contract: an exception other than its typed error, or, for payments, no payment at all, or a
``pass`` for a payment that carries a read error. Refusals are the parser doing its job.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"

#: Seconds one input may take before it counts as a hang.
INPUT_SECONDS = 5.0


class Hang(BaseException):  # noqa: N818 - a BaseException so no parser's ``except Exception`` hides it
    """An input that ran past :data:`INPUT_SECONDS`."""


class ContractBroken(AssertionError):
    """The parser answered, but not as its contract says (no payment, a pass it could not read)."""


@dataclass(frozen=True)
class Target:
    name: str
    #: Mutation family in :mod:`mutate`: xml, csv, json, mt, zip, parquet.
    kind: str
    #: File name the input is written under (the parsers read paths and look at the suffix).
    filename: str
    run: Callable[[Path, dict[str, Any]], None]

    @property
    def corpus(self) -> Path:
        return CORPUS / self.name

    def seeds(self) -> list[Path]:
        return sorted(p for p in self.corpus.glob("seed-*") if p.is_file())

    def kind_of(self, seed: Path) -> str:
        """The mutation family for one seed: a target that reads several formats (ownership files
        are CSV, JSON or FtM lines) mutates each seed as what it is."""
        suffix = seed.suffix.lower()
        if self.kind in ("csv", "json") and suffix in (".json", ".jsonl", ".csv"):
            return "csv" if suffix == ".csv" else "json"
        return self.kind

    def corpus_files(self) -> list[Path]:
        return sorted(p for p in self.corpus.iterdir() if p.is_file() and not p.name.startswith("."))


def run_with_limit(
    target: Target, data: bytes, workdir: Path, context: dict[str, Any], seconds: float = INPUT_SECONDS
) -> None:
    """Write ``data`` where the parser reads it and run the target under a wall-clock limit."""
    path = workdir / target.filename
    path.write_bytes(data)

    def _alarm(signum, frame):
        raise Hang(f"{target.name}: input still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        target.run(path, context)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.monotonic() - started
    if elapsed > seconds:  # a C-level stall the alarm could not interrupt
        raise Hang(f"{target.name}: input took {elapsed:.1f} s (limit {seconds:.0f} s)")


_WARM: set[str] = set()


def warm_up(target: Target, workdir: Path, context: dict[str, Any]) -> None:
    """Run the target's seeds once per process with a generous limit: the first parse loads lazy
    tables (territory names, transliteration) that take seconds on a loaded machine, which is not
    the input's doing and must not count as its hang."""
    if target.name in _WARM:
        return
    from proscribe.sources.base import country_code

    country_code("a name in no table")  # loads every territory name once
    for seed in target.seeds():
        run_with_limit(target, seed.read_bytes(), workdir, context, seconds=120)
    _WARM.add(target.name)


# -- list formats ---------------------------------------------------------------------------------


def _list_format(format_name: str) -> Callable[[Path, dict[str, Any]], None]:
    def run(path: Path, context: dict[str, Any]) -> None:
        from proscribe.sources import parser
        from proscribe.sources.base import ListFormatError

        module = parser(format_name)
        try:
            parsed = module.parse(path, "fuzz")
            check_complete = getattr(module, "check_complete", None)
            if check_complete is not None:
                check_complete(path, parsed)
        except ListFormatError:
            return

    return run


# -- payments -------------------------------------------------------------------------------------


def _payments(module_name: str) -> Callable[[Path, dict[str, Any]], None]:
    """The format's own parser and the whole ``parse_bytes`` (which would hide a parser fault as a
    held payment: the format parser is called bare first so such a fault shows)."""

    def run(path: Path, context: dict[str, Any]) -> None:
        import importlib

        from proscribe.payments import Payment, parse_bytes

        data = path.read_bytes()
        module = importlib.import_module(f"proscribe.payments.{module_name}")
        direct = module.parse(data, path.name)
        for payments in (direct, parse_bytes(data, path.name)):
            if not payments or not all(isinstance(p, Payment) for p in payments):
                raise ContractBroken(f"{module_name}: no payment for an input ({len(payments)} returned)")
        screener = context.get("screener")
        if screener is None:
            return
        for payment in direct:
            outcome = screener.decide(payment)
            if payment.errors and outcome.decision == "pass":
                raise ContractBroken(
                    f"{module_name}: pass for a payment it could not read ({payment.errors[0]})"
                )

    return run


# -- the customer book ----------------------------------------------------------------------------


def _book(fmt: str) -> Callable[[Path, dict[str, Any]], None]:
    def run(path: Path, context: dict[str, Any]) -> None:
        from proscribe.cases.book import BookFormatError, import_book

        try:
            import_book(path, fmt=fmt, engine=context["engine"])
        except BookFormatError:
            return

    return run


# -- ownership files ------------------------------------------------------------------------------


def _ownership(path: Path, context: dict[str, Any]) -> None:
    """``graph.load`` never raises for bad content: its refusals are issues on the data."""
    from proscribe.ownership import graph

    graph.load(path)


TARGETS: dict[str, Target] = {
    t.name: t
    for t in [
        Target("ofac_csv", "csv", "sdn.csv", _list_format("ofac_csv")),
        Target("ofac_xml", "xml", "consolidated.xml", _list_format("ofac_xml")),
        Target("ofac_enhanced", "zip", "CONS_ENHANCED.ZIP", _list_format("ofac_enhanced")),
        Target("un_xml", "xml", "consolidated.xml", _list_format("un_xml")),
        Target("uk_ofsi", "zip", "ConList.xlsx", _list_format("uk_ofsi")),
        Target("au_dfat", "zip", "dfat_consolidated.xlsx", _list_format("au_dfat")),
        Target("ca_sema", "xml", "sema.xml", _list_format("ca_sema")),
        Target("eu_fsf", "xml", "eu_fsf.xml", _list_format("eu_fsf")),
        Target("ftm_json", "json", "entities.ftm.json", _list_format("ftm_json")),
        Target("custom_csv", "csv", "list.csv", _list_format("custom_csv")),
        Target("payments/iso20022", "xml", "message.xml", _payments("iso20022")),
        Target("payments/mt", "mt", "message.fin", _payments("mt103")),
        Target("payments/json_form", "json", "message.json", _payments("json_form")),
        Target("book_csv", "csv", "book.csv", _book("csv")),
        Target("book_jsonl", "json", "book.jsonl", _book("jsonl")),
        Target("book_parquet", "parquet", "book.parquet", _book("parquet")),
        Target("ownership", "csv", "ownership.csv", _ownership),
    ]
}
