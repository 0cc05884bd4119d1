"""A store the CLI cannot reach ends in one line that names it, its password hidden: never a
traceback, never the secret (a PostgreSQL URL carries its password in the connection string)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

SECRET = "s3cret-Pw-7781"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.mark.parametrize("args", [["cases", "list"], ["lists", "list"], ["serve", "--port", "1"]])
def test_an_unreachable_store_is_named_without_its_password_and_without_a_traceback(tmp_path, args):
    url = f"postgresql://screening:{SECRET}@127.0.0.1:{_closed_port()}/proscribe"
    env = dict(os.environ, PROSCRIBE_HOME=str(tmp_path), PROSCRIBE_DATABASE_URL=url)
    done = subprocess.run(
        [sys.executable, "-m", "proscribe.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert SECRET not in output
    assert "Traceback" not in output
    assert "error: the store postgresql://screening:***@127.0.0.1:" in done.stderr, output
