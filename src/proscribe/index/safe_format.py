"""A persisted-object format that cannot run code when read: NumPy arrays (never object arrays,
read with ``allow_pickle=False``) in an uncompressed ``.npz`` plus a JSON description.

Why not pickle: a pickle names callables to run while it loads, so anyone who can write a file
into ``$PROSCRIBE_HOME/index/`` could run code in the next process that screens. Here a file can
only describe data: strings, numbers, booleans, ``None``, lists, tuples, sets, frozensets, dicts,
NumPy arrays and instances of the few classes the caller allows by name (built through their
constructor). Anything else is refused when saving, and an unknown tag or class when loading.

The encoding is columnar so that large indexes load fast: every distinct string is stored once,
in one UTF-8 buffer split on NUL, and a list of strings is an array of positions in it; a list of numbers one array, a list of tuples one flat column plus offsets, a list
of objects one column per attribute, a dict its key column and value column; mixed lists carry a
type tag per item. It walks whatever attributes the object has, so a new index field needs no
change here.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from typing import Any

import numpy as np

FORMAT = "proscribe-safe-2"
_SEP = "\x00"
_INT32 = (np.iinfo(np.int32).min, np.iinfo(np.int32).max)


class UnsafeFormatError(ValueError):
    """The file is not a well-formed safe-format file (or names a class not allowed)."""


class _Writer:
    def __init__(self, classes: dict[str, type]):
        self.arrays: list[np.ndarray] = []
        self.names = {cls: name for name, cls in classes.items()}
        # one pool of distinct strings for the whole file: a string used in several places (a
        # token in the vocabulary and in every form) is one object again after loading, as with
        # pickle's memo, and each is decoded once
        self.pool: dict[str, int] = {}

    def put(self, array: np.ndarray) -> int:
        if array.dtype.hasobject:
            raise TypeError("object arrays cannot be stored without pickle")
        self.arrays.append(np.ascontiguousarray(array))
        return len(self.arrays) - 1

    # -- one value --------------------------------------------------------------------------
    def value(self, value: Any) -> dict[str, Any]:
        if isinstance(value, np.ndarray):
            return {"t": "nd", "a": self.put(value)}
        if value is None or isinstance(value, (bool, int, float, str)):
            return {"t": "v", "v": value}
        if isinstance(value, (list, tuple, set, frozenset)):
            return {"t": "seq", "k": type(value).__name__, "c": self.column(list(value))}
        if isinstance(value, dict):
            return {"t": "map", "k": self.column(list(value)), "v": self.column(list(value.values()))}
        name = self.names.get(type(value))
        if name is not None:
            return {"t": "obj", "cls": name, "f": {k: self.value(v) for k, v in _attributes(value).items()}}
        raise TypeError(f"cannot store a {type(value).__name__} safely")

    # -- a list of values -------------------------------------------------------------------
    def column(self, items: list[Any]) -> dict[str, Any]:
        if not items:
            return {"c": "empty"}
        kinds = {type(item) for item in items}
        if len(kinds) > 1:
            return self._mixed(items, kinds)
        kind = kinds.pop()
        if kind is str:
            pool = self.pool
            codes = [pool.setdefault(item, len(pool)) for item in items]
            return {"c": "sref", "a": self.put(np.asarray(codes, dtype=np.int32))}
        if kind is bool:
            return {"c": "num", "a": self.put(np.asarray(items, dtype=np.bool_))}
        if kind is int:
            try:
                array = np.asarray(items, dtype=np.int64)
            except OverflowError:
                return {"c": "json", "v": items}
            if len(array) and _INT32[0] <= array.min() and array.max() <= _INT32[1]:
                array = array.astype(np.int32)
            return {"c": "num", "a": self.put(array)}
        if kind is float:
            return {"c": "num", "a": self.put(np.asarray(items, dtype=np.float64))}
        if kind is type(None):
            return {"c": "none", "n": len(items)}
        if kind in (tuple, list, set, frozenset):
            offsets = np.zeros(len(items) + 1, dtype=np.int64)
            np.cumsum([len(item) for item in items], out=offsets[1:])
            flat = [element for item in items for element in item]
            return {"c": "ragged", "k": kind.__name__, "o": self.put(offsets), "in": self.column(flat)}
        if kind is dict:
            offsets = np.zeros(len(items) + 1, dtype=np.int64)
            np.cumsum([len(item) for item in items], out=offsets[1:])
            keys = [k for item in items for k in item]
            values = [v for item in items for v in item.values()]
            return {"c": "dicts", "o": self.put(offsets), "k": self.column(keys), "v": self.column(values)}
        if kind is np.ndarray:
            return {"c": "arrays", "a": [self.put(item) for item in items]}
        name = self.names.get(kind)
        if name is not None:
            fields = list(_attributes(items[0]))
            return {
                "c": "objs",
                "cls": name,
                "f": {f: self.column([getattr(item, f) for item in items]) for f in fields},
            }
        raise TypeError(f"cannot store a list of {kind.__name__} safely")

    def pool_column(self) -> dict[str, Any]:
        items = list(self.pool)
        text = _SEP.join(items)
        if text.count(_SEP) != len(items) - 1:  # a NUL inside a string: spelled out instead
            return {"c": "json", "v": items}
        return {"c": "str", "a": self.put(np.frombuffer(text.encode("utf-8", "surrogatepass"), np.uint8))}

    def _mixed(self, items: list[Any], kinds: set[type]) -> dict[str, Any]:
        order = sorted(kinds, key=lambda k: k.__name__)
        position = {kind: i for i, kind in enumerate(order)}
        tags = np.asarray([position[type(item)] for item in items], dtype=np.uint8)
        parts = [self.column([item for item in items if type(item) is kind]) for kind in order]
        return {"c": "mixed", "tags": self.put(tags), "parts": parts}


def _attributes(obj: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(obj) and not hasattr(obj, "__dict__"):  # slots
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    return dict(vars(obj))


class _Reader:
    def __init__(self, arrays: Callable[[int], np.ndarray], classes: dict[str, type]):
        self.array = arrays
        self.classes = classes
        self.pool = np.empty(0, dtype=object)  # in memory only: references to the decoded strings

    def _class(self, name: Any) -> type:
        cls = self.classes.get(name) if isinstance(name, str) else None
        if cls is None:
            raise UnsafeFormatError(f"the file names a class that is not allowed: {name!r}")
        return cls

    def value(self, node: dict[str, Any]) -> Any:
        tag = node.get("t")
        if tag == "v":
            return node["v"]
        if tag == "nd":
            return self.array(node["a"])
        if tag == "seq":
            items = self.column(node["c"])
            return _SEQ[node["k"]](items) if node["k"] != "list" else items
        if tag == "map":
            return dict(zip(self.column(node["k"]), self.column(node["v"]), strict=True))
        if tag == "obj":
            cls = self._class(node["cls"])
            fields = {k: self.value(v) for k, v in node["f"].items()}
            return _build(cls, fields)
        raise UnsafeFormatError(f"unknown value tag {tag!r}")

    def column(self, node: dict[str, Any]) -> list[Any]:
        tag = node.get("c")
        if tag == "empty":
            return []
        if tag == "sref":
            return self.pool[self.array(node["a"])].tolist()
        if tag == "str":
            return bytes(self.array(node["a"])).decode("utf-8", "surrogatepass").split(_SEP)
        if tag == "num":
            return self.array(node["a"]).tolist()
        if tag == "json":
            return list(node["v"])
        if tag == "none":
            return [None] * int(node["n"])
        if tag == "ragged":
            flat = self.column(node["in"])
            offsets = self.array(node["o"]).tolist()
            kind = node["k"]
            if kind == "tuple":
                return [tuple(flat[a:b]) for a, b in zip(offsets, offsets[1:])]
            if kind == "list":
                return [flat[a:b] for a, b in zip(offsets, offsets[1:])]
            if kind == "frozenset":
                return [frozenset(flat[a:b]) for a, b in zip(offsets, offsets[1:])]
            if kind == "set":
                return [set(flat[a:b]) for a, b in zip(offsets, offsets[1:])]
            raise UnsafeFormatError(f"unknown sequence kind {kind!r}")
        if tag == "dicts":
            keys, values = self.column(node["k"]), self.column(node["v"])
            offsets = self.array(node["o"]).tolist()
            return [dict(zip(keys[a:b], values[a:b])) for a, b in zip(offsets, offsets[1:])]
        if tag == "arrays":
            return [self.array(i) for i in node["a"]]
        if tag == "objs":
            cls = self._class(node["cls"])
            names = list(node["f"])
            columns = [self.column(node["f"][name]) for name in names]
            if dataclasses.is_dataclass(cls):
                expected = [f.name for f in dataclasses.fields(cls)]
                if names == expected:  # the fast path: positional construction
                    return [cls(*values) for values in zip(*columns, strict=True)]
            return [_build(cls, dict(zip(names, values))) for values in zip(*columns, strict=True)]
        if tag == "mixed":
            tags = self.array(node["tags"]).tolist()
            parts = [iter(self.column(part)) for part in node["parts"]]
            return [next(parts[t]) for t in tags]
        raise UnsafeFormatError(f"unknown column tag {tag!r}")


_SEQ = {"tuple": tuple, "frozenset": frozenset, "set": set}


def _build(cls: type, fields: dict[str, Any]) -> Any:
    """An allowed class from stored attributes: its defaults first (attributes the file lacks),
    then the stored ones; never a constructor argument the class does not declare."""
    if dataclasses.is_dataclass(cls) and not hasattr(cls, "__slots__"):
        obj = cls()
        for name, value in fields.items():
            setattr(obj, name, value)
        return obj
    return cls(**fields)


def dumps(obj: Any, classes: dict[str, type]) -> bytes:
    """``obj`` as the bytes of a safe-format file (TypeError for anything it cannot store)."""
    writer = _Writer(classes)
    root = writer.value(obj)
    pool = writer.pool_column()
    meta = json.dumps(
        {"format": FORMAT, "pool": pool, "root": root}, ensure_ascii=True, allow_nan=True
    ).encode("ascii")
    arrays = {f"a{i}": array for i, array in enumerate(writer.arrays)}
    arrays["meta"] = np.frombuffer(meta, dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def loads(data: bytes, classes: dict[str, type]) -> Any:
    """The object a safe-format file holds. Nothing in the file can run code: arrays are read with
    ``allow_pickle=False`` and only the ``classes`` given may be built."""
    try:
        archive = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as exc:  # not a zip / npy at all
        raise UnsafeFormatError(f"not a safe-format index file: {exc}") from None
    with archive:
        if "meta" not in archive.files:
            raise UnsafeFormatError("not a safe-format index file: no description")
        try:
            meta = json.loads(bytes(archive["meta"]).decode("ascii"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise UnsafeFormatError(f"unreadable description: {exc}") from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise UnsafeFormatError("not a safe-format index file (format tag)")

        def array(i: int) -> np.ndarray:
            return archive[f"a{int(i)}"]

        try:
            reader = _Reader(array, classes)
            strings = reader.column(meta.get("pool") or {"c": "empty"})
            reader.pool = np.empty(len(strings), dtype=object)
            reader.pool[:] = strings
            return reader.value(meta["root"])
        except UnsafeFormatError:
            raise
        except (KeyError, TypeError, ValueError, IndexError, StopIteration) as exc:
            raise UnsafeFormatError(
                f"malformed safe-format index file: {type(exc).__name__}: {exc}"
            ) from None
