"""Signup, double opt-in and unsubscribe through the views, with a real SMTP server."""

import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from newsletter import tokens
from newsletter.models import OutboxEmail, Subscriber
from tests.forms import form_post

pytestmark = pytest.mark.django_db

UK_ADDRESS = "81.2.69.160"
SUBSCRIBE = "/digest/subscribe/"
ANSWER = "a confirmation link is on its way"


def signup(client, email, *, htmx=True, ip="203.0.113.9", consent_version=None, **extra):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = {"email": email}
    if consent_version is not None:
        data["consent_version"] = consent_version
    return form_post(client, SUBSCRIBE, data, REMOTE_ADDR=ip, **headers, **extra)


def confirm_link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://\S+/digest/confirm/\S+/", text).group(0)


def test_every_page_has_the_signup_box(client):
    for url in ["/", "/pricing/", "/methodology/", "/digest/archive/"]:
        body = client.get(url).content.decode()
        assert 'id="signup-box"' in body, url
        assert "One email a week. Free. Unsubscribe anytime." in body
        assert f'action="{SUBSCRIBE}"' in body


def test_pages_show_the_strictest_text_and_fetch_the_readers_own(client):
    """Pages are the same for every visitor; the box fetches its reader's text with htmx."""
    body = client.get("/digest/", REMOTE_ADDR="24.48.0.1").content.decode()  # Canada
    assert "GDPR" in body and "CASL" not in body
    assert 'data-hx-get="/digest/consent/" data-hx-trigger="load" data-hx-target="this"' in body
    assert body.count('id="signup-box"') == 1
    fragment = client.get("/digest/consent/", REMOTE_ADDR="24.48.0.1", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "CASL" in text and 'name="consent_version" value="ca-2026-11"' in text
    assert "data-hx-get" not in text  # fetched once
    assert fragment["Cache-Control"] == "private, max-age=3600"
    eu = client.get("/digest/consent/", REMOTE_ADDR="2.16.0.1").content.decode()
    assert "GDPR" in eu and 'value="eu-2026-11"' in eu


@pytest.mark.parametrize(
    ("posted", "version"),
    [
        ("uk-2026-11", "uk-2026-11"),  # the fetched text
        ("eu-2026-11", "eu-2026-11"),  # the page's own (no JavaScript): the strictest
        ("ca-2026-11", "uk-2026-11"),  # another regime's text was never shown here
        ("", "uk-2026-11"),
    ],
)
def test_the_consent_recorded_is_the_text_the_form_showed(client, posted, version):
    signup(client, "reader@example.com", ip=UK_ADDRESS, consent_version=posted)
    subscriber = Subscriber.objects.get()
    assert (subscriber.consent_version, subscriber.regime, subscriber.country) == (
        version,
        "uk",
        "GB",
    )


def test_signup_confirm_flow_with_a_real_smtp_server(
    client, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, "  Ada@Example.COM ", ip=UK_ADDRESS)
    assert response.status_code == 200 and ANSWER in response.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ada@example.com"
    assert subscriber.status == Subscriber.Status.PENDING
    # The consent record, and no trace of the address it was derived from.
    assert (subscriber.country, subscriber.regime) == ("GB", "uk")
    assert subscriber.consent_version == "uk-2026-11" and subscriber.consent_at
    row = Subscriber.objects.filter(pk=subscriber.pk).values().get()
    assert not any(UK_ADDRESS in str(value) for value in row.values())
    assert not any(UK_ADDRESS in str(v) for v in OutboxEmail.objects.values().get().values())

    [message] = mailbox.to("ada@example.com")
    assert message["Subject"] == "Confirm your BenchLM digest subscription"
    assert "List-Unsubscribe" not in message  # not list mail: nobody is subscribed yet
    link = confirm_link(message)
    path = link.removeprefix("http://127.0.0.1:8000")
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT

    # A mail scanner following the link changes nothing; the button's POST confirms.
    page = client.get(path)
    assert page.status_code == 200 and b"Confirm my subscription" in page.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    done = client.post(path)
    assert b"You are subscribed" in done.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.confirmed_at

    # A replayed confirmation changes nothing and says so.
    confirmed_at = subscriber.confirmed_at
    again = client.post(path)
    assert again.status_code == 200 and b"Already confirmed" in again.content
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == confirmed_at


def test_the_answer_is_the_same_whatever_the_address_state(client):
    Subscriber.objects.create(email="active@example.com", status=Subscriber.Status.ACTIVE)
    Subscriber.objects.create(email="pending@example.com", status=Subscriber.Status.PENDING)
    Subscriber.objects.create(email="gone@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    bodies = {
        email: signup(client, email).content.decode().replace(email, "EMAIL")
        for email in [
            "new@example.com",
            "active@example.com",
            "pending@example.com",
            "gone@example.com",
        ]
    }
    assert len(set(bodies.values())) == 1
    plain = {signup(client, e, htmx=False)["Location"] for e in bodies}
    assert plain == {"/digest/?sent=1"}
    # An active subscriber gets no email; the others get a (new) confirmation.
    assert not OutboxEmail.objects.filter(subscriber__email="active@example.com").exists()
    assert Subscriber.objects.get(email="gone@example.com").status == Subscriber.Status.PENDING


HOSTILE = [
    "",
    "plainaddress",
    "user@localhost",
    "a@b",
    "x" * 10_000 + "@example.com",
    "victim@example.com\r\nBcc: everyone@example.com",
    "victim@example.com\nSubject: hi",
    "victim@example.com%0D%0ABcc:x@example.com",
    "<script>alert(1)</script>@example.com",
    '"><img src=x onerror=alert(1)>@example.com',
    "admin\u202e@example.com",
    "zero\u200bwidth@example.com",
    "\u0430dmin@example.com",  # Cyrillic a
    "user@exa mple.com",
    "user@@example.com",
]


@pytest.mark.parametrize("email", HOSTILE)
def test_hostile_addresses_get_a_clear_message_and_store_nothing(client, email):
    response = signup(client, email)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="field-error"' in body
    assert "<script>alert" not in body and "<img src=x" not in body
    assert not Subscriber.objects.exists() and not OutboxEmail.objects.exists()
    full = signup(client, email, htmx=False)
    assert full.status_code == 400 and b"Enter" in full.content


def test_signups_are_rate_limited_per_client_and_per_address(client, settings):
    settings.SIGNUP_RATE_PER_CLIENT = 3
    settings.SIGNUP_RATE_PER_ADDRESS = 1
    assert signup(client, "one@example.com").status_code == 200
    assert signup(client, "one@example.com").status_code == 200  # same answer...
    assert OutboxEmail.objects.count() == 1  # ...but no second email to that address
    assert signup(client, "two@example.com").status_code == 200
    limited = signup(client, "three@example.com")
    assert limited.status_code == 429 and b"Too many signups" in limited.content
    assert signup(client, "three@example.com", ip="198.51.100.7").status_code == 200


def test_confirmation_links_tampered_expired_or_superseded(client, monkeypatch):
    signup(client, "ada@example.com")
    subscriber = Subscriber.objects.get()
    token = tokens.confirm_token(subscriber)
    url = reverse("digest_confirm", args=[token])
    assert client.get(url).status_code == 200

    tampered = reverse("digest_confirm", args=[token[:-2] + ("AA" if token[-2:] != "AA" else "BB")])
    for bad in [tampered, "/digest/confirm/nonsense/", "/digest/confirm/" + "x" * 5000 + "/"]:
        response = client.post(bad)
        assert response.status_code == 400 and b"not valid" in response.content
    wrong_salt = signing.dumps([subscriber.pk, 0], salt="other")
    assert client.post(reverse("digest_confirm", args=[wrong_salt])).status_code == 400

    later = time.time() + tokens.CONFIRM_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    expired = client.post(url)
    assert expired.status_code == 400 and b"expired" in expired.content
    monkeypatch.undo()

    signup(client, "ada@example.com")  # a new round: the old link is dead
    assert client.post(url).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_one_click_unsubscribe_needs_no_csrf_token_and_get_changes_nothing():
    client = Client(enforce_csrf_checks=True)
    subscriber = Subscriber.objects.create(email="ada@example.com", status=Subscriber.Status.ACTIVE)
    url = reverse("digest_unsubscribe", args=[tokens.unsubscribe_token(subscriber)])

    page = client.get(url)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    assert client.head(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE

    form = "application/x-www-form-urlencoded"
    response = client.post(url, "List-Unsubscribe=One-Click", content_type=form)
    assert response.status_code == 200 and b"You are unsubscribed" in response.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at
    assert client.post(url).status_code == 200  # idempotent

    assert client.post(url[:-3] + "xx/").status_code == 400
    assert client.put(url).status_code == 405


def test_an_old_confirmation_cannot_resubscribe_but_signing_up_again_can(client):
    signup(client, "ada@example.com")
    subscriber = Subscriber.objects.get()
    confirm_url = reverse("digest_confirm", args=[tokens.confirm_token(subscriber)])
    client.post(confirm_url)
    client.post(reverse("digest_unsubscribe", args=[tokens.unsubscribe_token(subscriber)]))
    assert client.post(confirm_url).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED

    signup(client, "ada@example.com")
    subscriber.refresh_from_db()
    client.post(reverse("digest_confirm", args=[tokens.confirm_token(subscriber)]))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_links_do_not_carry_the_address():
    subscriber = Subscriber.objects.create(email="private.person@example.com")
    for token in (tokens.confirm_token(subscriber), tokens.unsubscribe_token(subscriber)):
        decoded = signing.b64_decode(token.split(":")[0].lstrip(".").encode()).decode(
            errors="replace"
        )
        assert "private.person" not in decoded and "private.person" not in token


def test_an_invalid_address_gets_one_message_not_two():
    from newsletter.forms import SignupForm

    for email in ("bad@", "user@localhost", "nope"):
        form = SignupForm({"email": email})
        assert not form.is_valid()
        assert form.errors["email"] == ["Enter a valid email address, like name@example.com."]
