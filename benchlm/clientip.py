"""The address of the client a request comes from, seen through the proxies we trust.

Behind a proxy every request arrives from the proxy's own address, so whatever keys on the
client (the signup rate limit, the consent country, the admin's login throttle) must read the
address the proxy passes on. Only a proxy we trust may say who the client is: a header from any
other peer is the client's own claim and is ignored, and so are the hops a client wrote into
``X-Forwarded-For`` before the first trusted proxy appended the address it saw.

Settings (``benchlm.settings``):

- ``TRUSTED_PROXY_COUNT``: how many proxies stand in front of the app (0: none; the peer is the
  client). Each appends the address it received from to ``X-Forwarded-For``, so the client is the
  ``TRUSTED_PROXY_COUNT``-th entry from the right.
- ``TRUSTED_PROXY_NETWORKS``: the networks the nearest proxy connects from; the header is read
  only when ``REMOTE_ADDR`` is in one of them.
- ``CLIENT_IP_HEADER``: the header's META name. ``HTTP_X_FORWARDED_FOR`` by default; a CDN's
  single-valued header (``HTTP_CF_CONNECTING_IP``) is read whole instead of by hops.
"""

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(specs: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``["127.0.0.1", "10.0.0.0/8"]`` as networks; a bare address is a network of one."""
    return tuple(ipaddress.ip_network(spec.strip(), strict=False) for spec in specs if spec.strip())


@lru_cache(maxsize=8)
def _networks(specs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_networks(specs)


def _address(text: str) -> str | None:
    """The canonical form of one address, or None for anything that is not one."""
    try:
        ip = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ip)


def client_address(
    meta: Mapping[str, str],
    *,
    proxy_count: int,
    trusted: Iterable[IPNetwork],
    header: str = FORWARDED_FOR,
) -> str:
    """The client's address from a request's META; pure, so it is tested without settings.

    Falls back to the peer's own address whenever the proxies' word cannot be taken: no proxy
    configured, a peer outside the trusted networks, too few hops, or a hop that is not an
    address.
    """
    peer = _address(meta.get("REMOTE_ADDR", "")) or ""
    if proxy_count <= 0 or not peer:
        return peer
    ip = ipaddress.ip_address(peer)
    if not any(ip in network for network in trusted):
        return peer  # not our proxy: whatever it says about the client is a claim
    raw = meta.get(header, "")
    if header == FORWARDED_FOR:
        hops = [hop.strip() for hop in raw.split(",") if hop.strip()]
        if len(hops) < proxy_count:
            return peer
        return _address(hops[-proxy_count]) or peer
    return _address(raw) or peer


def from_trusted_proxy(request: HttpRequest) -> bool:
    """True when the peer is one of our proxies, whose headers (a country, say) we may believe."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return False
    ip = ipaddress.ip_address(peer)
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXY_NETWORKS)))


def client_ip(request: HttpRequest) -> str:
    """The client's address under the configured proxies; computed once per request.

    Also django-axes' ``AXES_CLIENT_IP_CALLABLE``, so its lockouts key on the same address.
    """
    cached = getattr(request, "_benchlm_client_ip", None)
    if cached is not None:
        return cached
    address = client_address(
        request.META,
        proxy_count=settings.TRUSTED_PROXY_COUNT,
        trusted=_networks(tuple(settings.TRUSTED_PROXY_NETWORKS)),
        header=settings.CLIENT_IP_HEADER,
    )
    request._benchlm_client_ip = address
    return address
