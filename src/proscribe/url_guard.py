"""Where the list updater may connect: the configured publishers' hosts, on public addresses.

A list URL comes from configuration, but the publisher's answer can redirect anywhere; followed
blindly, a redirect (or a host name that resolves inside the network) turns ``lists update``
into a way to reach cloud metadata services, loopback admin ports or the bank's own network.
Every hop, the first and each redirect, is checked before it is requested: http or https, a
host among the configured ones, and every address the host resolves to public (not private,
loopback, link-local, multicast, reserved or unspecified). A mirror inside the bank's network is
allowed by name in ``PROSCRIBE_UPDATE_PRIVATE_HOSTS`` (comma-separated host names); it must still
be a configured host.

A check is only worth something if the connection goes where the check looked. A host name
resolved once for the check and again by the HTTP client can answer differently the second time
(DNS rebinding: a public address to the check, the metadata service to the connection). So the
addresses a check accepted are pinned: :meth:`UrlGuard.client` gives an HTTP client whose
connections go only to a host's pinned addresses and never resolve a name themselves; TLS still
verifies the certificate against the host name of the URL.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpcore
import httpx

Resolver = Callable[[str], list[str]]
PRIVATE_HOSTS_ENV = "PROSCRIBE_UPDATE_PRIVATE_HOSTS"


class UnsafeURL(ValueError):
    """A URL the updater must not request (the message says which rule and which hop)."""


def resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to."""
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})
    except socket.gaierror as exc:
        raise UnsafeURL(f"host {host!r} does not resolve: {exc}") from None


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


@dataclass(frozen=True)
class UrlGuard:
    """The hosts the updater may reach (from the configured URLs) and how names resolve."""

    hosts: frozenset[str]
    resolver: Resolver = resolve
    #: Hosts exempt from the public-address rule (a mirror inside the bank, configured by name).
    private_ok: frozenset[str] = field(default_factory=frozenset)
    #: Host -> the addresses its last check accepted; the only places :meth:`client` connects to.
    pinned: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @classmethod
    def for_urls(cls, urls: Iterable[str], **kwargs) -> UrlGuard:
        """The configured URLs' hosts; private addresses only for ``PROSCRIBE_UPDATE_PRIVATE_HOSTS``."""
        hosts = {(urlsplit(url).hostname or "").lower() for url in urls}
        private = {h.strip().lower() for h in os.environ.get(PRIVATE_HOSTS_ENV, "").split(",") if h.strip()}
        kwargs.setdefault("private_ok", frozenset(private))
        return cls(frozenset(h for h in hosts if h), **kwargs)

    def check(self, url: str, hop: int = 0) -> None:
        """Refuse ``url`` (hop 0 is the configured URL, 1... the redirects) unless it is allowed."""
        where = "the configured URL" if hop == 0 else f"redirect {hop}"
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise UnsafeURL(f"{where} {url!r}: scheme {parts.scheme!r} is not http or https")
        host = (parts.hostname or "").lower()
        if host not in self.hosts:
            raise UnsafeURL(
                f"{where} {url!r}: host {host!r} is not a configured list host ({', '.join(sorted(self.hosts))})"
            )
        addresses = [_literal(host)] if _literal(host) else self.resolver(host)
        if not addresses:
            raise UnsafeURL(f"{where} {url!r}: host {host!r} resolves to no address")
        if host not in self.private_ok:
            for address in addresses:
                if not is_public(address):
                    raise UnsafeURL(
                        f"{where} {url!r}: host {host!r} resolves to {address}, a private, loopback, "
                        "link-local or reserved address"
                    )
        self.pinned[host] = tuple(addresses)

    def client(self, **kwargs) -> httpx.Client:
        """An HTTP client that connects only to the addresses :meth:`check` accepted for a host
        (a host not checked is not connected to at all), so no second look-up can send it
        elsewhere. Redirects are not followed by it: the updater follows them, checking each."""
        return httpx.Client(transport=_PinnedTransport(self), follow_redirects=False, **kwargs)


def _literal(host: str) -> str | None:
    """``host`` when it is an IP address written out (nothing to resolve), else None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


class _PinnedBackend(httpcore.NetworkBackend):
    """Opens TCP connections to a host's pinned addresses instead of resolving its name."""

    def __init__(self, guard: UrlGuard):
        self.guard = guard
        self.system = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = self.guard.pinned.get(host.lower().strip("[]"))
        if not addresses:
            raise httpcore.ConnectError(f"host {host!r} was not checked, so it is not connected to")
        problem: Exception | None = None
        for address in addresses:
            try:
                return self.system.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                problem = exc
        raise problem  # type: ignore[misc]

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("the list updater does not use Unix sockets")

    def sleep(self, seconds: float) -> None:
        self.system.sleep(seconds)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (its request mapping, TLS and pooling) over :class:`_PinnedBackend`.
    The connection pool is replaced after construction: httpx has no parameter for a network
    backend. ``tests/test_update_ssrf.py`` fails if that ever stops taking effect."""

    def __init__(self, guard: UrlGuard, **kwargs):
        super().__init__(**kwargs)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=10,
            network_backend=_PinnedBackend(guard),
        )
