"""Principals of the CLI tests: the OS login of this process mapped in os_users.toml, and keys of
users to act with through PROSCRIBE_API_KEY."""

from __future__ import annotations

import os
from pathlib import Path

from proscribe.api import auth
from proscribe.cases.principal import MAPPING_FILE, os_login


def map_os_user(home: Path, user: str, role: str = "analyst", login: str | None = None) -> Path:
    """Map ``login`` (default: this process's own) to ``user`` with ``role``; the file is 0600."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / MAPPING_FILE
    path.write_text(f'[os_users]\n"{login or os_login()}" = {{ user = "{user}", role = "{role}" }}\n')
    os.chmod(path, 0o600)
    return path


def key_env(engine, user: str, role: str = "analyst") -> dict[str, str]:
    """The environment that makes the CLI act with a new key of ``user``."""
    created = auth.create_key(f"{user} cli {role} {os.urandom(3).hex()}", role, user=user, engine=engine)
    return {"PROSCRIBE_API_KEY": created.key}
