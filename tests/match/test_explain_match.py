"""``proscribe explain-match``: the real CLI on real bundled entities, through the screening code."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from proscribe.cli import app


@pytest.fixture()
def cli(screening_home, index, monkeypatch):
    """Run the CLI on the session's bundled store and index."""
    from proscribe.screen import set_index

    monkeypatch.setenv("PROSCRIBE_HOME", str(screening_home))
    set_index(index)
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(app, list(args))
        return result

    return run


def _top_id(screen_one, name: str, schema: str = "Person") -> str:
    return screen_one(name, schema)["results"][0]["id"]


def test_explain_match_json_accounts_for_the_score_and_decision_screening_gives(cli, screen_one):
    screened = screen_one("Zhang Wei", "Person")
    top = screened["results"][0]
    out = cli("explain-match", "Zhang Wei", top["id"], "--json")
    assert out.exit_code == 0, out.output
    account = json.loads(out.output)
    assert account["entity"]["id"] == top["id"]
    assert account["score"] == top["score"]
    assert account["decision"] == screened["decision"] == "review"
    assert account["screening"]["rank_of_entity"] == 1
    best = account["best"]
    assert {a["query"] for a in best["alignment"]} == {"zhang", "wei"}
    assert all(a["similarity"] == 1.0 and a["list_weight"] > 0 for a in best["alignment"])
    assert best["query_coverage"] == 1.0 and best["list_name_coverage"] == 1.0
    assert any(a["feature"] == "common_name" for a in account["adjustments"])
    assert account["information"]["enough_alone"] is False
    assert len(account["forms"]) >= 2  # every name of the entity is accounted for


def test_explain_match_text_names_the_alignment_the_information_and_the_rule(cli, screen_one):
    entity = _top_id(screen_one, "Vladimir Putin")
    out = cli("explain-match", "Владимир Путин", entity)
    assert out.exit_code == 0, out.output
    text = out.output
    assert "putin" in text and "vladimir" in text
    assert "name information" in text
    assert "-> block" in text
    assert "screening this query: block" in text


def test_explain_match_shows_a_weak_alias_and_the_schema_adjustment(cli):
    out = cli(
        "explain-match", "Integrity Technology Group", "us_ofac_sdn-50543", "--schema", "Person", "--json"
    )
    assert out.exit_code == 0, out.output
    account = json.loads(out.output)
    assert any(a["feature"] == "schema" for a in account["adjustments"])
    assert account["decision"] != "block"
    kinds = {f["name_kind"] for f in account["forms"]}
    assert "weak alias" in kinds or "alias" in kinds


def test_explain_match_explains_an_entity_screening_does_not_return(cli):
    out = cli("explain-match", "Emma Daniels", "us_ofac_sdn-50543", "--json")
    assert out.exit_code == 0, out.output
    account = json.loads(out.output)
    assert account["decision"] == "clear"
    assert account["screening"]["rank_of_entity"] is None


def test_explain_match_with_a_birth_date_shows_the_corroboration(cli, screen_one, index):
    top = screen_one("Zhang Wei", "Person")["results"][0]
    record = next(e for e in index.entities if e.id == top["id"])
    out = cli("explain-match", "Zhang Wei", top["id"], "--birth-date", record.birth_dates[0], "--json")
    account = json.loads(out.output)
    assert any(a["feature"] == "birth_date" and a["delta"] > 0 for a in account["adjustments"])
    assert account["decision"] == "block"


def test_explain_match_unknown_entity_is_a_clear_error(cli):
    out = cli("explain-match", "Zhang Wei", "no_such_list-1")
    assert out.exit_code == 2
    assert "no listed entity" in out.output
