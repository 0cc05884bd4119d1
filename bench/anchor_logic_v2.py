"""Score name pairs with nomenklatura's logic-v2 matcher (the anchor for bench/name_bench.py).

Runs under ``bench/.venv-anchor/bin/python`` (nomenklatura lives only there, never in the
project's environment). Reads ``{"pairs": [{"schema", "name1", "name2"}, ...]}`` as JSON on stdin
and writes ``{"nomenklatura", "followthemoney", "threshold", "seconds", "scores": [...]}`` as JSON
on stdout, one score per pair in input order.

Each pair becomes two FollowTheMoney entities of the pair's schema with one ``name`` each (``name1``
the query, ``name2`` the candidate, distinct ids) compared by ``LogicV2.compare`` with its default
configuration. The match threshold reported is yente's default (``SCORE_THRESHOLD = 0.70``), the
one a yente deployment uses to call a logic-v2 result a match.
"""

from __future__ import annotations

import json
import sys
import time
from importlib.metadata import version

from followthemoney import model
from nomenklatura.matching.logic_v2.model import LogicV2

YENTE_THRESHOLD = 0.70


def entity(schema: str, entity_id: str, name: str):
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    proxy.add("name", name)
    return proxy


def main() -> int:
    pairs = json.load(sys.stdin)["pairs"]
    config = LogicV2.default_config()
    started = time.perf_counter()
    scores = []
    for n, pair in enumerate(pairs):
        query = entity(pair["schema"], f"q{n}", pair["name1"])
        candidate = entity(pair["schema"], f"c{n}", pair["name2"])
        scores.append(round(float(LogicV2.compare(query, candidate, config).score), 4))
    json.dump(
        {
            "algorithm": LogicV2.NAME,
            "nomenklatura": version("nomenklatura"),
            "followthemoney": version("followthemoney"),
            "rigour": version("rigour"),
            "threshold": YENTE_THRESHOLD,
            "seconds": round(time.perf_counter() - started, 3),
            "scores": scores,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
