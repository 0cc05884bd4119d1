"""The Python API: ``proscribe.screen(query)`` is the entry point the CLI, API, payments and
monitoring all call."""

from __future__ import annotations

import proscribe.screen


def test_package_level_screen_call_returns_the_design_result(index):
    result = proscribe.screen(
        {"id": "q1", "schema": "Company", "properties": {"name": ["Integrity Technology Group"]}}, index=index
    )
    assert result["id"] == "q1" and result["decision"] == "block"
    assert result["results"][0]["source_id"] == "50543"


def test_bad_query_raises_a_query_error_naming_the_problem(index):
    import pytest

    with pytest.raises(proscribe.screen.QueryError, match="unknown schema"):
        proscribe.screen({"schema": "Spaceship", "properties": {"name": ["x"]}}, index=index)
