"""One way to read a JSON document that an attacker wrote: strict UTF-8, no lone surrogates, a
nesting limit. Every failure is a :class:`BodyError` subclass that says what and where, so
callers map the *type* to an answer (an HTTP status, a line's error) instead of parsing messages.

Why: ``json.loads`` accepts ``"\\ud800"`` (a lone surrogate that later fails to encode, deep in
whatever handles the text) and recurses until Python's stack limit on deep nesting; both
surfaced as HTTP 500s. orjson refuses invalid UTF-8 and lone surrogates; the depth is checked
here, well below any recursion limit downstream.
"""

from __future__ import annotations

from typing import Any

import orjson

MAX_DEPTH = 64


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


def _classify(exc: orjson.JSONDecodeError) -> type[BodyError]:
    message = str(exc)
    if "surrogate" in message or "UTF-8" in message:
        return EncodingError
    if "depth limit" in message or "recursion" in message:
        return TooDeep
    return SyntaxProblem


def depth_of(value: Any, limit: int) -> int:
    """The nesting depth of ``value``, counted up to ``limit + 1`` (iterative: no recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def loads(
    data: bytes | bytearray | memoryview | str, *, where: str = "body", max_depth: int = MAX_DEPTH
) -> Any:
    """The document in ``data``; :class:`BodyError` when it is empty, not UTF-8, holds a lone
    surrogate, is not JSON, or nests deeper than ``max_depth``."""
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
    if isinstance(value, dict | list) and depth_of(value, max_depth) > max_depth:
        raise TooDeep(f"JSON nested deeper than {max_depth} levels", where)
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
