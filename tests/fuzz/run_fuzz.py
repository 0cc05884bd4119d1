"""``make fuzz``: the long fuzzing run, coverage-guided with atheris when it is installed (the
``fuzz`` extra), else seeded random mutation of the same seeds.

    python tests/fuzz/run_fuzz.py --seconds 600 [--targets ofac_xml,payments/mt]

The time is shared between the targets. Every input that breaks a parser (an exception other
than its typed error, a hang, for payments no payment or a pass it could not read) is written to
tests/fuzz/corpus/<target>/ (atheris names them ``crash-``/``timeout-``/``oom-`` and a digest),
where ``make test`` replays it. The run exits non-zero when it kept any new input.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from engine import inputs, save_crash  # noqa: E402
from targets import INPUT_SECONDS, TARGETS, Target, run_with_limit, warm_up  # noqa: E402


def payment_screener():
    """A Screener on an index compiled from the bundled lists in a private PROSCRIBE_HOME."""
    os.environ["PROSCRIBE_HOME"] = tempfile.mkdtemp(prefix="proscribe-fuzz-")
    from proscribe import bundled
    from proscribe.payments.decide import Screener
    from proscribe.screen import get_index

    bundled.ensure_loaded()
    return Screener(get_index(refresh=True), regime="us")


def context_for(target: Target) -> dict:
    if "PROSCRIBE_HOME" not in os.environ:
        os.environ["PROSCRIBE_HOME"] = tempfile.mkdtemp(prefix="proscribe-fuzz-")
    context: dict = {}
    if target.name.startswith("payments/"):
        context["screener"] = payment_screener()
    from proscribe.store.db import connect

    context["engine"] = connect()
    return context


def _corpus_count(target: Target) -> int:
    return len(target.corpus_files())


# -- random engine --------------------------------------------------------------------------------


def random_run(target: Target, seconds: float) -> int:
    """Seeded random mutation until the time is used; returns how many inputs were kept."""
    context = context_for(target)
    workdir = Path(tempfile.mkdtemp(prefix="proscribe-fuzz-input-"))
    warm_up(target, workdir, context)
    deadline = time.monotonic() + seconds
    kept = tried = 0
    while time.monotonic() < deadline:
        seed = f"random-{random.randrange(2**63)}"
        for label, data in inputs(target, 50, seed):
            tried += 1
            try:
                run_with_limit(target, data, workdir, context)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - every failure is kept and reported
                path = save_crash(target, data)
                kept += 1
                print(f"{target.name}: {label}: {type(exc).__name__}: {str(exc)[:200]} -> {path}", flush=True)
            if time.monotonic() >= deadline:
                break
    print(f"{target.name}: {tried} inputs, {kept} kept", flush=True)
    return kept


# -- atheris engine -------------------------------------------------------------------------------


def atheris_run(target: Target, seconds: float) -> int:
    """libFuzzer through atheris in a child process (a crash ends it), restarted until the time
    is used; new coverage inputs go to a scratch corpus, failures to the target's corpus."""
    scratch = Path(tempfile.mkdtemp(prefix="proscribe-fuzz-corpus-"))
    for seed in target.seeds():  # seeds only: a kept failure would end every run at once
        shutil.copy(seed, scratch / seed.name)
    before = _corpus_count(target)
    deadline = time.monotonic() + seconds
    while (left := int(deadline - time.monotonic())) > 5:
        command = [
            sys.executable,
            str(HERE / "atheris_target.py"),
            target.name,
            f"-max_total_time={left}",
            f"-timeout={int(INPUT_SECONDS * 2)}",
            "-rss_limit_mb=4096",
            "-max_len=262144",
            f"-artifact_prefix={target.corpus}/",
            str(scratch),
        ]
        status = subprocess.run(command, check=False).returncode
        if status == 0:
            break
    kept = _corpus_count(target) - before
    print(f"{target.name}: {kept} input(s) kept", flush=True)
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("FUZZ_SECONDS", 600)))
    parser.add_argument("--targets", default=os.environ.get("FUZZ_TARGETS", ""))
    parser.add_argument("--engine", choices=("auto", "atheris", "random"), default="auto")
    args = parser.parse_args()
    names = [n for n in args.targets.split(",") if n] or sorted(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(sorted(TARGETS))}")
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
        except ImportError:
            print("atheris is not installed (pip install -e '.[fuzz]'): random mutation only", flush=True)
            engine = "random"
        else:
            engine = "atheris"
    share = args.seconds / len(names)
    kept = 0
    for name in names:
        print(f"== {name}: {share:.0f} s ({engine})", flush=True)
        kept += (atheris_run if engine == "atheris" else random_run)(TARGETS[name], share)
    print(f"fuzz: {kept} new input(s) kept in tests/fuzz/corpus" if kept else "fuzz: no new failure")
    return 1 if kept else 0


if __name__ == "__main__":
    sys.exit(main())
