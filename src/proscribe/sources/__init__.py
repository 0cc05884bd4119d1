"""Official list formats. One module per format; :data:`FORMATS` names them for the CLI."""

from __future__ import annotations

import importlib
from types import ModuleType

#: Format name -> parser module (each exposes ``parse(path, dataset) -> ParsedList``).
FORMATS: dict[str, str] = {
    "ofac_csv": "proscribe.sources.ofac_csv",
    "ofac_xml": "proscribe.sources.ofac_xml",
    "ofac_enhanced": "proscribe.sources.ofac_enhanced",
    "un_xml": "proscribe.sources.un_xml",
    "uk_ofsi": "proscribe.sources.uk_ofsi",
    "au_dfat": "proscribe.sources.au_dfat",
    "ca_sema": "proscribe.sources.ca_sema",
    "eu_fsf": "proscribe.sources.eu_fsf",
    "ftm_json": "proscribe.sources.ftm_json",
    "custom_csv": "proscribe.sources.custom_csv",
}

#: Bump when a parser's output changes, so snapshots record which parser made them.
PARSER_VERSION = "1"


class UnknownFormatError(ValueError):
    """A format name no parser answers to: a usage error, refused before any file is read."""


def check_format(format_name: str) -> None:
    """Raise :class:`UnknownFormatError` (naming every known format) unless ``format_name`` is one."""
    if format_name not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise UnknownFormatError(f"unknown list format {format_name!r}; known formats: {known}")


def parser(format_name: str) -> ModuleType:
    check_format(format_name)
    return importlib.import_module(FORMATS[format_name])
