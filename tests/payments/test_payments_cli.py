"""`proscribe payments screen` and `proscribe reports`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from proscribe.cli import app


@pytest.fixture
def cli(payment_index, monkeypatch):
    import proscribe.cli
    import proscribe.screen

    monkeypatch.setattr(proscribe.screen, "_cached", ("explicit", payment_index))
    monkeypatch.setattr(proscribe.cli, "ensure_store", lambda: None)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_payments_screen_folder_and_rerun(cli, fixture_path, tmp_path):
    out = tmp_path / "out.jsonl"
    result = cli("payments", "screen", fixture_path(""), "--output", out)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    by_file = {}
    for line in lines:
        by_file.setdefault(line["file"].rsplit("/", 1)[-1], []).append(line["decision"])
    assert by_file["pacs008_v08_itg.xml"] == ["block"]
    assert by_file["pacs008_v10_yalta.xml"] == ["reject"]
    assert by_file["pacs008_v09_remittance.xml"] == ["hold"]
    assert by_file["pain001_v03_batch.xml"] == ["pass", "pass"]
    assert all(
        d == ["hold"] for f, d in by_file.items() if f in {p.name for p in fixture_path("broken").iterdir()}
    )
    assert "pass" not in {
        line["decision"] for line in lines if line["reasons"] and line["reasons"][0]["kind"] == "parse_error"
    }
    again = tmp_path / "again.jsonl"
    assert cli("payments", "screen", fixture_path(""), "-o", again).exit_code == 0
    assert again.read_text() == out.read_text()


def test_reports_commands(cli, fixture_path, tmp_path):
    assert (
        cli(
            "payments",
            "screen",
            fixture_path("pacs008_v08_itg.xml"),
            fixture_path("pacs008_v10_yalta.xml"),
            "-o",
            tmp_path / "o.jsonl",
        ).exit_code
        == 0
    )
    result = cli("reports", "due", "--json")
    assert result.exit_code == 0, result.output
    assert {item["report"] for item in json.loads(result.stdout)} == {"blocked", "rejected"}
    for kind in ("blocked", "rejected"):
        for fmt in ("json", "csv", "pdf"):
            target = tmp_path / f"{kind}.{fmt}"
            result = cli("reports", kind, "--format", fmt, "--output", target)
            assert result.exit_code == 0, result.output
            assert target.stat().st_size > 200
    assert json.loads((tmp_path / "blocked.json").read_text())[0]["blocked_persons"][0]["programs"] == [
        "CYBER2"
    ]
    assert (
        cli("reports", "annual", "--year", "2026", "--format", "pdf", "-o", tmp_path / "a.pdf").exit_code == 0
    )
    assert cli("reports", "filed", "blocked", "NWBKGB2L-20260903-000417").exit_code == 0
    assert {i["report"] for i in json.loads(cli("reports", "due", "--json").stdout)} == {"rejected"}


def test_bad_arguments_fail_cleanly(cli, tmp_path):
    result = cli("payments", "screen", tmp_path / "missing.xml")
    assert result.exit_code == 1 and "not found" in result.output
    (tmp_path / "m.json").write_text("{}")
    result = cli("payments", "screen", tmp_path / "m.json", "--regime", "xx")
    assert result.exit_code == 1 and "unknown regime" in result.output


def test_watched_folder_screens_files_that_arrive_later(cli, fixture_path, tmp_path):
    import shutil
    import threading
    import time

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(fixture_path("pacs008_v12_clean.xml"), inbox)

    def arrive() -> None:  # a payment written into the folder while it is watched
        time.sleep(1.0)
        shutil.copy(fixture_path("pacs008_v08_itg.xml"), inbox)

    threading.Thread(target=arrive).start()
    out = tmp_path / "watched.jsonl"
    result = cli("payments", "screen", inbox, "-o", out, "--watch", "--interval", "0.3", "--watch-for", "3.5")
    assert result.exit_code == 0, result.output
    decisions = {json.loads(line)["file"].rsplit("/", 1)[-1]: json.loads(line)["decision"]
                 for line in out.read_text().splitlines()}
    assert decisions == {"pacs008_v12_clean.xml": "pass", "pacs008_v08_itg.xml": "block"}
