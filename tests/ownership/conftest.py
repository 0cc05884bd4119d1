"""Helpers for the ownership tests: small graphs from rows, a small screening index."""

from __future__ import annotations

import numpy as np
import pytest

from proscribe.model import Entity, Sanction


@pytest.fixture(scope="session")
def run_rules():
    """``run_rules(rows, listed, regime, as_of)`` -> (result, graph): rows use the CSV columns."""
    from proscribe.ownership.graph import OwnershipGraph, data_from_rows
    from proscribe.ownership.regime import compute, regime_by_name

    def run(rows, listed, regime="ofac", as_of="2026-11-01", uncertain=()):
        data = data_from_rows(rows, as_of=as_of)
        graph = OwnershipGraph.from_data(data, as_of, extra_ids=list(listed) + list(uncertain))
        ids = np.array(graph.ids)
        result = compute(
            regime_by_name(regime), graph, np.isin(ids, list(listed)), np.isin(ids, list(uncertain))
        )
        return result, graph, data

    return run


def _entity(source_id, name, schema, program, listed, aliases=()):
    entity = Entity(id=f"us_ofac_sdn-{source_id}", schema=schema, dataset="us_ofac_sdn", source_id=source_id)
    entity.add("name", name)
    entity.add("alias", list(aliases))
    entity.add_sanction(Sanction(authority="OFAC", program=program, listing_date=listed))
    return entity


@pytest.fixture(scope="session")
def mini_index():
    """A tiny SDN-like index: ITG (50543, CYBER2), Kalashnikov Concern, Alexander Zakharov."""
    from proscribe.index.compiled import build_index

    entities = [
        _entity(
            "50543",
            "INTEGRITY TECHNOLOGY GROUP, INCORPORATED",
            "Company",
            "CYBER2",
            "2025-01-03",
            ["YONGXIN ZHICHENG TECHNOLOGY GROUP COMPANY, LIMITED"],
        ),
        _entity(
            "17022",
            "KALASHNIKOV CONCERN JSC",
            "Company",
            "UKRAINE-EO13662",
            "2014-07-16",
            ["KONTSERN KALASHNIKOV OAO"],
        ),
        _entity("31234", "ZAKHAROV, Alexander Vyacheslavovich", "Person", "RUSSIA-EO14024", "2023-05-19"),
    ]
    snaps = {
        "us_ofac_sdn": {
            "id": 1,
            "published": "2026-08-20",
            "sha256": "test",
            "reconstructed": False,
            "label": "us_ofac_sdn@test",
        }
    }
    return build_index({"us_ofac_sdn": entities}, snaps)
