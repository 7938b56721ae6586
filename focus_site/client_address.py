"""The address a request came from, as the deployment's own proxies vouch for it.

Every throttle counts per client address, so the address must be one the client
cannot choose. ``X-Forwarded-For`` is a list anyone can start: a client may send
``X-Forwarded-For: 1.2.3.4`` and each proxy on the way appends the address it saw
connecting. Only the entries our own proxies appended are true, and they are the
last ones; ``FOCUS_TRUSTED_PROXY_COUNT`` says how many proxies append, so the
client is the entry that many places from the right. With no trusted proxy the
connection's own address (``REMOTE_ADDR``) is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# A client with an IPv6 connection usually holds a whole /64 and may pick any
# address in it, so throttles count the /64, not the address.
IPV6_PREFIX = 64
UNKNOWN = "unknown"


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from one header entry; some proxies add a port (``[::1]:80``, ``1.2.3.4:80``)."""
    value = value.strip()
    if not value or len(value) > 64:
        return None
    candidates = [value]
    if value.startswith("[") and "]" in value:
        candidates.append(value[1 : value.index("]")])
    elif value.count(":") == 1:
        candidates.append(value.split(":", 1)[0])
    for candidate in candidates:
        try:
            address = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        # An IPv4 client reaching an IPv6 socket shows as ::ffff:a.b.c.d.
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            return address.ipv4_mapped
        return address
    return None


def trusted_proxy_count() -> int:
    return max(0, int(getattr(settings, "FOCUS_TRUSTED_PROXY_COUNT", 0)))


def client_ip(request: HttpRequest | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The client's address, or None when neither the proxies nor the socket give a valid one."""
    if request is None:
        return None
    proxies = trusted_proxy_count()
    if proxies:
        # Several X-Forwarded-For headers reach Django joined with commas, in order.
        entries = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(entries) >= proxies:
            address = _parse(entries[-proxies])
            if address is not None:
                return address
        # Fewer entries than proxies (or a garbled one): the request did not come
        # through every proxy, so nothing in the header can be trusted.
    return _parse(request.META.get("REMOTE_ADDR", ""))


def client_address(request: HttpRequest | None) -> str:
    """The key throttles count under: the IPv4 address, or the IPv6 address's /64 network."""
    address = client_ip(request)
    if address is None:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False)
        return str(network)
    return str(address)
