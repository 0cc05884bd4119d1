"""XML is parsed with entity expansion, DTD loading and network access off."""

from __future__ import annotations

import pytest

from proscribe.sources.base import ListFormatError, parse_xml


def test_a_plain_doctype_without_entities_is_accepted(tmp_path):
    path = tmp_path / "plain.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [<!ELEMENT r (#PCDATA)>]>\n<r>x</r>\n')
    assert parse_xml(path).tag == "r"


def test_entity_declarations_are_refused_not_expanded(tmp_path):
    path = tmp_path / "entities.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>\n<r>&b;</r>\n')
    with pytest.raises(ListFormatError, match="entity declarations are not allowed"):
        parse_xml(path)


def test_external_entities_are_never_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>\n<r>&x;</r>\n')
    with pytest.raises(ListFormatError):
        parse_xml(path)


def test_malformed_xml_error_names_the_line(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text("<r>\n<a>\n</r>\n")
    with pytest.raises(ListFormatError, match=r"line \d"):
        parse_xml(path)
