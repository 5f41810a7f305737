"""Consent routing: country from a trusted header or the offline IP table, then the regime."""

import pytest

from newsletter.consent import TEXTS, consent_for, country_for, country_from_ip, regime_for
from newsletter.models import Regime

# Addresses from the offline table that ships with iptocc, one per case.
EU_ADDRESS = "2.16.0.1"  # Netherlands
IRELAND_V6 = "2a00:1450:4001:80b::200e"
UK_ADDRESS = "81.2.69.160"
CANADA_ADDRESS = "24.48.0.1"
US_ADDRESS = "8.8.8.8"


@pytest.mark.parametrize(
    ("address", "country", "regime"),
    [
        (EU_ADDRESS, "NL", Regime.EU),
        (IRELAND_V6, "IE", Regime.EU),
        (UK_ADDRESS, "GB", Regime.UK),
        (CANADA_ADDRESS, "CA", Regime.CANADA),
        (US_ADDRESS, "US", Regime.OTHER),
    ],
)
def test_public_addresses_map_to_their_regime(address, country, regime):
    assert country_from_ip(address) == country
    assert regime_for(country) == regime
    assert consent_for({"REMOTE_ADDR": address})[1].regime == regime


@pytest.mark.parametrize(
    "address",
    ["192.168.1.20", "10.0.0.1", "127.0.0.1", "::1", "fe80::1", "", "not-an-ip", "999.1.1.1"],
)
def test_private_or_unknown_addresses_get_no_country_and_the_strictest_regime(address):
    assert country_from_ip(address) == ""
    country, text = consent_for({"REMOTE_ADDR": address})
    assert country == ""
    assert text.regime == Regime.EU


@pytest.mark.parametrize(
    ("country", "regime"),
    [
        ("NO", Regime.EU),
        ("IS", Regime.EU),
        ("LI", Regime.EU),
        ("CH", Regime.OTHER),
        ("JE", Regime.UK),
        ("GB", Regime.UK),
        ("CA", Regime.CANADA),
        ("JP", Regime.OTHER),
    ],
)
def test_eea_uk_and_canada_edges(country, regime):
    assert regime_for(country) == regime


def test_a_trusted_header_wins_over_the_address():
    meta = {"REMOTE_ADDR": US_ADDRESS, "HTTP_CF_IPCOUNTRY": "de"}
    assert country_for(meta, "HTTP_CF_IPCOUNTRY") == "DE"
    # Without the setting the same header is client-controlled, so it is ignored.
    assert country_for(meta, "") == "US"


@pytest.mark.parametrize("value", ["XX", "T1", "", "D", "DEU", "<b>", "UK"])
def test_unusable_header_values_fall_back_to_the_lookup(value):
    meta = {"REMOTE_ADDR": CANADA_ADDRESS, "HTTP_CF_IPCOUNTRY": value}
    expected = "GB" if value == "UK" else "CA"  # "UK" is a common alias of GB
    assert country_for(meta, "HTTP_CF_IPCOUNTRY") == expected


def test_every_regime_has_versioned_text():
    assert set(TEXTS) == set(Regime)
    versions = [t.version for t in TEXTS.values()]
    assert len(set(versions)) == len(versions)
    assert "GDPR" in TEXTS[Regime.EU].text
    assert "CASL" in TEXTS[Regime.CANADA].text
