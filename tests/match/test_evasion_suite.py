"""The name-evasion suite of issue 15: every disguise class, applied to real listed names picked
by rule from five bundled lists, must still alert on the right entity and say which disguise
was undone; the same disguises applied to innocent names must not raise more false alerts.

The forms are generated (``evasion_forms.py``): 3 persons and 3 organisations of each of five
lists (every k-th entry whose name has two words of four letters or more) times 14 classes
gives 420 disguised forms, with the letters and words to disguise drawn from a seeded
generator. Screening goes through ``proscribe.screen.screen`` on the session index, built from
the real bundled lists (tests/conftest.py).
"""

from __future__ import annotations

import json

import pytest
from evasion_forms import CLASSES, DIGIT_FOR, DisguiseClass, disguised_forms, innocent_names, listed_names

from proscribe.text.render import DIGITS, readings

#: The lists the listed names come from (persons and organisations of each).
DATASETS = (
    "us_ofac_sdn",
    "gb_hmt_sanctions",
    "un_sc_sanctions",
    "au_dfat_sanctions",
    "ca_dfatd_sema_sanctions",
)
PER_KIND = 3
SEED = 15
#: Every INNOCENT_EVERY-th innocent of the bench's Latin-script innocent sets.
INNOCENT_EVERY = 8
#: A disguise may add at most this share of false alerts over the same innocents written plainly
#: (2 points: about 4 of the ~190 innocents; a review only, never a block).
FALSE_ALERT_MARGIN = 0.02


@pytest.fixture(scope="module")
def listed(index) -> list[tuple[str, str, str]]:
    return listed_names(index, DATASETS, PER_KIND)


@pytest.fixture(scope="module")
def forms(listed) -> list[tuple[DisguiseClass, str, str]]:
    return disguised_forms([name for _, _, name in listed], SEED)


def _hit(result: dict, entity_id: str) -> dict | None:
    return next((r for r in result["results"] if r["id"] == entity_id), None)


def _alerts_on(result: dict, entity_id: str) -> bool:
    hit = _hit(result, entity_id)
    return (
        result["decision"] in ("review", "block")
        and hit is not None
        and hit["score"] >= hit["explanation"]["thresholds"]["review"]
    )


def _explained(hit: dict, disguise: DisguiseClass) -> bool:
    """Whether the explanation of the match says the disguise was undone: in
    ``disguises_undone``, or for words run together as the query form derived by splitting them
    (or a run-together query token aligned to the list name's words joined)."""
    name = hit["explanation"].get("name", {})
    if any(disguise.explained in label for label in name.get("disguises_undone", [])):
        return True
    if disguise.name == "words run together":
        return disguise.explained in name.get("query_form_derived", "") or any(
            token["how"] == "joined" for token in name.get("aligned_tokens", [])
        )
    return False


# -- the suite is what the issue asks for ----------------------------------------------------------


def test_the_suite_disguises_at_least_20_listed_names_of_several_lists_in_every_class(listed, forms):
    assert len(listed) >= 20
    assert len({entity_id.split("-", 1)[0] for entity_id, _, _ in listed}) == len(DATASETS)
    schemas = {schema for _, schema, _ in listed}
    assert "Person" in schemas and schemas & {"Company", "Organization"}
    assert len(forms) >= 200
    for disguise in CLASSES:
        mine = [(plain, disguised) for cls, plain, disguised in forms if cls is disguise]
        assert len(mine) == len(listed)
        assert all(plain != disguised for plain, disguised in mine), disguise.name
    # every digit and sign the issue names is written for its letter somewhere in the suite
    digit_forms = " ".join(d for cls, _, d in forms if cls.name == "digits for letters")
    assert {sign for signs in DIGIT_FOR.values() for sign in signs} <= set(digit_forms)


def test_every_listed_name_alerts_on_its_entity_when_written_plainly(screen_one, listed):
    missed = [
        name for entity_id, schema, name in listed if not _alerts_on(screen_one(name, schema), entity_id)
    ]
    assert missed == []


@pytest.mark.parametrize("disguise", CLASSES, ids=[c.name for c in CLASSES])
def test_every_disguised_listed_name_alerts_on_its_entity_and_says_what_was_undone(
    screen_one, listed, forms, disguise
):
    entity_of = {name: (entity_id, schema) for entity_id, schema, name in listed}
    missed, unexplained = [], []
    for cls, plain, disguised in forms:
        if cls is not disguise:
            continue
        entity_id, schema = entity_of[plain]
        result = screen_one(disguised, schema)
        if not _alerts_on(result, entity_id):
            missed.append(f"{disguised!r} ({plain}) -> {result['decision']}")
        elif not _explained(_hit(result, entity_id), disguise):
            name = _hit(result, entity_id)["explanation"]["name"]
            unexplained.append(
                f"{disguised!r}: {json.dumps(name.get('disguises_undone'), ensure_ascii=False)}"
            )
    assert missed == []
    assert unexplained == []


# -- innocents under the same disguises ------------------------------------------------------------


@pytest.fixture(scope="module")
def innocents(screen_one) -> list[tuple[str, str, str]]:
    """(schema, name, decision written plainly) of every innocent of the sample."""
    return [
        (schema, name, screen_one(name, schema)["decision"])
        for schema, name in innocent_names(INNOCENT_EVERY)
    ]


def test_disguised_innocents_raise_no_more_false_alerts_than_written_plainly_and_never_block(
    screen_one, innocents
):
    assert len(innocents) >= 150
    plain_rate = sum(decision != "clear" for _, _, decision in innocents) / len(innocents)
    schema_of = {name: schema for schema, name, _ in innocents}
    alerts: dict[str, list[str]] = {c.name: [] for c in CLASSES}
    blocks = []
    for cls, plain, disguised in disguised_forms(list(schema_of), SEED):
        decision = screen_one(disguised, schema_of[plain])["decision"]
        if decision != "clear":
            alerts[cls.name].append(f"{disguised!r} -> {decision}")
        if decision == "block":
            blocks.append(f"{cls.name}: {disguised!r}")
    worse = {
        name: found
        for name, found in alerts.items()
        if len(found) / len(innocents) > plain_rate + FALSE_ALERT_MARGIN
    }
    assert worse == {}, f"plain false-alert rate {plain_rate:.3f}"
    assert blocks == []


# -- digits for letters: the careful reading --------------------------------------------------------


@pytest.mark.parametrize(
    "disguised, plain",
    [
        ("4G4T 3L3CTR0M3CH4NICAL PLAN7", "agat electromechanical plant"),  # as many signs as letters
        ("I55A", "issa"),
        ("0M4R AL-B4SHIR", "omar al-bashir"),
        ("HAMZ@ $ALEH", "hamza saleh"),
        ("R0SN3FT TRAD1NG", "rosneft trading"),
    ],
)
def test_a_word_written_with_as_many_signs_as_letters_or_ending_in_one_beside_others_is_read(
    disguised, plain
):
    found = [r for r in readings(disguised) if r.text.lower() == plain]
    assert found and DIGITS in found[0].undone


@pytest.mark.parametrize(
    "name",
    ["WEB3 Holding", "AB123 Trading", "COVID19 Relief Fund", "12TH Street Bakery", "B2B Trade", "Lab49", "3M",
     "A380 Leasing", "148SH LIMITED", "Plant 7", "4X4 Motors"],
)  # fmt: skip
def test_identifiers_numbers_and_a_number_after_a_plain_name_are_not_read_as_letters(name):
    assert [r.text for r in readings(name)] == [name]
