"""What the signup refuses before it does any work, and how it answers without a database."""

import pytest
from django.db import OperationalError

from newsletter import services
from newsletter.models import Subscriber
from tests.forms import form_post

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/digest/subscribe/"


@pytest.mark.parametrize(
    "email", ["user@[127.0.0.1]", "user@[IPv6:::1]", "user@[10.0.0.1]", "a@[192.168.1.1]"]
)
def test_address_literals_are_refused(client, email):
    response = form_post(client, SUBSCRIBE, {"email": email}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert not Subscriber.objects.exists()
    # Django's validator takes an IPv4 literal; the form says why it does not.
    if "IPv6" not in email:
        assert "not an IP address" in response.content.decode()


def test_a_multipart_body_is_refused_unread(client):
    response = client.post(SUBSCRIBE, {"email": "reader@example.com", "x": "y" * 1000})
    assert response.status_code == 415  # the test client posts multipart by default
    assert not Subscriber.objects.exists()


def test_a_large_url_encoded_body_is_refused_unread(client):
    body = "email=reader%40example.com&x=" + "y" * 20_000
    response = client.post(SUBSCRIBE, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert not Subscriber.objects.exists()


def test_a_small_url_encoded_body_is_taken(client, mailoutbox):
    body = "email=reader%40example.com"
    response = client.post(SUBSCRIBE, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Subscriber.objects.get().email == "reader@example.com"


def test_a_lost_database_asks_the_visitor_to_try_again(client, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(services, "subscribe", down)
    response = client.post(
        SUBSCRIBE,
        "email=reader%40example.com",
        content_type="application/x-www-form-urlencoded",
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Try again in a minute" in response.content.decode()
