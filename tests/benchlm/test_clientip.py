"""The client's address behind trusted proxies, and every consumer keying on it."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from benchlm.clientip import client_address, parse_networks
from newsletter.models import Subscriber
from tests.forms import form_post

LOOPBACK = parse_networks(["127.0.0.0/8", "::1"])
PROXY = "127.0.0.1"
SUBSCRIBE = "/digest/subscribe/"


def meta(peer: str, forwarded: str | None = None, **extra: str) -> dict[str, str]:
    found = {"REMOTE_ADDR": peer, **extra}
    if forwarded is not None:
        found["HTTP_X_FORWARDED_FOR"] = forwarded
    return found


@pytest.mark.parametrize(
    ("peer", "forwarded", "count", "expected"),
    [
        # No proxy configured: the peer is the client, whatever it writes into a header.
        ("203.0.113.7", "198.51.100.1", 0, "203.0.113.7"),
        # One proxy on loopback: the last hop it appended.
        (PROXY, "198.51.100.1", 1, "198.51.100.1"),
        # A client that forges a first hop gets the address the proxy saw, not the forgery.
        (PROXY, "6.6.6.6, 198.51.100.1", 1, "198.51.100.1"),
        # Two proxies: the second from the right; the nearest proxy's own hop is skipped.
        (PROXY, "6.6.6.6, 198.51.100.1, 10.0.0.5", 2, "198.51.100.1"),
        # A peer outside the trusted networks is not our proxy: its header is a claim.
        ("203.0.113.7", "198.51.100.1", 1, "203.0.113.7"),
        # Too few hops or garbage: the peer, never the garbage.
        (PROXY, "", 1, PROXY),
        (PROXY, "198.51.100.1", 2, PROXY),
        (PROXY, "not-an-address", 1, PROXY),
        (PROXY, "198.51.100.1:4433", 1, PROXY),
        # IPv6, canonicalised, and an IPv4-mapped address read as IPv4.
        ("::1", "2001:DB8::0001", 1, "2001:db8::1"),
        (PROXY, "::ffff:198.51.100.1", 1, "198.51.100.1"),
    ],
)
def test_client_address(peer, forwarded, count, expected):
    assert client_address(meta(peer, forwarded), proxy_count=count, trusted=LOOPBACK) == expected


def test_a_cdn_header_is_read_whole_and_only_from_a_trusted_peer():
    header = "HTTP_CF_CONNECTING_IP"
    trusted = meta(PROXY, **{header: "198.51.100.1"})
    forged = meta("203.0.113.7", **{header: "198.51.100.1"})
    assert client_address(trusted, proxy_count=1, trusted=LOOPBACK, header=header) == (
        "198.51.100.1"
    )
    assert client_address(forged, proxy_count=1, trusted=LOOPBACK, header=header) == "203.0.113.7"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_NETWORKS = ["127.0.0.0/8", "::1"]
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"


def via_proxy(client: Client, path: str, data: dict, client_address: str, **extra):
    return form_post(
        client, path, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address, **extra
    )


@pytest.mark.django_db
def test_fifty_clients_behind_one_proxy_all_sign_up_while_one_address_is_limited(
    client, settings, behind_proxy
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.SIGNUP_RATE_PER_CLIENT = 20
    statuses = [
        via_proxy(client, SUBSCRIBE, {"email": f"reader{i}@example.com"}, f"198.51.100.{i + 1}")
        for i in range(50)
    ]
    assert [r.status_code for r in statuses] == [302] * 50
    assert Subscriber.objects.count() == 50

    # One address (forging a different first hop each time) is held to its own limit.
    noisy = [
        via_proxy(client, SUBSCRIBE, {"email": f"noisy{i}@example.com"}, f"10.{i}.0.1, 203.0.113.9")
        for i in range(settings.SIGNUP_RATE_PER_CLIENT + 5)
    ]
    codes = [r.status_code for r in noisy]
    assert codes == [302] * settings.SIGNUP_RATE_PER_CLIENT + [429] * 5
    # ...while everyone else still gets through.
    other = via_proxy(client, SUBSCRIBE, {"email": "late@example.com"}, "198.51.100.200")
    assert other.status_code == 302


@pytest.mark.django_db
def test_the_consent_country_is_the_clients_not_the_proxys(client, behind_proxy, settings):
    settings.CONSENT_COUNTRY_HEADER = "HTTP_CF_IPCOUNTRY"
    # Pages are the same for everyone; the signup box fetches its reader's own consent text.
    consent = "/digest/consent/"
    canada = client.get(consent, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="24.48.0.1")
    assert "CASL" in canada.content.decode()
    # The proxy's country header is believed; the same header from a stranger is not.
    uk = client.get(consent, REMOTE_ADDR=PROXY, HTTP_CF_IPCOUNTRY="GB")
    assert "PECR" in uk.content.decode()
    forged = client.get(consent, REMOTE_ADDR="24.48.0.1", HTTP_CF_IPCOUNTRY="GB")
    assert "CASL" in forged.content.decode() and "PECR" not in forged.content.decode()


LOGIN = "/admin/login/?next=/admin/"


@pytest.mark.django_db
def test_admin_lockouts_key_on_the_client_behind_the_proxy(client, behind_proxy, settings):
    User.objects.create_superuser("editor", "editor@example.com", "right-password-123")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        via_proxy(client, LOGIN, {"username": "editor", "password": "wrong"}, "203.0.113.5")
    attacker = via_proxy(
        client, LOGIN, {"username": "editor", "password": "right-password-123"}, "203.0.113.5"
    )
    assert attacker.status_code == 429
    # The editor, behind the same proxy from another address, is not locked out.
    editor = via_proxy(
        client, LOGIN, {"username": "editor", "password": "right-password-123"}, "198.51.100.9"
    )
    assert editor.status_code == 302 and editor["Location"] == "/admin/"
