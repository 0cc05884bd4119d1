"""Issue 19, class 1 (screening side): a declared type may lower a score, it never removes a
candidate. Every listed party is screened under every schema it is not: a strong name match of
another schema is at least `review` (never `block` on the name alone), the explanation says why,
and the entry of the declared schema still ranks first when both exist."""

from __future__ import annotations

import pytest

from proscribe.model import COMPATIBLE_SCHEMATA, SCHEMATA

#: (query name, listed entity, its listed schema): real entries of the bundled lists.
LISTED = [
    ("MAHAN AIR", "us_ofac_sdn-12927", "Organization"),
    ("INTEGRITY TECHNOLOGY GROUP", "us_ofac_sdn-50543", "Company"),
    ("BANK MELLI IRAN", "us_ofac_sdn-25578", "Company"),
    ("HIZBALLAH", "us_ofac_sdn-4697", "Organization"),
    ("PUTIN, Vladimir Vladimirovich", "us_ofac_sdn-35096", "Person"),
    ("Vladimir Putin", "us_ofac_sdn-35096", "Person"),
    ("KIM Jong Un", "us_ofac_sdn-20157", "Person"),
]


def declared_otherwise(listed_schema: str) -> list[str]:
    """The transformation: every schema a query may declare that cannot describe the listed one."""
    return [s for s in SCHEMATA if listed_schema not in COMPATIBLE_SCHEMATA[s]]


CASES = [
    (name, entity, listed, declared)
    for name, entity, listed in LISTED
    for declared in declared_otherwise(listed)
]


def _hit(result, entity_id):
    return next((r for r in result["results"] if r["id"] == entity_id), None)


@pytest.mark.parametrize(("name", "entity_id", "listed", "declared"), CASES)
def test_a_declared_type_never_removes_a_listed_party(screen_one, name, entity_id, listed, declared):
    result = screen_one(name, declared)
    hit = _hit(result, entity_id)
    assert result["decision"] == "review", (declared, result["decision"])
    assert hit is not None and hit["match"] is False  # never a block on the name alone
    schema_notes = [a for a in hit["explanation"]["adjustments"] if a["feature"] == "schema"]
    assert schema_notes and schema_notes[0]["delta"] < 0
    assert schema_notes[0]["detail"] == f"declared a {declared}, matches a listed {listed}"


@pytest.mark.parametrize(("name", "entity_id", "listed"), LISTED)
def test_the_declared_schema_still_scores_higher_than_another(screen_one, name, entity_id, listed):
    right = _hit(screen_one(name, listed), entity_id)
    for declared in declared_otherwise(listed):
        other = _hit(screen_one(name, declared), entity_id)
        assert right["score"] > other["score"]


def test_an_entry_of_the_declared_schema_ranks_above_one_of_another(index, screen_one):
    """A name listed both for a person and for an organisation: asked as a person, the person
    comes first; asked as an organisation, the organisation does."""
    from proscribe.text.names import name_forms

    by_text: dict[tuple[str, ...], set[str]] = {}
    for record, text in zip((index.entities[e] for e in index.form_entity_ids), index.form_text):
        if text.isascii() and len(text) > 8:
            forms = name_forms(text, record.schema)
            if forms:
                by_text.setdefault(tuple(sorted(forms[0].tokens)), set()).add(record.schema)
    shared = [
        tokens for tokens, schemata in by_text.items() if "Person" in schemata and "Organization" in schemata
    ]
    assert shared, "the bundled lists name some person and some organisation alike"
    tried = 0
    for tokens in shared[:5]:
        name = " ".join(tokens)
        for declared in ("Person", "Organization"):
            result = screen_one(name, declared)
            if not result["results"] or result["results"][0]["score"] < 0.9:
                continue
            tried += 1
            assert result["results"][0]["schema"] in COMPATIBLE_SCHEMATA[declared]
    assert tried


def test_a_weak_name_match_of_another_schema_stays_clear(screen_one):
    """The penalty keeps namesakes apart: a person sharing one word with a listed company is not
    raised by the new rule."""
    assert screen_one("Mahan Smith", "Person")["decision"] == "clear"
    assert screen_one("John Integrity", "Person")["decision"] == "clear"


def test_a_strong_identifier_still_blocks_across_schemata(screen_one):
    """The cap is on the name alone: a valid unique strong identifier decides by itself."""
    result = screen_one("Yongxin Zhicheng", "Person", registrationNumber="91110108562135265P")
    assert result["decision"] == "block"
