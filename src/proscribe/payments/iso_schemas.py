"""Every ISO 20022 message checked against the official schema of its version.

The reader (:mod:`.iso20022`) takes what screening needs from a message and checks the values it
reads; a message can still break its schema elsewhere: a removed mandatory element, a bad date
in a header, an invalid currency on a returned amount, an identifier choice left empty. A gateway
that forwards such a message forwards something no bank can process as written, and a damaged
message is where a name hides. So a message that breaks its schema is held, its content still
screened (the reader has read all it can), with the schema's first complaint as the reason.

The schemas are the official ones (``xsd/``, see ``xsd/SOURCE.md``), compiled once per version
with entity expansion and network access off. Checking a message costs tens of microseconds."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMA_DIR = Path(__file__).with_name("xsd")
_SAFE = dict(resolve_entities=False, no_network=True, load_dtd=False)
_LOCK = threading.Lock()
MAX_DETAIL = 300


@cache
def schema_for(version: str) -> etree.XMLSchema | None:
    """The compiled schema of ``version`` (``pacs.008.001.08``), or None when none is shipped."""
    path = SCHEMA_DIR / f"{version}.xsd"
    if not path.is_file():
        return None
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(**_SAFE)))


def problem(document: etree._Element, namespace: str) -> str | None:
    """Why ``document`` (a ``Document`` element) breaks the schema of its namespace's version,
    or None when it is valid. A version with no shipped schema, or a schema that cannot decide,
    is a problem too: the message cannot be shown to be well formed."""
    version = namespace.rsplit(":", 1)[-1]
    try:
        schema = schema_for(version)
    except etree.XMLSchemaParseError as exc:  # a damaged schema file: fail closed
        return f"the {version} schema could not be read ({exc}); the message cannot be checked"
    if schema is None:
        return f"no schema for {version} is shipped; the message cannot be checked"
    try:
        with _LOCK:  # one compiled schema is shared by every thread of the service
            valid = schema.validate(etree.ElementTree(document))
            error = schema.error_log.last_error
    except Exception as exc:  # noqa: BLE001 - the validator's own failure holds the message
        return f"the message could not be checked against the {version} schema ({type(exc).__name__})"
    if valid:
        return None
    where = f"line {error.line}: " if error is not None and error.line else ""
    message = (error.message if error is not None else "invalid").replace(
        "{urn:iso:std:iso:20022:tech:xsd:" + version + "}", ""
    )
    return f"not valid against the {version} schema: {where}{message}"[:MAX_DETAIL]
