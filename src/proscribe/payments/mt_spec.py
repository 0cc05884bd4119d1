"""The SWIFT MT message types as declared in ``mt_types.toml``, and the placing of a message's
fields into the sequences of its type.

Why a table: MT103, MT103 STP, MT202, MT202 COV and MT101 differ in which fields and letter
options they allow, in what is mandatory and in their sequences (MT202 COV's sequence B carries
the underlying customer credit transfer; MT101 repeats sequence B once per transaction). With the
differences held as data, one reader checks and screens them all the same way.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from proscribe.payments.mt_format import FieldFormat, compile_format

DATA_FILE = Path(__file__).with_name("mt_types.toml")
_ENTRY = re.compile(r"([MO])(\*?) (\d{2}[A-Z]?)(?:\[([-A-Z]+)\])?(?: (\w+))?")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a sequence: ``50a`` with options A, F, K; or a plain tag (``32A``)."""

    name: str  # "50a", "32A": how the standards name it
    tags: frozenset[str]  # the concrete tags allowed: 50A, 50F, 50K
    base: str  # "50", or the plain tag
    mandatory: bool
    repetitive: bool
    role: str  # "" when the field is only checked


@dataclass(frozen=True)
class SequenceSpec:
    name: str  # "", "A", "B"
    fields: tuple[FieldSpec, ...]
    repeat: bool = False

    def find(self, tag: str, start: int = 0) -> int:
        """Index of the first field at or after ``start`` that allows ``tag``; -1 when none."""
        for i in range(max(start, 0), len(self.fields)):
            if tag in self.fields[i].tags:
                return i
        return -1

    def find_number(self, tag: str) -> int:
        """Index of the last field with the number of ``tag`` and letter options (53D against
        53a with options A and B; of MT101's two 50a, the ordering customer); -1 when none."""
        found = -1
        for i, spec in enumerate(self.fields):
            if spec.base == base_of(tag) and spec.name.endswith("a"):
                found = i
        return found


@dataclass(frozen=True)
class TypeSpec:
    label: str  # "MT103 STP"
    message_type: str  # "103"
    flag: str  # block 3 field 119: "", "STP", "COV", "REMIT"
    sequences: tuple[SequenceSpec, ...]
    codes: dict[str, frozenset[str]]
    account_required: frozenset[str] = frozenset()
    per_transaction: str = ""  # the sequence that makes one payment per occurrence (MT101: B)
    a_or_b: tuple[str, ...] = ()
    a_or_b_required: tuple[str, ...] = ()

    def allows(self, tag: str) -> bool:
        return any(tag in spec.tags for seq in self.sequences for spec in seq.fields)

    def options(self, tag: str) -> list[str]:
        """The tags allowed for the field numbered like ``tag`` (53D -> 53A, 53B)."""
        base = base_of(tag)
        return sorted({t for seq in self.sequences for s in seq.fields if s.base == base for t in s.tags})


@dataclass
class Placed:
    """A field of the message as read: its tag, its value, where it sits."""

    tag: str
    value: str
    spec: FieldSpec | None  # None: the type does not have this field
    position: int  # 1-based order in block 4


@dataclass
class SequenceRun:
    """One occurrence of a sequence in a message."""

    spec: SequenceSpec
    number: int  # 1-based occurrence (MT101 sequence B per transaction)
    fields: list[Placed] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field, detail)

    @property
    def prefix(self) -> str:
        return f"{self.spec.name}/" if self.spec.name and self.spec.name != "A" else ""


def base_of(tag: str) -> str:
    """``50K`` -> ``50``; a tag without a letter option stays (``59`` -> ``59``)."""
    return tag[:2]


def _entry(text: str) -> FieldSpec:
    match = _ENTRY.fullmatch(text)
    if not match:
        raise ValueError(f"mt_types.toml: cannot read field entry {text!r}")
    presence, star, tag, options, role = match.groups()
    if options:
        tags = frozenset(tag + ("" if option == "-" else option) for option in options)
        name = tag + "a"
    else:
        tags, name = frozenset({tag}), tag
    return FieldSpec(name, tags, tag if options else tag, presence == "M", bool(star), role or "")


@cache
def load() -> tuple[dict[str, FieldFormat], dict[str, TypeSpec]]:
    """(format per tag, type per label) from the data file; read once."""
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    formats = {tag: compile_format(notation) for tag, notation in data["format"].items()}
    common_codes = {tag: frozenset(values) for tag, values in data.get("codes", {}).items()}
    types: dict[str, TypeSpec] = {}
    for label, spec in data["type"].items():
        sequences = tuple(
            SequenceSpec(seq["name"], tuple(_entry(e) for e in seq["fields"]), seq.get("repeat", False))
            for seq in spec["sequences"]
        )
        codes = dict(common_codes) | {t: frozenset(v) for t, v in spec.get("codes", {}).items()}
        types[label] = TypeSpec(
            label=spec["label"],
            message_type=spec["message_type"],
            flag=spec["flag"],
            sequences=sequences,
            codes=codes,
            account_required=frozenset(spec.get("account_required", ())),
            per_transaction=spec.get("per_transaction", ""),
            a_or_b=tuple(spec.get("a_or_b", ())),
            a_or_b_required=tuple(spec.get("a_or_b_required", ())),
        )
        for seq in sequences:
            for entry in seq.fields:
                missing = [t for t in entry.tags if t not in formats]
                if missing:
                    raise ValueError(f"mt_types.toml: no format for {', '.join(missing)}")
    return formats, types


def type_for(message_type: str, flag: str) -> TypeSpec | None:
    for spec in load()[1].values():
        if spec.message_type == message_type and spec.flag == flag:
            return spec
    return None


def variants(message_type: str) -> list[TypeSpec]:
    return [spec for spec in load()[1].values() if spec.message_type == message_type]


def place(fields: list[tuple[str, str]], spec: TypeSpec) -> list[SequenceRun]:
    """The fields put into the sequences of ``spec`` in message order. A field moves the reading
    on to a later sequence when the current one has no place for it further on (MT202 COV: the
    first 50a, or a second 52a after 58a, opens sequence B); a repeating sequence starts again at
    its opening field (MT101: each field 21). Errors name the field: a tag or option the type does
    not allow, a field of an earlier sequence, a field repeated that may not be."""
    runs: list[SequenceRun] = []
    sequences = spec.sequences
    current: SequenceRun | None = None
    position = -1  # index in current.spec.fields of the last field placed
    for order, (tag, value) in enumerate(fields, start=1):
        if current is None:
            current, position = SequenceRun(sequences[0], 1), -1
            runs.append(current)
        seq = current.spec
        k = seq.find(tag, position)
        if k == position and k >= 0 and not seq.fields[k].repetitive:
            k = seq.find(tag, position + 1)
        if k < 0 and seq.repeat and seq.find(tag) == 0:  # the opening field: a new occurrence
            current = SequenceRun(seq, current.number + 1)
            runs.append(current)
            current.fields.append(Placed(tag, value, seq.fields[0], order))
            position = 0
            continue
        if k < 0:
            later = _later(sequences, seq, tag)
            if later is not None:
                target, k = later
                current = SequenceRun(target, 1)
                runs.append(current)
                seq, position = target, k
        if k < 0:
            k = seq.find(tag)  # out of order in its own sequence: kept where it is
        if k >= 0:
            current.fields.append(Placed(tag, value, seq.fields[k], order))
            position = max(position, k)
            continue
        by_base = seq.find_number(tag)
        if by_base >= 0:
            allowed = ", ".join(sorted(seq.fields[by_base].tags))
            current.errors.append(
                (
                    current.prefix + tag,
                    f"option {tag[2:] or 'without letter'} of field {seq.fields[by_base].name} is not "
                    f"allowed in {spec.label} (allowed: {allowed})",
                )
            )
            current.fields.append(Placed(tag, value, seq.fields[by_base], order))
            continue
        earlier = [s.name for s in sequences if s is not seq and s.find(tag) >= 0]
        if earlier:
            detail = (
                f"field {tag} belongs to sequence {earlier[0]} of {spec.label}, not to sequence {seq.name}"
            )
        else:
            detail = f"field {tag} is not part of {spec.label}"
        current.errors.append((current.prefix + tag, detail))
        current.fields.append(Placed(tag, value, None, order))
    for run in runs:
        _check_presence(run)
    for seq in sequences:
        if not any(run.spec is seq for run in runs) and any(f.mandatory for f in seq.fields):
            name = seq.name or spec.label
            prefix = f"{seq.name}/" if seq.name and seq.name != "A" else ""
            first = next(f for f in seq.fields if f.mandatory)
            (runs[0].errors if runs else []).append(
                (prefix + first.name, f"mandatory sequence {name} of {spec.label} missing")
            )
    return runs


def _later(
    sequences: tuple[SequenceSpec, ...], seq: SequenceSpec, tag: str
) -> tuple[SequenceSpec, int] | None:
    index = sequences.index(seq)
    for target in sequences[index + 1 :]:
        k = target.find(tag)
        if k >= 0:
            return target, k
    return None


def _check_presence(run: SequenceRun) -> None:
    used: dict[FieldSpec, list[Placed]] = {}
    for placed in run.fields:
        if placed.spec is not None:
            used.setdefault(placed.spec, []).append(placed)
    for spec in run.spec.fields:
        found = used.get(spec, [])
        if spec.mandatory and not found:
            run.errors.append((run.prefix + spec.name, f"mandatory field {spec.name} missing"))
        if len(found) > 1 and not spec.repetitive:
            tags = ", ".join(p.tag for p in found)
            detail = (
                f"field {found[1].tag} appears more than once"
                if len({p.tag for p in found}) == 1
                else f"more than one option of field {spec.name}: {tags}"
            )
            run.errors.append((run.prefix + found[1].tag, detail))
