"""Entities blocked through ownership take part in screening like listed ones (the OFAC rule by
default), with the path in the explanation; other regimes' results stay out unless asked for."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).with_name("proscribe")

OWNERSHIP_CSV = """owner_id,owner_name,owned_id,owned_name,share,relationship,source
us_ofac_sdn-50543,,acme,Acme Holdings Ltd,50,shareholding,registry
acme,Acme Holdings Ltd,acme-sub,Zenith Quantum Robotics GmbH,60,shareholding,registry
"""


def _run(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PROSCRIBE_HOME=str(home))
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, env=env, timeout=600)


def test_company_owned_through_a_chain_is_blocked_with_the_path_explained(screening_home, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(screening_home, home)
    data = tmp_path / "ownership.csv"
    data.write_text(OWNERSHIP_CSV, encoding="utf-8")
    proc = _run(home, "ownership", "import", str(data))
    assert proc.returncode == 0, proc.stdout + proc.stderr

    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"id": "sub", "schema": "Company", "properties": {"name": ["Zenith Quantum Robotics GmbH"]}})
        + "\n"
        + json.dumps({"id": "other", "schema": "Company", "properties": {"name": ["Zenith Dental Clinic"]}})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    proc = _run(home, "screen", str(queries), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    sub, other = (json.loads(line) for line in out.read_text().splitlines())
    assert sub["decision"] == "block"
    top = sub["results"][0]
    assert top["dataset"] == "derived_ownership"
    ownership = top["explanation"]["ownership"]
    assert ownership["regime"] == "ofac" and ownership["status"] == "block"
    assert "INTEGRITY TECHNOLOGY GROUP, INCORPORATED" in ownership["explanation"]
    assert "Acme Holdings Ltd" in ownership["explanation"]
    assert other["decision"] == "clear"
