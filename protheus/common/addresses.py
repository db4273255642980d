"""Whose request is it: the one function that decides a client's address, for every limit
(messages and verification in the Rasa server, console logins and survey answers in the web app).

Behind a balancer every request comes from the balancer; our nginx names the client in
X-Real-IP. Only a balancer listed in TRUSTED_PROXIES is believed: from anyone else the header
is the caller's own word (finding 1 of issue 24: 24 spoofed addresses dodged the verification
limit), and the peer is the address.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from protheus.common.settings import trusted_proxies

REAL_IP_HEADER = "X-Real-IP"  # set by our nginx
ADDRESS_CHARS = 64


def client_address(peer: str | None, real_ip: str | None) -> str | None:
    """The client's address: the X-Real-IP of a balancer in TRUSTED_PROXIES when the request came
    through it, else the peer."""
    if real_ip and _trusted_proxy(peer):
        return real_ip.strip()[:ADDRESS_CHARS]
    return peer


def _trusted_proxy(peer: str | None) -> bool:
    try:
        address = ipaddress.ip_address(peer or "")
    except ValueError:
        return False
    return any(address in network for network in _proxies())


@lru_cache(maxsize=1)
def _proxies() -> list:
    return trusted_proxies()
