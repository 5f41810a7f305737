"""Which consent law applies to a signup, and the consent text it shows.

The country comes from a trusted proxy header when the operator configures one (a CDN that
geolocates, say), else from an offline lookup of the client's address. The address is used for
that lookup only and never stored. When the country cannot be told (a private or unknown
address) the strictest text applies: EU/EEA consent satisfies every other regime too.
"""

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import iptocc
from django.conf import settings
from django.http import HttpRequest

from benchlm.clientip import client_ip, from_trusted_proxy
from newsletter.models import Regime

# EU member states plus Iceland, Liechtenstein and Norway (the EEA).
EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EEA = frozenset([*EU.split(), "IS", "LI", "NO"])
# The UK and the Crown Dependencies, whose mail rules follow PECR.
UK = frozenset({"GB", "UK", "GG", "JE", "IM"})
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class ConsentText:
    regime: Regime
    version: str
    text: str


_BASE = (
    "Send me the BenchLM weekly digest by email. I can unsubscribe at any time with the link in "
    "every email; BenchLM keeps my address only to send the digest."
)
TEXTS = {
    Regime.EU: ConsentText(
        Regime.EU,
        "eu-2026-11",
        f"{_BASE} I consent to this processing under the GDPR and can withdraw consent at any "
        "time; the record of my consent holds the time and my country, never my IP address.",
    ),
    Regime.UK: ConsentText(
        Regime.UK,
        "uk-2026-11",
        f"{_BASE} I consent to this under the UK GDPR and PECR and can withdraw it at any time.",
    ),
    Regime.CANADA: ConsentText(
        Regime.CANADA,
        "ca-2026-11",
        f"{_BASE} I give my express consent under Canada's anti-spam law (CASL); BenchLM, "
        "benchlm.ai, is the sender.",
    ),
    Regime.OTHER: ConsentText(Regime.OTHER, "other-2026-11", _BASE),
}

# What a page shows before it knows the reader's country: EU/EEA consent satisfies every regime.
STRICTEST = TEXTS[Regime.EU]
BY_VERSION = {text.version: text for text in TEXTS.values()}


def consent_shown(posted_version: str, country: str) -> ConsentText:
    """The consent a signup gave: the text its form showed (its version is posted with it)
    when that is the reader's regime's or the strictest, else the reader's regime's; under
    the regime of the reader's country either way, which is the law that applies."""
    own = TEXTS[regime_for(country)]
    shown = BY_VERSION.get(posted_version)
    if shown is None or shown not in (own, STRICTEST):
        return own
    return replace(shown, regime=own.regime)


def regime_for(country: str) -> Regime:
    """The regime of an ISO country code; unknown ("") gets the strictest, EU/EEA."""
    if not country or country in EEA:
        return Regime.EU
    if country in UK:
        return Regime.UK
    if country == "CA":
        return Regime.CANADA
    return Regime.OTHER


def country_from_ip(address: str) -> str:
    """The country of a public address from the offline table; "" if private or unknown."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if not ip.is_global:
        return ""
    return iptocc.country_code(str(ip)) or ""


def country_for(meta: Mapping[str, str], header: str = "", address: str | None = None) -> str:
    """The client's country from a request's META.

    ``header`` is the trusted proxy header's META name (``HTTP_CF_IPCOUNTRY``); it wins when it
    holds a two-letter code. Codes a CDN uses for "unknown" or Tor (``XX``, ``T1``) fail the
    pattern or the lookup and fall through. ``address`` is the client's address as the trusted
    proxies tell it (``benchlm.clientip``); without it, the peer's own.
    """
    if header:
        value = meta.get(header, "").strip().upper()
        if _COUNTRY.match(value) and value != "XX":
            return "GB" if value == "UK" else value
    return country_from_ip(meta.get("REMOTE_ADDR", "") if address is None else address)


def consent_for(
    meta: Mapping[str, str], header: str = "", address: str | None = None
) -> tuple[str, ConsentText]:
    country = country_for(meta, header, address)
    return country, TEXTS[regime_for(country)]


def consent_for_request(request: HttpRequest) -> tuple[str, ConsentText]:
    """``consent_for`` with the operator's trusted header, if one is configured."""
    # A country header is the proxy's word: from any other peer it is the client's own claim.
    header = settings.CONSENT_COUNTRY_HEADER if from_trusted_proxy(request) else ""
    return consent_for(request.META, header, client_ip(request))
