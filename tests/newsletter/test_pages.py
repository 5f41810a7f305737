"""The archive, the Atom feed of changes, the admin and the management commands."""

import csv
import io
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comparisons.models import LanguageModel, Score
from newsletter import services
from newsletter.models import Delivery, Digest, LeaderboardSnapshot, Subscriber
from tests.factories import build_catalogue
from tests.newsletter.conftest import make_subscribers

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def edit(model: LanguageModel, value: float = 1) -> Score:
    score = Score.objects.filter(model=model).order_by("pk").first()
    score.value += value
    score.save()
    return score


def sent_digest(week_offset: int = 0) -> Digest:
    now = timezone.now() - timedelta(weeks=week_offset)
    digest = services.prepare_digest(now)
    Digest.objects.filter(pk=digest.pk).update(fanned_out_at=now)
    return digest


def test_the_archive_lists_sent_digests_and_shows_each(client):
    models = build_catalogue(5)
    edit(models[1])
    digest = sent_digest()
    unsent = Digest.objects.create(
        week=services.week_of(timezone.now() + timedelta(weeks=1)),
        period_start=timezone.now(),
        period_end=timezone.now(),
        subject="Not sent yet",
        content={"subject": "Not sent yet"},
        html="",
        text="",
    )
    page = client.get("/digest/archive/").content.decode()
    assert digest.subject in page and "Not sent yet" not in page
    detail = client.get(f"/digest/archive/{digest.pk}/")
    assert detail.status_code == 200
    body = detail.content.decode()
    assert f"{models[1].name}</a> on Bench" in body
    assert f'href="/models/{models[1].slug}/"' in body
    assert client.get(f"/digest/archive/{unsent.pk}/").status_code == 404
    assert client.get("/digest/archive/99999/").status_code == 404
    assert client.get("/digest/archive/?page=999").status_code == 200
    assert client.get("/digest/archive/?page=<script>").status_code == 200


@pytest.mark.parametrize("digests", [1, 6])
def test_archive_pages_cost_a_fixed_number_of_queries(client, digests):
    models = build_catalogue(4)
    edit(models[0])
    content = services.draft()[0].as_json()
    now = timezone.now()
    Digest.objects.bulk_create(
        Digest(
            week=services.week_of(now - timedelta(weeks=n)),
            period_start=now,
            period_end=now,
            subject=f"Digest {n}",
            content=content,
            html="",
            text="",
            fanned_out_at=now,
        )
        for n in range(digests)
    )
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/digest/archive/").status_code == 200
    assert len(queries) == 2  # count and page
    latest = Digest.objects.order_by("-week").first()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/digest/archive/{latest.pk}/").status_code == 200
    assert len(queries) == 1


def test_the_changes_feed_is_atom_of_published_models_only(client):
    models = build_catalogue(3)
    edit(models[0])
    hidden = models[1]
    hidden.published = False
    hidden.save()
    edit(hidden)
    response = client.get("/feed/changes/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert any(models[0].name in t for t in titles)
    assert not any(hidden.name in t for t in titles)
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
    assert all(link.startswith("http") for link in links)
    with CaptureQueriesContext(connection) as queries:
        client.get("/feed/changes/")
    assert len(queries) == 1


def test_admin_lists_digests_with_delivery_counts_and_previews(admin_client, mailbox):
    models = build_catalogue(3)
    edit(models[0])
    digest = services.prepare_digest()
    subscribers = make_subscribers(4)
    statuses = ["sent", "sent", "failed", "pending"]
    Delivery.objects.bulk_create(
        Delivery(digest=digest, subscriber=s, status=st)
        for s, st in zip(subscribers, statuses, strict=True)
    )
    changelist = admin_client.get(reverse("admin:newsletter_digest_changelist"))
    assert changelist.status_code == 200
    row = changelist.context["cl"].result_list[0]
    assert (row.n_sent, row.n_failed, row.n_pending) == (2, 1, 1)

    change = admin_client.get(reverse("admin:newsletter_digest_change", args=[digest.pk]))
    assert b"1 pending, 0 sending, 2 sent, 1 failed, 0 skipped" in change.content
    assert b"Send a test" in change.content
    html = admin_client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk, "html"]))
    assert html.content == digest.html.encode()
    assert "'unsafe-inline'" in html["Content-Security-Policy"]
    assert "script-src" not in html["Content-Security-Policy"]
    text = admin_client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk, "text"]))
    assert text["Content-Type"].startswith("text/plain") and text.content == digest.text.encode()

    url = reverse("admin:newsletter_digest_send_test", args=[digest.pk])
    admin_client.post(url, {"email": "editor@example.com"})
    [message] = mailbox.to("editor@example.com")
    assert message["Subject"] == f"[Test] {digest.subject}"
    assert Delivery.objects.count() == 4  # a test is not a delivery
    response = admin_client.post(url, {"email": "not an address"}, follow=True)
    assert b"Enter a valid address" in response.content and mailbox.count() == 1


def test_admin_exports_subscribers_as_csv_without_formulas(admin_client):
    Subscriber.objects.create(email="ada@example.com", status="active", country="GB", regime="uk")
    Subscriber.objects.create(email="=cmd@example.com", status="pending")
    response = admin_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {
            "action": "export_csv",
            "_selected_action": Subscriber.objects.values_list("pk", flat=True),
        },
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["email"] for r in rows} == {"ada@example.com", "'=cmd@example.com"}
    assert "ip" not in " ".join(rows[0]).lower()
    search = admin_client.get(reverse("admin:newsletter_subscriber_changelist"), {"q": "ada"})
    assert search.context["cl"].result_count == 1


def test_deleting_a_subscriber_erases_their_deliveries_and_emails(admin_client):
    models = build_catalogue(2)
    edit(models[0])
    digest = services.prepare_digest()
    [subscriber] = make_subscribers(1)
    Delivery.objects.create(digest=digest, subscriber=subscriber)
    admin_client.post(
        reverse("admin:newsletter_subscriber_delete", args=[subscriber.pk]), {"post": "yes"}
    )
    assert not Subscriber.objects.exists() and not Delivery.objects.exists()


def test_send_digest_and_preview_digest_commands(mailbox, django_capture_on_commit_callbacks):
    models = build_catalogue(3)
    make_subscribers(3)
    out = io.StringIO()
    call_command("preview_digest", stdout=out)
    assert "Nothing changed" in out.getvalue()
    edit(models[2])
    out = io.StringIO()
    call_command("preview_digest", stdout=out)
    assert f"{models[2].name} on " in out.getvalue() and "Subject: " in out.getvalue()
    assert not Digest.objects.exists()  # a preview stores no digest...
    assert not LeaderboardSnapshot.objects.exists()  # ...and no snapshot

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digest", stdout=out)
    assert "3 deliveries queued" in out.getvalue() and mailbox.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digest", stdout=io.StringIO())
    assert mailbox.count() == 3  # idempotent
