"""Every file of the fuzz corpus (seeds and the inputs that once broke a parser) is replayed: each
parses or is refused with its parser's typed error. A crash found in code that is not fixed yet
is listed in corpus/KNOWN_FAILURES.toml and expected to fail (strictly, so the fix shows)."""

from __future__ import annotations

import tomllib

import pytest
from targets import CORPUS, TARGETS, run_with_limit, warm_up

KNOWN = tomllib.loads((CORPUS / "KNOWN_FAILURES.toml").read_text(encoding="utf-8"))


def _cases():
    for name, target in sorted(TARGETS.items()):
        for path in target.corpus_files():
            relative = path.relative_to(CORPUS).as_posix()
            reason = KNOWN.get(relative)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(name, path, id=relative, marks=marks)


@pytest.mark.parametrize(("target", "path"), list(_cases()))
def test_corpus_file_parses_or_is_refused_with_the_typed_error(target, path, fuzz_context, tmp_path):
    warm_up(TARGETS[target], tmp_path, fuzz_context)
    run_with_limit(TARGETS[target], path.read_bytes(), tmp_path, fuzz_context)


def test_every_known_failure_names_a_corpus_file():
    files = {p.relative_to(CORPUS).as_posix() for t in TARGETS.values() for p in t.corpus_files()}
    assert set(KNOWN) <= files
