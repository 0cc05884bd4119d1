"""One way to read a JSON document that an attacker wrote: strict UTF-8, no lone surrogates, a
nesting limit. Every failure is a :class:`BodyError` subclass that says what and where, so
callers map the *type* to an answer (an HTTP status, a line's error) instead of parsing messages.

Why: ``json.loads`` accepts ``"\\ud800"`` (a lone surrogate that later fails to encode, deep in
whatever handles the text) and recurses until Python's stack limit on deep nesting; both
surfaced as HTTP 500s. orjson refuses invalid UTF-8 and lone surrogates; the depth is checked
here, well below any recursion limit downstream. The length of every array and object is bounded
too: a body of a million tiny elements is small on the wire but costs every layer after the
parser (validation, screening, recording) time in proportion to its element count.
"""

from __future__ import annotations

from typing import Any

import orjson

MAX_DEPTH = 64

#: Elements of one array (or members of one object), at most, unless the caller says otherwise.
#: Generous for the bulk documents (a customer book, an ownership file); the service passes its
#: own, smaller ``max_json_items`` for API bodies.
MAX_ITEMS = 100_000


class BodyError(ValueError):
    """A document that cannot be read. ``kind`` names the problem for machine readers."""

    kind = "invalid"

    def __init__(self, message: str, where: str = "body"):
        super().__init__(f"{where}: {message}")
        self.where = where
        self.detail = message


class EmptyBody(BodyError):
    kind = "empty"


class EncodingError(BodyError):
    """Not UTF-8, or text holding lone surrogates."""

    kind = "encoding"


class SyntaxProblem(BodyError):
    kind = "syntax"


class TooDeep(BodyError):
    kind = "depth"


class TooLong(BodyError):
    """An array or object with more elements than allowed."""

    kind = "array_length"


def _classify(exc: orjson.JSONDecodeError) -> type[BodyError]:
    message = str(exc)
    if "surrogate" in message or "UTF-8" in message:
        return EncodingError
    if "depth limit" in message or "recursion" in message:
        return TooDeep
    return SyntaxProblem


def depth_of(value: Any, limit: int) -> int:
    """The nesting depth of ``value``, counted up to ``limit + 1`` (iterative: no recursion)."""
    return _shape(value, limit, None)[0]


def _shape(value: Any, max_depth: int, max_items: int | None) -> tuple[int, str | None]:
    """(depth counted up to ``max_depth + 1``, the path of the first array or object longer
    than ``max_items``, or None). Iterative: no recursion however deep the document. Paths are
    kept as (parent, key) links and written out only for the one that is reported."""
    deepest = 0
    stack: list[tuple[Any, int, tuple | None]] = [(value, 1, None)]
    while stack:
        node, depth, trail = stack.pop()
        if isinstance(node, dict):
            if max_items is not None and len(node) > max_items:
                return deepest, f"{_path(trail)} (an object of {len(node):,} members)"
            children = node.items()
        elif isinstance(node, list):
            if max_items is not None and len(node) > max_items:
                return deepest, f"{_path(trail)} (an array of {len(node):,} elements)"
            children = enumerate(node)
        else:
            continue
        if depth > deepest:
            deepest = depth
            if deepest > max_depth:
                return deepest, None
        stack.extend(
            (child, depth + 1, (trail, key)) for key, child in children if isinstance(child, dict | list)
        )
    return deepest, None


def _path(trail: tuple | None) -> str:
    """``$.queries[3].names`` for a (parent, key) chain."""
    keys = []
    while trail is not None:
        trail, key = trail
        if isinstance(key, int):
            keys.append(f"[{key}]")
        else:  # a member name is the sender's text: shown in part, never at any length
            keys.append(f".{key[:40]}..." if len(key) > 40 else f".{key}")
    return "$" + "".join(reversed(keys))


def loads(
    data: bytes | bytearray | memoryview | str,
    *,
    where: str = "body",
    max_depth: int = MAX_DEPTH,
    max_items: int = MAX_ITEMS,
) -> Any:
    """The document in ``data``; :class:`BodyError` when it is empty, not UTF-8, holds a lone
    surrogate, is not JSON, nests deeper than ``max_depth``, or holds an array or object of more
    than ``max_items`` elements."""
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise EncodingError(
                f"lone surrogate U+{ord(exc.object[exc.start]):04X} at character {exc.start}", where
            ) from None
    if not bytes(data).strip():
        raise EmptyBody("empty; send a JSON document", where)
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        kind = _classify(exc)
        if kind is EncodingError:
            raise kind(f"not valid UTF-8 text or holds a lone surrogate ({exc})", where) from None
        if kind is TooDeep:
            raise kind(f"JSON nested deeper than {max_depth} levels", where) from None
        raise kind(f"not valid JSON: {exc}", where) from None
    if isinstance(value, dict | list):
        depth, too_long = _shape(value, max_depth, max_items)
        if depth > max_depth:
            raise TooDeep(f"JSON nested deeper than {max_depth} levels", where)
        if too_long is not None:
            raise TooLong(f"{too_long} is longer than the limit of {max_items:,}", where)
    return value


def check_text(value: str, where: str) -> str:
    """``value`` when it encodes as UTF-8; :class:`EncodingError` naming the lone surrogate."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EncodingError(
            f"lone surrogate U+{ord(exc.object[exc.start]):04X} at character {exc.start + 1}", where
        ) from None
    return value
