"""``proscribe explain-match``: why a query scores what it scores against one listed entity."""

from __future__ import annotations

import json

import typer


def register(app: typer.Typer) -> None:
    @app.command("explain-match")
    def explain_match_cmd(
        query: str = typer.Argument(..., help="The name to explain, as it would be screened."),
        entity_id: str = typer.Argument(..., help="A listed entity id (us_ofac_sdn-50543)."),
        schema: str = typer.Option("Person", help="The query's schema (Person, Company, LegalEntity, ...)."),
        birth_date: str = typer.Option(None, "--birth-date", help="The query's birth date, if any."),
        country: str = typer.Option(None, "--country", help="The query's country or nationality, if any."),
        as_json: bool = typer.Option(False, "--json", help="Print the account as JSON."),
    ) -> None:
        """Print each of the entity's names against the best query form, the token alignment
        (similarity, how, rarity weights), coverages, the name information behind the block rule,
        every adjustment, the final score and decision, and what screening the query returns."""
        from proscribe.cli import ensure_store, fail
        from proscribe.explain import UnknownEntity, explain_match, render
        from proscribe.screen import QueryError

        ensure_store()
        try:
            account = explain_match(query, entity_id, schema=schema, birth_date=birth_date, country=country)
        except (QueryError, UnknownEntity) as exc:
            fail(str(exc), 2)
        if as_json:
            typer.echo(json.dumps(account, ensure_ascii=False, indent=2))
        else:
            typer.echo(render(account))
