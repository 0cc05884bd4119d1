"""Canada's Consolidated Autonomous Sanctions List (Special Economic Measures Act), XML form.

The file is one ``data-set`` element holding flat ``record`` elements::

    <record>
      <Country>Russia / Russie</Country>          regime, "English / French"
      <LastName>..</LastName> <GivenName>..</GivenName>      a person
      <EntityOrShip>..</EntityOrShip>              an entity, or a ship's name
      <TitleOrShip>..</TitleOrShip>                a person's rank/title, or a ship's type
      <ShipIMONumber>..</ShipIMONumber>            present only for ships
      <Aliases>..</Aliases>                        free text, see below
      <DateOfBirthOrShipBuildDate>..</..>          ISO date, year, or prose
      <Schedule>1, Part 1</Schedule> <Item>123</Item>   the entry's place in the regulations
      <DateOfListing>2022-02-24</DateOfListing>
    </record>

Decisions this parser makes (the tests pin each one):

* **One record, one entity.** ``source_id`` is ``{regime}/{schedule}/{item}``
  (``Russia/1-Part-1/123``; ``-`` when the record has no schedule), unique in the file. A few
  parties are listed under two regimes (Venezuela and JVCFOR, say) as two records; they are
  *not* merged: the list does not say they are one party, and each record is its own
  designation with its own listing date.
* **No publication date.** The file does not state one (the newest ``DateOfListing`` is not a
  publication date), so ``published`` is None.
* **Schema.** Given/last name -> ``Person``; a ship IMO number or a ship type -> ``Vessel``
  (``TitleOrShip`` -> ``type``, build year -> ``buildDate``); other ``EntityOrShip`` ->
  Company/Organization by :func:`~proscribe.sources.base.organization_schema`.
* **Aliases** are free text separated by ``;``, ``,``, `` or ``, ``/`` and language labels
  (``Belarusian: ...; Russian: ...``). Commas inside a name are kept where the next part
  cannot be a name on its own (a bare legal form such as ``ООО``, or a Cyrillic part starting
  in lower case). `` and `` separates aliases of a person; of an entity only where one side is
  in a non-Latin script, the first part ends like a whole name (``... Company and ...``) or
  both parts start with the same word (``Myanma Investment and Commercial Bank`` stays whole).
  For a person, a one-word alias (a given-name variant, a nickname) is a ``weakAlias``; for an
  entity a one-word alias (``IRGC``) stays a strong ``alias``.
* **Names** are the list's spelling with runs of white space (tabs, no-break spaces, line
  breaks inside a cell) collapsed to one space. ``GivenName`` (which holds the patronymic too)
  and ``LastName`` also go to ``firstName``/``lastName``.
* **Dates.** ``1963-1964`` yields each year, ``A or B`` both dates, ``Sep-99`` September 1999;
  anything that is not a plain date is also kept in ``notes`` as written.
* **Regime.** ``Country`` gives the program (English part) and, where it names a country, the
  entry's ``country``. Entries under the Justice for Victims of Corrupt Foreign Officials
  Regulations (JVCFOR) are designated under that Act, not SEMA, and say so in ``authority``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from lxml import etree

from proscribe.model import Entity, Identifier, Sanction, make_id
from proscribe.sources.base import (
    ListFormatError,
    ParsedList,
    country_code,
    local_name,
    organization_schema,
    parse_date,
    parse_xml,
    read_bytes,
)

DATASET = "ca_dfatd_sema_sanctions"
AUTHORITY = "Canada SEMA"
JVCFOA_AUTHORITY = "Canada JVCFOA"
ROOT = "data-set"
RECORD = "record"

_LANGUAGE_LABEL = re.compile(
    r"(?:^|(?<=[\s,;(]))(?:Belarusian|Belarussian|Russian|Ukrainian|Arabic|Hebrew|Persian|Farsi|"
    r"Chinese|Armenian|English|French)\s*:\s*",
    re.IGNORECASE,
)
_OR = re.compile(r"\s+or\s+|\s*/\s*", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_LEGAL_FORM_ONLY = re.compile(
    r"^(?:ООО|ОАО|ЗАО|ПАО|САО|АО|АК|НАО|МК|ФГУП|OOO|OAO|ZAO|PAO|AO|LLC|JSC|PJSC|OJSC|CJSC|FSUE|Ltd\.?|"
    r"Limited|Inc\.?|Co\.?|Corp\.?)(?:\s*,\s*(?:ООО|ОАО|ЗАО|ПАО|САО|АО|АК))*$"
)
# An entity alias "X and Y" is two names when X ends like a complete name ("... Company and
# ...", "... Ltd. and ...") or both start with the same word ("Zadna Company and Zadna ...").
_COMPLETE_NAME_END = re.compile(
    r"(?:Company|Co\.|Ltd\.?|Limited|Corporation|Corp\.?|LLC|JSC|Inc\.?|Group|System|[”\"»])$"
)
_TRAILING_AKA = re.compile(r"\s+(?:AKA|a\.k\.a\.?)$", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_MONTH_YY = re.compile(r"^([A-Za-z]{3})-(\d{2})$")


def parse(path: Path, dataset: str = DATASET) -> ParsedList:
    """Parse the SEMA consolidated list XML (plain or ``.gz``)."""
    path = Path(path)
    root = parse_xml(io.BytesIO(read_bytes(path)), label=str(path))
    if local_name(root) != ROOT:
        raise ListFormatError(
            path, f"line {root.sourceline}", f"root element is <{local_name(root)}>, expected <{ROOT}>"
        )
    result = ParsedList(dataset=dataset, entities=[], published=None)
    seen: dict[str, int] = {}
    for element in root:
        if not isinstance(element.tag, str):
            continue
        if local_name(element) != RECORD:
            raise ListFormatError(
                path, f"line {element.sourceline}", f"unexpected element <{local_name(element)}> in <{ROOT}>"
            )
        entity = _record(path, dataset, element, result.warnings)
        if entity.source_id in seen:
            raise ListFormatError(
                path,
                f"line {element.sourceline}, <{RECORD}> {entity.source_id}",
                f"same Country/Schedule/Item as the record on line {seen[entity.source_id]}",
            )
        seen[entity.source_id] = element.sourceline
        result.entities.append(entity)
    return result


def _record(path: Path, dataset: str, el: etree._Element, warnings: list[str]) -> Entity:
    fields = _fields(el)
    where = f"line {el.sourceline}, <{RECORD}>"
    country = fields.get("Country")
    if country is None:
        raise ListFormatError(path, where, "missing required element <Country>")
    item = fields.get("Item")
    if item is None:
        raise ListFormatError(path, where, "missing required element <Item>")
    regime = country.split(" / ")[0].strip()
    schedule = fields.get("Schedule")
    source_id = f"{_regime_key(regime)}/{_schedule_key(schedule)}/{item}"
    where = f"{where} {source_id}"

    given, last = fields.get("GivenName"), fields.get("LastName")
    entity_name = fields.get("EntityOrShip")
    title = fields.get("TitleOrShip")
    imo = fields.get("ShipIMONumber")
    if given or last:
        schema = "Person"
        if given and last and given.lower().endswith(last.lower()):
            name = given  # "Alexander Yevgenyevich KONKOV" + "KONKOV"
        else:
            name = " ".join(p for p in (given, last) if p)
    elif entity_name:
        name = entity_name
        schema = "Vessel" if (imo or title) else organization_schema(name)
    else:
        raise ListFormatError(
            path, where, "missing required element: <LastName>/<GivenName> or <EntityOrShip> (no name)"
        )

    entity = Entity(id=make_id(dataset, source_id), schema=schema, dataset=dataset, source_id=source_id)
    entity.add("name", name)
    code = country_code(re.sub(r"\s*\([^)]*\)", "", regime))
    entity.add("country", code)
    authority = JVCFOA_AUTHORITY if "JVCFOR" in regime else AUTHORITY
    entity.add_sanction(
        Sanction(
            authority=authority,
            program=regime,
            listing_date=parse_date(fields.get("DateOfListing")),
            source_id=source_id,
        )
    )
    if schema == "Person":
        entity.add("firstName", given)
        entity.add("lastName", last)
        entity.add("position", title)
    elif schema == "Vessel":
        entity.add("type", title)
        if imo:
            entity.add("imoNumber", imo)
            entity.add_identifier(Identifier(type="imo", value=imo, label="Ship IMO Number"))
    else:
        entity.add("notes", title)
        if imo:
            warnings.append(f"{where}: ShipIMONumber on a non-ship record")
    if schema != "Person" and "/" in name:
        # Bilingual names: "Islamic Revolutionary Guard Corps/Corps des Gardiens ..."
        entity.add("alias", [part.strip() for part in name.split("/") if len(part.strip()) > 1])

    for prop, alias in _split_aliases(fields.get("Aliases"), schema == "Person"):
        if alias != name:
            entity.add(prop, alias)

    raw_date = fields.get("DateOfBirthOrShipBuildDate")
    if raw_date:
        dates = _dates(raw_date, fields.get("DateOfListing"))
        if schema == "Person":
            entity.add("birthDate", dates)
        elif schema == "Vessel":
            entity.add("buildDate", dates)
        else:
            dates = []  # an entity's date is not a birth date; keep it as written
        if parse_date(raw_date) is None:
            # Not a plain date ("1963 or 1964", "Sep-99", "born in the early 1970s"): keep the text.
            label = "Build date" if schema == "Vessel" else "Date of birth"
            entity.add("notes", f"{label} as listed: {raw_date}")
    return entity


# -- aliases --------------------------------------------------------------------------------------


def _split_aliases(text: str | None, is_person: bool) -> list[tuple[str, str]]:
    """Split the free-text Aliases field into ``(property, name)`` pairs, in order."""
    if not text:
        return []
    text = " ".join(text.split())
    text = _LANGUAGE_LABEL.sub(";", text)
    found: list[tuple[str, str]] = []
    for segment in text.split(";"):
        for variant in _OR.split(segment):
            for piece in _comma_pieces(variant):
                for name in _and_split(piece, is_person):
                    name = _tidy(name)
                    if not name or not any(ch.isalpha() for ch in name):
                        continue
                    prop = "weakAlias" if is_person and " " not in name else "alias"
                    if (prop, name) not in found:
                        found.append((prop, name))
    return found


def _comma_pieces(segment: str) -> list[str]:
    """Split on commas outside parentheses; glue back parts that cannot stand alone."""
    balanced = segment.count("(") == segment.count(")")
    parts: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(segment):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "," and (depth == 0 or not balanced):
            parts.append(segment[start:index])
            start = index + 1
    parts.append(segment[start:])
    pieces: list[str] = []
    pending_prefix = ""
    for raw in parts:
        part = raw.strip()
        if not part:
            continue
        if pending_prefix:
            part, pending_prefix = f"{pending_prefix}, {part}", ""
        # A bare legal form ("ООО") or a part opening in lower case in a non-Latin script
        # ("..., соотечественников, ...") continues the name before it.
        continuation = _LEGAL_FORM_ONLY.match(part) or (part[0].islower() and ord(part[0]) > 0x24F)
        if continuation and pieces:
            pieces[-1] = f"{pieces[-1]}, {part}"
        elif _LEGAL_FORM_ONLY.match(part):
            pending_prefix = part  # "ОАО, БЭТО": the legal form belongs to the next part
        else:
            pieces.append(part)
    if pending_prefix:
        pieces.append(pending_prefix)
    return pieces


def _and_split(text: str, is_person: bool) -> list[str]:
    parts = _AND.split(text)
    if len(parts) == 1:
        return parts
    if is_person or any(_has_non_latin(part) for part in parts):
        return parts
    first_words = {part.split(" ", 1)[0] for part in parts}
    if len(first_words) == 1 or all(_COMPLETE_NAME_END.search(part) for part in parts[:-1]):
        return parts
    return [text]


def _has_non_latin(text: str) -> bool:
    return any(ch.isalpha() and ord(ch) > 0x24F for ch in text)


def _tidy(name: str) -> str:
    name = name.strip(" ,;:")
    if name.lower().startswith(("and ", "or ")):
        name = name.split(" ", 1)[1]
    name = _TRAILING_AKA.sub("", name)
    if name.count('"') % 2 == 1:
        name = name.strip('"')
    name = name.rstrip(" (").lstrip(" )")
    if name.startswith("(") and ")" not in name:
        name = name[1:]
    if name.endswith(")") and name.count(")") > name.count("("):
        name = name[:-1]
    return name.strip()


# -- dates and keys -------------------------------------------------------------------------------


def _dates(text: str, listed: str | None) -> list[str]:
    """FtM dates from ``DateOfBirthOrShipBuildDate``: ``1965-04-29``, ``1972``, ``1963-1964``
    (each year), ``1963 or 1964``, ``Sep-99`` (September 1999). Prose gives nothing."""
    found: list[str] = []
    for part in re.split(r"\s+or\s+", text.strip(), flags=re.IGNORECASE):
        part = part.strip()
        years = _YEAR_RANGE.match(part)
        month_yy = _MONTH_YY.match(part)
        if years and 0 <= int(years.group(2)) - int(years.group(1)) <= 20:
            found.extend(str(y) for y in range(int(years.group(1)), int(years.group(2)) + 1))
        elif month_yy:
            yy = int(month_yy.group(2))
            # A two-digit year is a birth year no later than the listing year.
            pivot = int(listed[2:4]) if listed and listed[:4].isdigit() else 0
            year = 2000 + yy if yy <= pivot else 1900 + yy
            date = parse_date(f"{month_yy.group(1)} {year}")
            if date:
                found.append(date)
        else:
            date = parse_date(part)
            if date:
                found.append(date)
    return found


def _regime_key(regime: str) -> str:
    """``Russia``; ``Myanmar (Burma)`` -> ``Myanmar``; ``... Regulations (JVCFOR)`` -> ``JVCFOR``."""
    abbreviation = re.search(r"\(([A-Z]{2,})\)", regime)
    if abbreviation:
        return abbreviation.group(1)
    plain = re.sub(r"\s*\([^)]*\)", "", regime)
    return re.sub(r"[^0-9A-Za-z]+", "-", plain).strip("-")


def _schedule_key(schedule: str | None) -> str:
    """``1, Part 1.1`` -> ``1-Part-1.1``; no schedule -> ``-``."""
    if not schedule:
        return "-"
    return re.sub(r"[^0-9A-Za-z.]+", "-", schedule).strip("-")


def _fields(el: etree._Element) -> dict[str, str]:
    """A record's child elements as name -> text, whitespace runs collapsed, empty ones left out."""
    fields: dict[str, str] = {}
    for child in el:
        if not isinstance(child.tag, str):
            continue
        text = " ".join((child.text or "").split())
        if text and local_name(child) not in fields:
            fields[local_name(child)] = text
    return fields
