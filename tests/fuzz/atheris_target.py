"""One target under atheris (libFuzzer), started by run_fuzz.py: ``atheris_target.py TARGET
[libFuzzer flags] CORPUS_DIR``. The project's code is instrumented for coverage; the mutator mixes
libFuzzer's byte mutations with the structure-aware ones of :mod:`mutate`. An input that breaks
the parser's contract raises, and libFuzzer keeps it as an artifact in the target's corpus; a
hang is libFuzzer's ``-timeout``."""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["proscribe"]):
    import proscribe.cases.book  # noqa: F401
    import proscribe.ownership.graph  # noqa: F401
    import proscribe.payments  # noqa: F401
    from proscribe.sources import FORMATS

    for module in FORMATS.values():
        __import__(module)

from mutate import mutate  # noqa: E402
from run_fuzz import context_for  # noqa: E402
from targets import TARGETS, warm_up  # noqa: E402


def main() -> None:
    target = TARGETS[sys.argv.pop(1)]
    context = context_for(target)
    workdir = Path(tempfile.mkdtemp(prefix="proscribe-fuzz-input-"))
    warm_up(target, workdir, context)  # lazy tables load before libFuzzer's clock runs
    path = workdir / target.filename
    others = [seed.read_bytes() for seed in target.seeds()]
    kinds = {target.kind_of(seed) for seed in target.seeds()}

    def one_input(data: bytes) -> None:
        path.write_bytes(data)
        target.run(path, context)

    def mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        if rng.random() < 0.5:
            return atheris.Mutate(data, max_size)
        kind = "json" if "json" in kinds and data.lstrip()[:1] in (b"{", b"[") else sorted(kinds)[0]
        return mutate(data, kind, rng, others)[:max_size]

    atheris.Setup(sys.argv, one_input, custom_mutator=mutator)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
