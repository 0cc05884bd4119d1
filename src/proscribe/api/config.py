"""Settings of the screening service: defaults, then a TOML file, then environment variables,
then command-line flags (each overriding the one before).

The file is ``PROSCRIBE_SERVICE_CONFIG`` or, when that is unset, ``$PROSCRIBE_HOME/service.toml``
if it exists; it holds a ``[service]`` table with the keys below. Environment variables are the
keys upper-cased with the prefix ``PROSCRIBE_``: ``PROSCRIBE_MAX_BODY_BYTES=1048576``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from proscribe import settings


@dataclass(frozen=True)
class ServiceSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    no_auth: bool = False
    max_body_bytes: int = 4 * 1024 * 1024  # larger bodies get 413
    max_batch: int = 1000  # queries in one request
    rate_limit: float = 2000.0  # requests per second per key (a key's own limit overrides it)
    record_batch: int = 500  # screening records written in one transaction, at most
    record_linger_ms: float = 2.0  # how long the writer waits to fill a batch once it has one record
    reload_poll_s: float = 1.0  # how often a worker looks for a reload another worker made
    pin_cpus: bool = True  # each worker process keeps all its threads on one CPU of its own (Linux)
    key_cache_s: float = 2.0  # how long a verified key is trusted before the store is read again
    # (so a revoked key keeps working for up to this long: the revocation lag, 2 s by default)
    auth_fail_limit: int = 30  # unknown or revoked keys from one client address within the window, then 429
    auth_fail_window_s: float = 60.0
    max_json_depth: int = 64  # JSON bodies nested deeper are refused (422)
    max_json_items: int = 10_000  # JSON bodies with a longer array or object are refused (422)
    body_timeout_s: float = 15.0  # a request body not received whole within this gets 408
    request_timeout_s: float = 120.0  # an answer not started within this gets 504 (see docs/security.md)
    max_concurrency: int = 2048  # connections and requests at once, per worker; more get 503
    monitor_on_reload: bool = True  # re-screen the customer book after a reload that changed the lists
    hsts_max_age: int = 0  # seconds of Strict-Transport-Security; set it when clients reach the service over TLS

    @classmethod
    def load(cls, **overrides: Any) -> ServiceSettings:
        values: dict[str, Any] = {}
        path = os.environ.get("PROSCRIBE_SERVICE_CONFIG")
        file = Path(path) if path else settings.home() / "service.toml"
        if file.exists():
            with file.open("rb") as handle:
                data = tomllib.load(handle)
            values.update(data.get("service", data))
        for f in fields(cls):
            env = os.environ.get(f"PROSCRIBE_{f.name.upper()}")
            if env is not None and env != "":
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(f"{file}: unknown service setting(s) {', '.join(unknown)}")
        return replace(cls(), **{k: _convert(k, v, known[k].type) for k, v in values.items()})

    def to_env(self) -> dict[str, str]:
        """The environment that makes :meth:`load` in a worker process return these settings."""
        return {f"PROSCRIBE_{f.name.upper()}": str(getattr(self, f.name)) for f in fields(self)}


def _convert(name: str, value: Any, kind: Any) -> Any:
    kind = kind if isinstance(kind, str) else kind.__name__
    try:
        if kind == "bool":
            if isinstance(value, str):
                if value.lower() in ("1", "true", "yes", "on"):
                    return True
                if value.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ValueError(f"service setting {name}: {value!r} is not a valid {kind}") from None
