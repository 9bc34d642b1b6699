"""Which hosts count as this machine: the test behind control routes and callback delivery.

Decided from the name alone, never by resolving it: ``localhost`` and ``*.localhost`` (RFC 6761
reserves them for loopback) and loopback IP literals. Any other name counts as the network, even
one that happens to resolve to 127.0.0.1, so the answer cannot change with DNS.
"""

from __future__ import annotations

import ipaddress

import httpx

LISTEN_HOST_KEY = "kling.fake.listen_host"
"""Scope key under which the socket server tells the fake which host it listens on."""


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a name or an IP literal, IPv6 with or without brackets) is loopback."""
    name = host.strip().removeprefix("[").removesuffix("]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def is_loopback_url(url: str) -> bool:
    """Whether ``url`` points at a loopback host (``False`` for a URL that does not parse)."""
    try:
        host = httpx.URL(url).host
    except httpx.InvalidURL:
        return False
    return bool(host) and is_loopback_host(host)
