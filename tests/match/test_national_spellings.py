"""National Latin spellings (Hungarian, Lithuanian, German, Polish, Czech, Turkish) of listed
names find the listed person, who is written in the lists' English-style romanisation; English
names carry no national marker and are not re-spelt (text/orthography.py)."""

from __future__ import annotations

import pytest

from proscribe.text.names import name_forms
from proscribe.text.orthography import respellings


def _finds(result, surname: str) -> bool:
    return result["decision"] in ("review", "block") and any(
        surname in r["caption"].upper() for r in result["results"][:3]
    )


@pytest.mark.parametrize(
    "name, surname",
    [
        ("Gennagyij Tyimcsenko", "TIMCHENKO"),  # Hungarian: gy, ty, cs
        ("Arkagyij Rotenberg", "ROTENBERG"),
        ("Arkadijus Rotenbergas", "ROTENBERG"),  # Lithuanian endings
        ("Ališeras Usmanovas", "USMANOV"),
        ("Gennadi Timtschenko", "TIMCHENKO"),  # German: tsch
        ("Giennadij Timczenko", "TIMCHENKO"),  # Polish: ie, cz
        ("Aliszer Usmanow", "USMANOV"),  # Polish: sz, -ow
        ("Gennadij Timčenko", "TIMCHENKO"),  # Czech caron
    ],
)
def test_national_spelling_of_a_listed_name_finds_the_listed_person(screen_one, name, surname):
    assert _finds(screen_one(name, "Person"), surname)


@pytest.mark.parametrize(
    "name, language, respelt",
    [
        ("Vlagyimir Zsirinovszkij", "hungarian", "vladimir zhirinovskiy"),
        ("Aleksejus Navalnas", "lithuanian", "aleksey navaln"),
        ("Michail Chodorkowski", "german", "mikhail khodorkovski"),
        ("Michaił Chodorkowski", "polish", "mikhail khodorkovski"),
        ("Michail Chodorkovskij", "czech", None),  # no caron: Czech rules do not apply
        ("Kasım Süleymani", "turkish_arabic", "kasim sulaymani"),
    ],
)
def test_each_convention_respells_only_names_that_carry_its_marks(name, language, respelt):
    found = dict(respellings(name))
    assert found.get(language) == respelt


@pytest.mark.parametrize(
    "name", ["Maria Lopez", "Vladimir Putin", "Mohammed bin Salman", "John Smith", "Chen Wei"]
)
def test_names_without_national_marks_get_no_extra_form(name):
    assert respellings(name) == ()
    assert len(name_forms(name, "Person")) == len(name_forms(name, "Company"))


def test_organisation_names_are_not_respelt():
    assert all("sh" not in form.text for form in name_forms("Szolnoki Cukorgyár", "Company"))
