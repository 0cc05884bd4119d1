"""The one screening entry point. CLI, API, batch, payments and monitoring all call :func:`screen`.

A query is the FollowTheMoney-style record of DESIGN.md::

    {"id": "q1", "schema": "Company", "properties": {"name": ["Yongxin Zhicheng"], "country": ["cn"],
     "registrationNumber": ["91110108562135265P"]}}

and the result names the decision (``block`` | ``review`` | ``clear``), at most ``limit``
results at or above the review threshold, best first, each with its list snapshot and an
explanation of every number that produced its score.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import threading
import types
from dataclasses import dataclass, field
from typing import Any

from proscribe import settings
from proscribe.index.compiled import KIND_LABEL, CompiledIndex, EntityRecord, build_index
from proscribe.match.commonness import name_information
from proscribe.match.config import MatchConfig, load_config
from proscribe.match.engine import Matcher, NameHit, window_count
from proscribe.model import SCHEMATA
from proscribe.text import names as name_text
from proscribe.text.identifiers import normalise_country, normalise_identifier
from proscribe.text.names import clean
from proscribe.text.render import MAX_RENDER_CHARS

_log = logging.getLogger(__name__)

ENGINE_VERSION = "1.0"

#: Query properties read as identifiers, with the identifier type each one means.
IDENTIFIER_PROPERTIES: dict[str, str | None] = {
    "idNumber": "national_id",
    "passportNumber": "passport",
    "registrationNumber": "registration",
    "taxNumber": "tax_id",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "leiCode": "lei",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "swiftBic": "swift_bic",
    "website": "website",
    "email": "email",
    "phone": "phone",
    "cryptoWallet": "crypto",
    "cryptoWallets": "crypto",
    "uscCode": "uscc",
}
KNOWN_PROPERTIES = frozenset(
    {"name", "alias", "weakAlias", "previousName", "firstName", "lastName", "middleName", "birthDate",
     "nationality", "citizenship", "country", "jurisdiction", "address", "birthPlace", "gender", "notes",
     "flag", "topics", "incorporationDate", "position"} | set(IDENTIFIER_PROPERTIES)
)
MAX_VALUES = 50
MAX_VALUE_CHARS = 1000
NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")


class QueryError(ValueError):
    """A query that cannot be screened; the message says what and where."""


def _check_name_length(raw: str, name: str, schema: str, prop: str, position: str) -> None:
    """Refuse a name too long to screen in the bounded number of windows (never cut it)."""
    if len(raw) > MAX_RENDER_CHARS:
        raise QueryError(
            f"{position}: property {prop!r}: the name is too long to screen ({len(raw):,} characters; "
            f"at most {MAX_RENDER_CHARS:,}); send its parts as separate names"
        )
    cfg = load_config()
    words, windows = window_count(name, schema, cfg)
    if windows > cfg.max_windows:
        most = cfg.window_tokens + (cfg.max_windows - 1) * cfg.window_step
        raise QueryError(
            f"{position}: property {prop!r}: the name is too long to screen ({words} words or tokens; "
            f"at most about {most}); send its parts as separate names"
        )


@dataclass
class Query:
    id: str
    schema: str
    names: list[str]
    birth_dates: list[str]
    countries: set[str]
    identifiers: list[tuple[str, str, str]]  # (property, type, value)
    gender: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    raw_names: dict[str, str] = field(default_factory=dict)  # screened name -> the name as received


def parse_query(data: Any, position: str = "query") -> Query:
    """Validate a query record; raise :class:`QueryError` naming the offending field."""
    if not isinstance(data, dict):
        raise QueryError(f"{position}: expected a JSON object, got {type(data).__name__}")
    qid = data.get("id")
    if qid is None:
        qid = ""
    if not isinstance(qid, (str, int)):
        raise QueryError(f"{position}: 'id' must be a string")
    schema = data.get("schema", "LegalEntity")
    if schema not in SCHEMATA:
        raise QueryError(f"{position}: unknown schema {schema!r}; use one of {', '.join(SCHEMATA)}")
    props = data.get("properties", {})
    if not isinstance(props, dict):
        raise QueryError(f"{position}: 'properties' must be an object of lists")
    clean_props: dict[str, list[str]] = {}
    raw_names: dict[str, str] = {}  # each screened name as received (its disguises are named)
    for key, values in props.items():
        if key not in KNOWN_PROPERTIES:
            raise QueryError(f"{position}: unknown property {key!r}")
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, (str, int, float)) for v in values):
            raise QueryError(f"{position}: property {key!r} must be a list of strings")
        if len(values) > MAX_VALUES:
            raise QueryError(f"{position}: property {key!r} has {len(values)} values (at most {MAX_VALUES})")
        cleaned = []
        for value in values:
            is_name = key in NAME_PROPERTIES
            text = clean(str(value)) if is_name else str(value).strip()
            if len(str(value)) > MAX_VALUE_CHARS and key not in (*NAME_PROPERTIES, "address", "notes"):
                raise QueryError(f"{position}: property {key!r} value longer than {MAX_VALUE_CHARS} characters")
            if is_name and text:
                _check_name_length(str(value), text, schema, key, position)
                cleaned.append(text)  # never cut: a long name is screened in windows
                raw_names.setdefault(text, str(value))
            elif text:
                cleaned.append(text[:MAX_VALUE_CHARS])
        clean_props[key] = cleaned
    names = clean_props.get("name", []) + clean_props.get("alias", []) + clean_props.get("previousName", [])
    names += clean_props.get("weakAlias", [])
    if not names and (clean_props.get("firstName") or clean_props.get("lastName")):
        parts = clean_props.get("firstName", [])[:1] + clean_props.get("middleName", [])[:1] + clean_props.get("lastName", [])[:1]
        names = [" ".join(parts)]
    identifiers = [
        (key, kind or "other", value)
        for key, kind in IDENTIFIER_PROPERTIES.items()
        for value in clean_props.get(key, [])
    ]
    if not any(any(ch.isalnum() for ch in n) for n in names) and not identifiers:
        raise QueryError(f"{position}: a query needs a name (with letters or digits) or an identifier")
    countries = set()
    for key in ("nationality", "citizenship", "country", "jurisdiction", "flag"):
        for value in clean_props.get(key, []):
            code = normalise_country(value)
            if code:
                countries.add(code)
    genders = {g.lower() for g in clean_props.get("gender", []) if g.lower() in ("male", "female")}
    gender = genders.pop() if len(genders) == 1 else None
    return Query(
        str(qid), schema, names, clean_props.get("birthDate", []), countries, identifiers, gender=gender,
        raw=data, raw_names=raw_names,
    )


# -- index lifecycle --------------------------------------------------------------------------------

_lock = threading.Lock()
_cached: tuple[str, CompiledIndex] | None = None


def _signature(current: dict, derived_state: str) -> str:
    """Which store and which of its snapshots an index was compiled from."""
    text = "|".join(f"{d}:{s.id}:{s.source_sha256}" for d, s in sorted(current.items()))
    return hashlib.sha256(f"{settings.database_url()}|{text}|{derived_state}".encode()).hexdigest()[:16]


def _derived_state() -> str:
    """A fingerprint of the stored ownership-derived designations (empty when there are none)."""
    from sqlalchemy import func, select

    from proscribe.ownership.store import derived_table
    from proscribe.store.db import connect

    with connect().connect() as conn:
        count, latest = conn.execute(
            select(func.count(), func.max(derived_table.c.computed_at)).select_from(derived_table)
        ).one()
    return f"{count}:{latest}" if count else ""


def _derived_entities() -> tuple[list, dict]:
    """Entities blocked through ownership or control, under every regime computed."""
    from proscribe.ownership import derived_entities
    from proscribe.ownership.regime import REGIME_NAMES

    entities = []
    for regime in REGIME_NAMES:
        entities.extend(derived_entities(regime))
    summary = {"id": 0, "published": None, "sha256": "", "reconstructed": False,
               "label": f"derived_ownership ({len(entities)} derived designations)"}
    return entities, summary


def get_index(*, rebuild: bool = False, refresh: bool = False) -> CompiledIndex:
    """The index for the store's current snapshots: from memory, from disk, or built now.

    Once loaded, the in-memory index is returned without touching the store; ``refresh=True``
    checks the store for newer snapshots (after an import or update, on a service reload) and
    ``rebuild=True`` compiles anew even when a persisted index exists.
    """
    global _cached
    from proscribe import bundled
    from proscribe.store import snapshots as snapshot_store

    if _cached is not None and not rebuild and not refresh:
        return _cached[1]
    with _lock:
        current = snapshot_store.current_snapshots()
        if bundled.ensure_loaded():  # every bundled dataset without a snapshot; one query when none
            current = snapshot_store.current_snapshots()
        derived_state = _derived_state()
        signature = _signature(current, derived_state)
        if _cached is not None and _cached[0] == signature and not rebuild:
            return _cached[1]
        from proscribe.index import files as index_files

        path = _index_path(signature)
        # loaded only when its sha256 is the one recorded at save; otherwise rebuilt, never trusted
        index = None if rebuild or path is None else index_files.load_index(path)
        if index is None:
            entities = {ds: snapshot_store.load_entities(snap.id) for ds, snap in current.items()}
            summaries = {
                ds: {"id": snap.id, "published": snap.published, "sha256": snap.source_sha256,
                     "reconstructed": snap.reconstructed, "label": snap.label}
                for ds, snap in current.items()
            }
            if derived_state:
                derived, summary = _derived_entities()
                entities["derived_ownership"] = derived
                summaries["derived_ownership"] = summary
            index = build_index(entities, summaries)
            if path is not None:  # else screening goes on from memory; the next start rebuilds
                index_files.save_index(index, path)
        _cached = (signature, index)
        _freeze_heap()
        return index


def _index_path(signature: str):
    """Where the index of ``signature`` is kept, or None (with a warning saying why) when the
    index folder cannot be made: a read-only home still screens, from an index built in memory."""
    try:
        return settings.index_dir() / f"index-{signature}.npz"
    except OSError as exc:
        _log.warning(
            "the index folder %s cannot be used (%s); screening from an index built in memory, "
            "which is built again on the next start",
            settings.home() / "index",
            exc.strerror or exc,
        )
        return None


def _freeze_heap() -> None:
    """Move the (large, immutable) index out of the garbage collector's sight: a full collection
    would otherwise walk millions of index objects and stall a query for a quarter second."""
    import gc

    gc.freeze()


def cached_index() -> CompiledIndex | None:
    """The index this process holds now, if any (the service swaps its own against it)."""
    return _cached[1] if _cached else None


def cached_index_file():
    """The persisted file of the index held now, if it came from one."""
    if not _cached or _cached[0] == "explicit":
        return None
    path = settings.home() / "index" / f"index-{_cached[0]}.npz"
    return path if path.exists() else None


def replace_cached(index: CompiledIndex) -> None:
    """Cache ``index`` under the signature held now: the same store state read anew (a forced
    service reload), so that the next refresh finds it current rather than changed."""
    global _cached
    with _lock:
        if _cached is not None:
            _cached = (_cached[0], index)


def set_index(index: CompiledIndex) -> None:
    """Use ``index`` for screening in this process (tests, the API's atomic reload)."""
    global _cached
    with _lock:
        _cached = ("explicit", index)
        _freeze_heap()


_matchers: dict[tuple[int, MatchConfig], Matcher] = {}


def _matcher(index: CompiledIndex, cfg: MatchConfig) -> Matcher:
    """One matcher per (index, configuration), so its token cache lives across queries."""
    key = (id(index), cfg)
    found = _matchers.get(key)
    if found is None or found.index is not index:
        if len(_matchers) > 8:
            _matchers.clear()
        found = _matchers[key] = Matcher(index, cfg)
    return found


# -- scoring ----------------------------------------------------------------------------------------

def _date_evidence(query_dates: list[str], list_dates: tuple[str, ...], cfg: MatchConfig) -> tuple[float, str | None]:
    valid_q = [d for d in query_dates if _valid_date(d)]
    if not valid_q or not list_dates:
        return 0.0, None
    best = None
    for q in valid_q:
        for item in list_dates:
            if len(q) >= 10 and len(item) >= 10 and q[:10] == item[:10]:
                return cfg.birth_date_exact_bonus, f"birth date {q} matches"
            if q[:4] == item[:4]:
                best = (cfg.birth_year_match_bonus, f"birth year {q[:4]} matches")
    if best:
        return best
    years_q = {int(q[:4]) for q in valid_q}
    years_l = {int(d[:4]) for d in list_dates if d[:4].isdigit()}
    if years_l and all(min(abs(a - b) for b in years_l) > 1 for a in years_q):
        return -cfg.birth_date_mismatch_penalty, f"birth date {valid_q[0]} differs from listed {', '.join(list_dates[:3])}"
    return 0.0, None


def _valid_date(text: str) -> bool:
    from proscribe.sources.base import parse_date

    parsed = parse_date(text)
    return parsed is not None and parsed[:4] == text[:4]


def _country_evidence(query_countries: set[str], record: EntityRecord, cfg: MatchConfig) -> tuple[float, str | None]:
    if not query_countries or not record.countries:
        return 0.0, None
    shared = query_countries & record.countries
    if shared:
        return cfg.country_match_bonus, f"country {', '.join(sorted(shared))} matches"
    return -cfg.country_mismatch_penalty, (
        f"country {', '.join(sorted(query_countries))} differs from listed {', '.join(sorted(record.countries))}"
    )


@dataclass
class _Candidate:
    entity: int
    name: NameHit | None = None
    id_hits: list[dict] = field(default_factory=list)
    strong: bool = False


def _shape_warnings(prop: str, kind: str, value: str) -> list[str]:
    """Say so when a number has the shape of a checked identifier but fails its check (a USCC
    with a wrong check character given as a plain registration number)."""
    from proscribe.text.identifiers import clean_document_number, validate_uscc

    if kind not in ("registration", "tax_id", "other", "national_id"):
        return []
    code = clean_document_number(value)
    if len(code) == 18 and code[2:8].isdigit() and code[0] in "123456789ABCDGNY":
        valid, reason = validate_uscc(code)
        if not valid and reason:
            return [f"{prop} {value!r} looks like a Chinese USCC but is invalid: {reason}; not matched"]
    return []


def screen(
    query: dict[str, Any] | Query,
    *,
    datasets: list[str] | None = None,
    threshold: float | None = None,
    limit: int | None = None,
    index: CompiledIndex | None = None,
    config: MatchConfig | None = None,
    regime: str | None = None,
) -> dict[str, Any]:
    """Screen one query; returns the DESIGN.md result shape. Raises :class:`QueryError` for a bad query.

    ``regime`` (ofac by default, eu, uk) selects which ownership-and-control results take part:
    entities blocked through ownership under that regime appear with dataset ``derived_ownership``.

    ``threshold`` never changes the decision: it is decided with the configured thresholds, and
    the caller's threshold then only filters which weaker results are listed
    (:func:`list_results`). Entry points that keep a screening record screen without it and
    record the full outcome before filtering.
    """
    q = query if isinstance(query, Query) else parse_query(query)
    index = index or get_index()
    cfg = config or load_config()
    limit = limit or cfg.limit
    matcher = _matcher(index, cfg)
    wanted = set(datasets) if datasets else None
    regime = (regime or "ofac").lower()

    def allowed(record: EntityRecord) -> bool:
        if record.derived is not None and record.derived.get("regime") != regime:
            return False  # ownership results of another regime
        return wanted is None or record.dataset in wanted or (
            record.derived is not None and "derived_ownership" in wanted
        )


    candidates: dict[int, _Candidate] = {}
    warnings: list[str] = []
    invalid_identifiers: list[str] = []
    for name in q.names:
        words, windows = window_count(name, q.schema, cfg)
        if windows:
            warnings.append(
                f"name has {words} words: screened whole and in {windows} overlapping windows of "
                f"{cfg.window_tokens} words"
            )
    for prop, kind, value in q.identifiers:
        country = next(iter(q.countries)) if len(q.countries) == 1 else None
        for norm in normalise_identifier(kind, value, country):
            if norm.valid is False:
                invalid_identifiers.append(f"{prop} {value!r}")
                if norm.reason:
                    warnings.append(f"{prop} {value!r} is invalid: {norm.reason}")
                continue
            for entity_idx, id_type, strong, list_valid, list_value in index.identifiers.get(norm.key, ()):
                record = index.entities[entity_idx]
                if not allowed(record):
                    continue
                cand = candidates.setdefault(entity_idx, _Candidate(entity_idx))
                same_key = [h for h in cand.id_hits if h["key"] == norm.key]
                if same_key:
                    continue
                is_strong = bool(norm.strong and strong and list_valid)
                cand.id_hits.append({"property": prop, "value": value, "key": norm.key, "type": id_type,
                                     "listed_value": list_value, "strong": is_strong})
                cand.strong = cand.strong or is_strong
        shape = _shape_warnings(prop, kind, value)
        if shape:
            invalid_identifiers.append(f"{prop} {value!r}")
        warnings.extend(shape)
    warnings = list(dict.fromkeys(warnings))

    # Names after identifiers: a name form that cannot reach the floor is not scored, except for
    # an entry an identifier found (its explanation keeps whatever name evidence there is).
    floor = cfg.review - cfg.birth_date_exact_bonus - cfg.country_match_bonus - cfg.weak_bonus
    found_by_id = set(candidates)
    for entity_idx, hit in matcher.match_names(q.names, q.schema, allowed, floor, found_by_id).items():
        candidates.setdefault(entity_idx, _Candidate(entity_idx)).name = hit

    # strong identifiers decide alone only when unique within their dataset
    results = []
    for cand in candidates.values():
        if not cand.id_hits and (cand.name is None or cand.name.score < floor):
            continue  # cannot reach the review threshold: no result to explain
        record = index.entities[cand.entity]
        results.append(_result(cand, record, q, index, cfg, candidates))
    results = [r for r in results if r["score"] >= cfg.review]
    results.sort(key=lambda r: (-r["score"], r["id"]))
    results = results[:limit]
    if any(r["match"] for r in results):
        decision = "block"
    elif results:
        decision = "review"
    elif invalid_identifiers and not any(any(ch.isalnum() for ch in n) for n in q.names):
        # An identifier-only query whose identifier fails its check (a mistyped, or disguised,
        # number) gives no evidence either way: a person must look, it is never cleared.
        decision = "review"
        warnings.append(
            f"identifier-only query with an invalid identifier ({', '.join(invalid_identifiers)}): review"
        )
    else:
        decision = "clear"
    out = {"id": q.id, "decision": decision, "results": results}
    if warnings:
        out["warnings"] = warnings
    return list_results(out, threshold)


def list_results(out: dict[str, Any], threshold: float | None) -> dict[str, Any]:
    """A screening outcome as listed for a caller who gave its own ``threshold``.

    The decision is the configured one and stays as it is. The threshold filters only results
    that do not make the decision: the top result (the one that decides, with any tie) and
    every blocking result are always listed, whatever the threshold; other results below it are
    left out and
    counted under ``not_listed``. A threshold below the configured review threshold lists
    nothing more: results below review are not reported at all.
    """
    if threshold is None or not out.get("results"):
        return out
    results = out["results"]
    top = results[0]["score"]
    listed = [r for r in results if r["match"] or r["score"] >= min(threshold, top)]
    if len(listed) == len(results):
        return out
    shown = dict(out)
    shown["results"] = listed
    shown["not_listed"] = {"threshold": threshold, "results": len(results) - len(listed)}
    return shown


def _noise_undone(hit: NameHit, cfg: MatchConfig) -> list[str]:
    """The words around a name that are never names ("PAYMENT TO ... REF 20931") and that the
    match weighed low instead of letting them hide it: said in the explanation like any other
    disguise undone."""
    aligned = {query for query, *_ in hit.alignment}
    noise = [t for t in dict.fromkeys(hit.query_form.split()) if t not in aligned and (t in cfg.noise_words or t.isdigit())]
    return [f"noise words weighed low ({', '.join(noise)})"] if noise else []


def _result(cand: _Candidate, record: EntityRecord, q: Query, index: CompiledIndex, cfg: MatchConfig,
            candidates: dict[int, _Candidate]) -> dict[str, Any]:
    explanation: dict[str, Any] = {"thresholds": {"review": cfg.review, "block": cfg.block}}
    name_score = cand.name.score if cand.name else 0.0
    matched_name = None
    if cand.name:
        form = cand.name.form
        matched_name = index.form_text[form]
        explanation["name"] = {
            "query_name": cand.name.query_name,
            "matched_name": matched_name,
            "name_kind": KIND_LABEL[int(index.form_kind[form])],
            "method": cand.name.method,
            "aligned_tokens": [
                {"query": q, "list": f, "similarity": round(sim, 3), "how": how} for q, f, sim, how in cand.name.alignment
            ],
            "query_coverage": round(cand.name.coverage_query, 3),
            "list_name_coverage": round(cand.name.coverage_list, 3),
            "score": round(name_score, 3),
        }
        if cand.name.derived:
            explanation["name"]["query_form"] = cand.name.query_form
            explanation["name"]["query_form_derived"] = cand.name.derived
        undone = name_text.disguises(q.raw_names.get(cand.name.query_name, cand.name.query_name))
        undone = [*undone, *_noise_undone(cand.name, cfg)]
        if undone:
            explanation["name"]["disguises_undone"] = undone
    adjustments = []
    score = name_score
    by_identifier = False
    mismatch = cand.name.schema_mismatch if cand.name and name_score > 0 else None
    if mismatch:
        # a declared type may lower a score, never remove a candidate (see the end of this function)
        delta = -cfg.schema_mismatch_penalty
        adjustments.append({"feature": "schema", "delta": delta,
                            "detail": f"declared a {q.schema}, matches a listed {mismatch}"})
        score += delta
    if cand.name and name_score > 0:
        delta, why = _date_evidence(q.birth_dates, record.birth_dates, cfg)
        if why:
            adjustments.append({"feature": "birth_date", "delta": delta, "detail": why})
            score += delta
        delta, why = _country_evidence(q.countries, record, cfg)
        if why:
            adjustments.append({"feature": "country", "delta": delta, "detail": why})
            score += delta
        if q.gender and record.genders and q.gender not in record.genders:
            delta = -cfg.gender_mismatch_penalty
            adjustments.append({"feature": "gender", "delta": delta,
                                "detail": f"gender {q.gender} differs from listed {', '.join(sorted(record.genders))}"})
            score += delta
    if cand.id_hits:
        strong_hits = [h for h in cand.id_hits if h["strong"]]
        unique = all(
            sum(1 for e, *_ in index.identifiers.get(h["key"], ()) if index.entities[e].dataset == record.dataset) == 1
            for h in strong_hits
        )
        explanation["identifiers"] = cand.id_hits
        if strong_hits and unique:
            adjustments.append({"feature": "identifier", "delta": round(cfg.strong_score - score, 3),
                                "detail": f"strong identifier {strong_hits[0]['key']} matches exactly"})
            score = cfg.strong_score
            by_identifier = True
        else:
            if name_score >= cfg.review:
                score += cfg.weak_bonus
                adjustments.append({"feature": "identifier", "delta": cfg.weak_bonus,
                                    "detail": f"identifier {cand.id_hits[0]['key']} matches"})
            elif score < cfg.weak_alone_score:
                adjustments.append({"feature": "identifier", "delta": round(cfg.weak_alone_score - score, 3),
                                    "detail": f"identifier {cand.id_hits[0]['key']} matches without a name match: review"})
                score = cfg.weak_alone_score
    score = max(0.0, min(1.0, score))
    if score >= cfg.block and cand.name and not by_identifier:
        score = _block_discipline(cand, record, index, cfg, adjustments, explanation, score)
    if mismatch and not any(h["strong"] for h in cand.id_hits):
        if name_score >= cfg.block:
            score = max(score, cfg.review)  # a strong name match of another schema: a person must look
        score = min(score, cfg.block - 0.01)  # ... and never blocks on its name alone
    if cand.name and int(index.form_kind[cand.name.form]) == 3 and not any(h["strong"] for h in cand.id_hits):
        score = min(score, cfg.block - 0.01)  # a weak alias alone can alert, never block
    if record.derived is not None:
        explanation["ownership"] = record.derived
        if record.derived.get("status") != "block":
            score = min(score, cfg.block - 0.01)  # uncertain ownership evidence: review, never block
    explanation["adjustments"] = adjustments
    explanation["score"] = round(score, 3)
    snapshot = index.snapshots.get(record.dataset, {})
    result = {
        "id": record.id,
        "dataset": record.dataset,
        "source_id": record.source_id,
        "caption": record.caption,
        "schema": record.schema,
        "score": round(score, 3),
        "match": score >= cfg.block,
        "matched_name": matched_name,
        "programs": list(record.programs),
        "snapshot": snapshot.get("label"),
        "explanation": explanation,
    }
    if record.derived:
        result["derived"] = record.derived
    return result


def corroboration(adjustments: list[dict], cfg: MatchConfig) -> tuple[float, list[str]]:
    """The information the record's other evidence adds to a name: what agrees (a birth date or
    year, a country, an identifier), read from the score adjustments made for it."""
    total, parts = 0.0, []
    for item in adjustments:
        if item["delta"] <= 0:
            continue
        feature = item["feature"]
        if feature == "birth_date":
            exact = item["delta"] >= cfg.birth_date_exact_bonus
            total += cfg.birth_date_information if exact else cfg.birth_year_information
            parts.append("birth date" if exact else "birth year")
        elif feature == "country":
            total += cfg.country_information
            parts.append("country")
        elif feature == "identifier":
            total += cfg.identifier_information
            parts.append("identifier")
    return total, parts


def _block_discipline(cand: _Candidate, record: EntityRecord, index: CompiledIndex, cfg: MatchConfig,
                      adjustments: list[dict], explanation: dict, score: float) -> float:
    """A blocking score stays blocking only when the matched name says who it is, alone or with
    the record's corroborating evidence ([decision] in match/matching.toml); otherwise review."""
    info = name_information(cand.name, index, cfg, cfg.noise_words)
    need = cfg.block_min_information if record.schema == "Person" else cfg.block_min_information_entity
    extra, parts = corroboration(adjustments, cfg)
    if "name" in explanation:
        explanation["name"]["information"] = {
            "total": info.total, "needed_to_block_alone": need, "tokens": info.tokens,
        }
    if info.enough(need):
        return score
    if extra > 0 and info.total + extra >= need:
        explanation["name"]["information"]["corroborated_by"] = parts
        return score
    # below block, keeping the order of the scores it had (a contradicting attribute still lowers it)
    capped = cfg.block - 0.01 - (1.0 - min(score, 1.0)) * cfg.common_name_span / (1.0 - cfg.block)
    capped = round(max(cfg.review, capped), 3)
    detail = info.reason(need)
    if extra > 0:
        detail += f" (with {', '.join(parts)}: {info.total + extra:.1f})"
    adjustments.append({"feature": "common_name", "delta": round(capped - score, 3), "detail": detail})
    return capped


def screen_many(queries: list[dict[str, Any]], **kwargs) -> list[dict[str, Any]]:
    """Screen a batch; a bad query gives an error line in its place, the rest complete."""
    out = []
    for number, data in enumerate(queries, start=1):
        try:
            query = parse_query(data, position=f"query {number}")
            out.append(screen(query, **kwargs))
        except QueryError as exc:
            qid = data.get("id") if isinstance(data, dict) else None
            out.append({"id": qid, "decision": "error", "error": str(exc), "results": []})
    return out


class _CallableModule(types.ModuleType):
    """``proscribe.screen(query)`` is the public Python API, the same as
    ``proscribe.screen.screen(query)``: the module is callable so that the short form works
    while ``from proscribe.screen import get_index`` keeps working too."""

    def __call__(self, query, **kwargs):
        return screen(query, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
