"""Budgeted, derandomised fuzzing of every parser: mutated real seeds either parse or are refused
with the parser's typed error, within a time limit each; a payment input always gives a payment,
and one the parser could not read is never passed. The same inputs every run (``make fuzz`` runs
the long random search)."""

from __future__ import annotations

import pytest
from engine import inputs, save_crash
from targets import TARGETS, run_with_limit, warm_up

#: Inputs per target in ``make test``: the whole file stays within its time budget.
BUDGET = {name: 150 for name in TARGETS} | {
    "payments/iso20022": 120,
    "payments/mt": 120,
    "payments/json_form": 120,
    "ofac_enhanced": 80,
    "uk_ofsi": 80,
    "au_dfat": 80,
}


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_mutated_seeds_parse_or_are_refused_with_the_typed_error(target, fuzz_context, tmp_path):
    fuzzed = TARGETS[target]
    warm_up(fuzzed, tmp_path, fuzz_context)
    for label, data in inputs(fuzzed, BUDGET[target], seed="make-test"):
        try:
            run_with_limit(fuzzed, data, tmp_path, fuzz_context)
        except BaseException as exc:
            kept = save_crash(fuzzed, data)
            raise AssertionError(
                f"{target} {label}: {type(exc).__name__}: {exc} (input kept as {kept})"
            ) from exc
