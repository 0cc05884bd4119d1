"""Issue 19, class 4 over HTTP: a caller's `threshold` (or `cutoff`) never removes a block. On
`POST /v1/screen` and the yente-compatible `POST /match/{dataset}` the decision, `match` and the
screening record always use the configured thresholds; the caller's value only filters which
weaker results are listed (the top and every blocking result always are). Real server
(tests/api/conftest.py), real bundled OFAC SDN list."""

from __future__ import annotations

import pytest

#: Typos of real OFAC SDN entries that score between the block threshold and 1 (a doubled letter).
QUERIES = [
    ("us_ofac_sdn-50543", {"schema": "Company", "properties": {"name": ["INTEGRITY TEECHNOLOGY GROUP"]}}),
    ("us_ofac_sdn-35096", {"schema": "Person", "properties": {"name": ["Vladimir Vlladimirovich PUTIN"]}}),
    ("us_ofac_sdn-35233", {"schema": "Person", "properties": {"name": ["Sergei Viiktorovich LAVROV"]}}),
]


def _blocking(results: list[dict], entity_id: str) -> dict:
    """The listed entry's result, which must be listed and blocking (other lists carry the same
    person, and may rank first)."""
    hit = next((r for r in results if r["id"] == entity_id), None)
    assert hit is not None and hit["match"] is True, [(r["id"], r["score"]) for r in results]
    return hit


@pytest.mark.parametrize(("entity_id", "query"), QUERIES)
def test_v1_screen_threshold_keeps_the_block_and_the_record(service, entity_id, query):
    with service.client("screener") as client:
        plain = client.post("/v1/screen", json={**query, "id": "plain"}).json()
        assert plain["decision"] == "block" and _blocking(plain["results"], entity_id)["score"] < 0.99
        for threshold in (0.99, 1):
            strict = client.post(
                "/v1/screen", params={"threshold": threshold}, json={**query, "id": "strict"}
            )
            assert strict.status_code == 200, strict.text
            body = strict.json()
            assert body["decision"] == "block" and _blocking(body["results"], entity_id)
            batch = client.post(
                "/v1/screen", params={"threshold": threshold}, json={"queries": [query]}
            ).json()
            assert batch["responses"][0]["decision"] == "block"
            assert _blocking(batch["responses"][0]["results"], entity_id)
    with service.client("analyst") as client:
        record = client.get(f"/v1/screenings/{body['screening_id']}").json()
    assert record["decision"] == "block"
    assert [r["id"] for r in record["results"]] == [r["id"] for r in plain["results"]]


@pytest.mark.parametrize(("entity_id", "query"), QUERIES)
@pytest.mark.parametrize("params", [{"threshold": 1}, {"threshold": 0.99}, {"cutoff": 1}])
def test_match_threshold_never_turns_a_block_into_no_match(service, entity_id, query, params):
    with service.client("screener") as client:
        response = client.post("/match/default", params=params, json={"queries": {"a": query}})
        assert response.status_code == 200, response.text
        answer = response.json()["responses"]["a"]
        hit = _blocking(answer["results"], entity_id)  # `match` is the configured block decision
        assert hit["score"] < 1
    with service.client("analyst") as client:
        record = client.get(f"/v1/screenings/{answer['screening_id']}").json()
    assert record["decision"] == "block" and _blocking(record["results"], entity_id)
