"""Where the list updater may connect: the configured publishers' hosts, on public addresses.

A list URL comes from configuration, but the publisher's answer can redirect anywhere; followed
blindly, a redirect (or a host name that resolves inside the network) turns ``lists update``
into a way to reach cloud metadata services, loopback admin ports or the bank's own network.
Every hop, the first and each redirect, is checked before it is requested: http or https, a
host among the configured ones, and every address the host resolves to public (not private,
loopback, link-local, multicast, reserved or unspecified). A mirror inside the bank's network is
allowed by name in ``PROSCRIBE_UPDATE_PRIVATE_HOSTS`` (comma-separated host names); it must still
be a configured host.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

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
        if host in self.private_ok:
            return
        for address in self.resolver(host):
            if not is_public(address):
                raise UnsafeURL(
                    f"{where} {url!r}: host {host!r} resolves to {address}, a private, loopback, "
                    "link-local or reserved address"
                )
