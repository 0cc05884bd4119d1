"""The yente-like anchor for ``bench/generalisation.py``; runs inside ``bench/.venv-anchor``.

The same two steps as ``bench/anchor_yente_like.py`` (what yente does for a ``/match`` request,
without an Elasticsearch server), with the lists a query is screened against respected:

1. candidates: the query's name against every name, alias, former name and weak alias of the
   entities of the query's ``datasets`` (all lists when it names none), the top 30 by
   ``rapidfuzz.process.extract`` with ``fuzz.WRatio`` on ``default_process``-ed text;
2. rescoring: each candidate entity built as a FollowTheMoney entity and scored against the query
   entity with nomenklatura's ``logic-v2`` (default configuration).

Usage: ``bench/.venv-anchor/bin/python bench/generalisation_anchor.py ENTITIES.jsonl QUERIES.json OUT.json``.
ENTITIES.jsonl: ``{"id", "schema", "dataset", "properties"}`` a line; QUERIES.json: a list of queries
in the shape ``proscribe.screen`` takes plus ``datasets``. OUT.json: per query the best five
``[entity id, score]``, and a summary (time, versions).
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from importlib.metadata import version

CANDIDATES = 30
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")


def main(entities_path: str, queries_path: str, out_path: str) -> None:
    from followthemoney import model
    from nomenklatura.matching import LogicV2, ScoringConfig
    from rapidfuzz import fuzz, process, utils

    entities: list[dict] = []
    names: dict[str | None, list[str]] = defaultdict(list)
    owners: dict[str | None, list[int]] = defaultdict(list)
    with open(entities_path, encoding="utf-8") as handle:
        for line in handle:
            entity = json.loads(line)
            idx = len(entities)
            entities.append(entity)
            for prop in NAME_PROPS:
                for name in entity["properties"].get(prop, ()):
                    processed = utils.default_process(name)
                    if processed:
                        for key in (None, entity["dataset"]):
                            names[key].append(processed)
                            owners[key].append(idx)
    with open(queries_path, encoding="utf-8") as handle:
        queries = json.load(handle)
    config = ScoringConfig.defaults()

    def make(schema: str, props: dict, entity_id: str, cleaned: bool):
        proxy = model.make_entity(schema)
        proxy.id = entity_id
        for prop, values in props.items():
            proxy.add(prop, values, cleaned=cleaned, quiet=True)
        return proxy

    rows = []
    started = time.perf_counter()
    for n, query in enumerate(queries):
        keys = query.get("datasets") or [None]
        found: dict[int, None] = {}
        for name in query["properties"].get("name", ()):
            processed = utils.default_process(name)
            if not processed:
                continue
            for key in keys:
                for _, _, pos in process.extract(processed, names[key], scorer=fuzz.WRatio, limit=CANDIDATES):
                    found.setdefault(owners[key][pos], None)
        # a fresh id per query: nomenklatura memoises name analysis by entity id
        query_entity = make(
            query.get("schema", "LegalEntity"), query["properties"], f"query-{n}", cleaned=False
        )
        scored = []
        for idx in found:
            entity = entities[idx]
            try:
                candidate = make(entity["schema"], entity["properties"], entity["id"], cleaned=True)
                score = float(LogicV2.compare(query_entity, candidate, config).score)
            except Exception:  # a schema pair logic-v2 cannot compare scores nothing
                score = 0.0
            scored.append([entity["id"], round(score, 4)])
        scored.sort(key=lambda item: -item[1])
        rows.append({"id": query.get("id"), "hits": scored[:5]})
    elapsed = time.perf_counter() - started
    summary = {
        "queries": len(queries),
        "elapsed_s": round(elapsed, 1),
        "qps": len(queries) / elapsed if elapsed else None,
        "candidates_per_query": CANDIDATES,
        "versions": {pkg: version(pkg) for pkg in ("nomenklatura", "followthemoney", "rapidfuzz", "rigour")},
    }
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump({"summary": summary, "rows": rows}, handle)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
