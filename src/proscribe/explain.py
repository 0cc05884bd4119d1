"""Why a query scores what it scores against one listed entity (``proscribe explain-match``).

Screening keeps the best few candidates; an analyst asking "why did (or didn't) this name hit
that entry?" needs the full account for one pair, even when the entry scored below review. This
module runs the screening code itself on that pair: the query is parsed as screening parses it
(:func:`proscribe.screen.parse_query`), put into the same forms (``Matcher.query_variants``),
each of the entity's list forms is scored with the same scorer (``Matcher.score_form`` and
``Matcher.align``, the same weak-alias and previous-name factors), and the best hit goes through
the same adjustments and decision rules (:func:`proscribe.screen._result`, with the block
discipline). Nothing is re-implemented here but the choice of which forms to score: all of the
entity's, instead of the candidate search's top few. The real screening of the query is run too,
so the account says whether screening returned the entity and at which rank.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from proscribe import screen as screening
from proscribe.index.compiled import KIND_LABEL, KIND_PREVIOUS, KIND_WEAK, CompiledIndex
from proscribe.match.commonness import name_information
from proscribe.match.config import MatchConfig, load_config
from proscribe.match.engine import NameHit, kind_of
from proscribe.model import COMPATIBLE_SCHEMATA
from proscribe.text.names import LEGAL

ROLE_LABEL = {0: "core", 1: "middle", 2: "legal form", 3: "second surname"}


class UnknownEntity(LookupError):
    """No entity of the index has the id asked for."""


def find_entity(index: CompiledIndex, entity_id: str) -> int:
    for number, record in enumerate(index.entities):
        if record.id == entity_id:
            return number
    raise UnknownEntity(f"no listed entity has the id {entity_id!r} (see `proscribe lists show`)")


def explain_match(
    query: str,
    entity_id: str,
    *,
    schema: str = "Person",
    birth_date: str | None = None,
    country: str | None = None,
    index: CompiledIndex | None = None,
    config: MatchConfig | None = None,
) -> dict[str, Any]:
    """The full account of one query name against one listed entity (see the module docstring)."""
    properties: dict[str, list[str]] = {"name": [query]}
    if birth_date:
        properties["birthDate"] = [birth_date]
    if country:
        properties["country"] = [country]
    q = screening.parse_query({"id": "explain", "schema": schema, "properties": properties})
    index = index or screening.get_index()
    cfg = config or load_config()
    matcher = screening._matcher(index, cfg)
    entity_idx = find_entity(index, entity_id)
    record = index.entities[entity_idx]
    form_ids = np.nonzero(np.asarray(index.form_entity) == entity_idx)[0].tolist()

    compatible = COMPATIBLE_SCHEMATA.get(q.schema, COMPATIBLE_SCHEMATA["LegalEntity"])
    if record.schema in compatible:
        kind, mismatch = kind_of(q.schema), None
    else:
        kind, mismatch = kind_of(record.schema), record.schema
    person = record.schema == "Person"
    per_form: dict[int, dict] = {}
    best: NameHit | None = None
    best_weights: list[float] = []
    for name in q.names:
        for form_kind_name, qform, how in matcher.query_variants(name, q.schema):
            if form_kind_name != kind:
                continue
            qtokens = matcher.query_tokens(qform)
            if not qtokens or all(qt.role == LEGAL for qt in qtokens):
                continue
            query_joined = "".join(qt.text for qt in qtokens if qt.role != LEGAL)
            hits = matcher.token_hits(qtokens)
            texts, _, _, has_initials = matcher.query_lists(qtokens)
            weights = [qt.weight_for(kind == "person") for qt in qtokens]
            qlists = (texts, weights, list(qform.roles), has_initials)
            for form_idx in form_ids:
                score, alignment, cov_q, cov_f, method = matcher.score_form(
                    qtokens, query_joined, form_idx, hits, qlists, person, "window" in how
                )
                factor = 1.0
                if index.form_kinds[form_idx] == KIND_WEAK:
                    factor = cfg.weak_alias_factor
                elif index.form_kinds[form_idx] == KIND_PREVIOUS:
                    factor = cfg.previous_name_factor
                raw = score
                score *= factor
                seen = per_form.get(form_idx)
                if seen is None or score > seen["score"]:
                    per_form[form_idx] = {
                        "list_name": index.form_text[form_idx],
                        "list_form": " ".join(index.form_texts[form_idx]),
                        "name_kind": KIND_LABEL[int(index.form_kind[form_idx])],
                        "best_query_form": qform.text,
                        "query_form_derived": how,
                        "score_before_kind_factor": round(raw, 3),
                        "kind_factor": factor,
                        "score": round(score, 3),
                    }
                if best is None or score > best.score:
                    best = NameHit(
                        entity_idx,
                        form_idx,
                        score,
                        name,
                        alignment,
                        cov_q,
                        cov_f,
                        method,
                        schema_mismatch=mismatch,
                        query_form=qform.text,
                        derived=how,
                    )
                    best_weights = weights
    cand = screening._Candidate(entity_idx, name=best if best and best.score > 0 else None)
    result = screening._result(cand, record, q, index, cfg, {cand.entity: cand})
    decision = "block" if result["match"] else "review" if result["score"] >= cfg.review else "clear"

    account: dict[str, Any] = {
        "query": query,
        "schema": q.schema,
        "entity": {
            "id": record.id,
            "caption": record.caption,
            "schema": record.schema,
            "dataset": record.dataset,
            "programs": list(record.programs),
        },
        "forms": sorted(per_form.values(), key=lambda f: -f["score"]),
        "score": result["score"],
        "decision": decision,
        "thresholds": {"review": cfg.review, "block": cfg.block},
        "adjustments": result["explanation"]["adjustments"],
    }
    if cand.name is not None:
        hit = cand.name
        qtexts = hit.query_form.split()
        qweight = dict(zip(qtexts, best_weights))
        account["best"] = {
            "query_form": hit.query_form,
            "query_form_derived": hit.derived,
            "list_name": index.form_text[hit.form],
            "list_form": " ".join(index.form_texts[hit.form]),
            "name_kind": KIND_LABEL[int(index.form_kind[hit.form])],
            "method": hit.method,
            "alignment": [
                {
                    "query": a,
                    "list": b,
                    "similarity": round(sim, 3),
                    "how": how,
                    "query_weight": round(sum(qweight.get(t, 0.0) for t in a.split()), 2),
                    "list_weight": round(sum(index.weight_of(t) for t in b.split()), 2),
                }
                for a, b, sim, how in hit.alignment
            ],
            "unmatched_list_tokens": [
                {"token": t, "role": ROLE_LABEL.get(r, str(r)), "weight": round(w, 2)}
                for t, r, w in zip(
                    index.form_texts[hit.form], index.form_roles[hit.form], index.form_weights[hit.form]
                )
                if t not in {p for a in hit.alignment for p in a[1].split()}
            ],
            "query_coverage": round(hit.coverage_query, 3),
            "list_name_coverage": round(hit.coverage_list, 3),
            "name_score": round(hit.score, 3),
        }
        need = cfg.block_min_information if record.schema == "Person" else cfg.block_min_information_entity
        info = name_information(hit, index, cfg, cfg.noise_words)
        account["information"] = {
            "total": info.total,
            "needed_to_block_alone": need,
            "enough_alone": info.enough(need),
            "why_not": info.reason(need),
            "east_asian_name": info.east_asian,
            "tokens": info.tokens,
            "corroborated_by": result["explanation"]
            .get("name", {})
            .get("information", {})
            .get("corroborated_by", []),
        }
    screened = screening.screen(q, index=index, config=cfg, limit=max(cfg.limit, 50))
    ranks = [r["id"] for r in screened["results"]]
    account["screening"] = {
        "decision": screened["decision"],
        "rank_of_entity": ranks.index(record.id) + 1 if record.id in ranks else None,
        "top": [
            {"id": r["id"], "caption": r["caption"], "score": r["score"]} for r in screened["results"][:3]
        ],
    }
    return account


def render(account: dict[str, Any]) -> str:
    """The account as text for a terminal."""
    entity = account["entity"]
    lines = [
        f"query: {account['query']!r} ({account['schema']})",
        f"entity: {entity['id']}  {entity['caption']}  ({entity['schema']}, {entity['dataset']})",
        "",
        "names of the entity (best query form against each):",
    ]
    for form in account["forms"]:
        derived = f" [{form['query_form_derived']}]" if form["query_form_derived"] else ""
        factor = f" x {form['kind_factor']:g} ({form['name_kind']})" if form["kind_factor"] != 1.0 else ""
        lines.append(
            f"  {form['score']:.3f}  {form['list_name']}  <- {form['best_query_form']}{derived}{factor}"
        )
    best = account.get("best")
    if best:
        lines += [
            "",
            f"best: {best['query_form']!r} ~ {best['list_name']!r} ({best['name_kind']}, {best['method']})",
        ]
        lines.append(
            f"  {'query token':<18} {'list token':<18} {'sim':>5}  {'q.weight':>8} {'l.weight':>8}  how"
        )
        for a in best["alignment"]:
            lines.append(
                f"  {a['query']:<18} {a['list']:<18} {a['similarity']:>5.2f}  {a['query_weight']:>8.2f} "
                f"{a['list_weight']:>8.2f}  {a['how']}"
            )
        for t in best["unmatched_list_tokens"]:
            lines.append(
                f"  {'-':<18} {t['token']:<18} {'':>5}  {'':>8} {t['weight']:>8.2f}  unmatched ({t['role']})"
            )
        lines.append(
            f"  query coverage {best['query_coverage']:.3f}, list name coverage {best['list_name_coverage']:.3f}, "
            f"name score {best['name_score']:.3f}"
        )
        info = account["information"]
        tokens = ", ".join(f"{t['list']} {t['information']:.1f} ({t['how']})" for t in info["tokens"])
        lines.append(
            f"  name information {info['total']:.1f} (to block on the name alone: {info['needed_to_block_alone']:g})"
            f": {tokens}"
        )
        if info["why_not"]:
            lines.append(f"  {info['why_not']}")
        if info["corroborated_by"]:
            lines.append(f"  corroborated by {', '.join(info['corroborated_by'])}: may block")
    else:
        lines += ["", "no name of the entity matches any form of the query"]
    lines += ["", "adjustments:"]
    for adj in account["adjustments"] or [{"feature": "-", "delta": 0.0, "detail": "none"}]:
        lines.append(f"  {adj['feature']:<12} {adj['delta']:+.3f}  {adj['detail']}")
    thresholds = account["thresholds"]
    lines += [
        "",
        f"score {account['score']:.3f} -> {account['decision']} "
        f"(review >= {thresholds['review']:g}, block >= {thresholds['block']:g})",
    ]
    scr = account["screening"]
    rank = f"ranked {scr['rank_of_entity']}" if scr["rank_of_entity"] else "not among the results"
    lines.append(f"screening this query: {scr['decision']}, this entity {rank}")
    return "\n".join(lines)
