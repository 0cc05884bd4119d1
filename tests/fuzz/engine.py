"""Makes the fuzz inputs of a target from its seeds, and keeps the inputs that broke a parser.

The same (target, count, seed) always makes the same inputs: ``random.Random`` seeded with a
string is derandomised (no hash randomisation), so the budgeted run in ``make test`` checks the
same examples every time, and a longer ``make fuzz`` run explores new ones from a new seed.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

from mutate import mutate
from targets import Target


def inputs(target: Target, count: int, seed: str) -> Iterator[tuple[str, bytes]]:
    """``count`` mutated inputs, each labelled by its seed file and its number."""
    seeds = [(path, path.read_bytes()) for path in target.seeds()]
    if not seeds:
        raise FileNotFoundError(f"no seed files in {target.corpus}")
    others = [data for _, data in seeds]
    rng = random.Random(f"{target.name}:{seed}")
    for n in range(count):
        path, data = seeds[n % len(seeds)]
        yield f"{path.name} #{n}", mutate(data, target.kind_of(path), rng, others)


def save_crash(target: Target, data: bytes) -> Path:
    """Keep an input that broke the parser in the target's corpus (named by its digest, so the
    same input is kept once); every corpus file is replayed by ``make test``."""
    path = target.corpus / f"crash-{hashlib.sha256(data).hexdigest()[:16]}"
    if not path.exists():
        path.write_bytes(data)
    return path
