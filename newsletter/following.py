"""Following a model, a provider or a benchmark: requests, confirmation, alert batches.

A follow is asked for with an address, like a signup, and confirmed by a link sent to it (a
follow from an address already on the list is confirmed too: anyone can type any address).
Confirming a follow confirms the subscriber with the consent recorded when it was asked for.

Alerts: ``collect`` takes the change events not yet covered by a batch of a frequency into one
``AlertBatch`` (so an import of 200 scores is one batch), works out with ``alerts`` which
followers it concerns, writes one ``AlertDelivery`` per follower and queues them in batches;
``sending.send_alerts`` then claims and sends each exactly once, as it does digest deliveries.
"""

import logging
from datetime import timedelta
from itertools import batched

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from comparisons.models import Benchmark, ChangeEvent, LanguageModel, Provider
from comparisons.scoreboard import current_version, get_board
from newsletter import alerts, emails
from newsletter.consent import ConsentText
from newsletter.models import (
    AlertBatch,
    AlertDelivery,
    AlertFrequency,
    Follow,
    OutboxEmail,
    Subscriber,
    normalise_email,
)
from newsletter.sending import claimable
from newsletter.services import current_ranking, enqueue_on_commit

logger = logging.getLogger(__name__)

THRESHOLDS = (1, 3, 5, 10)
START = -1  # the after_event of a frequency's first batch, which alerts nobody


def target(kind: str, slug: str) -> str | None:
    """The name of what a follow would follow, or None when there is no such published thing."""
    if kind == Follow.Kind.MODEL:
        row = LanguageModel.objects.filter(slug=slug, published=True).values("name").first()
    elif kind == Follow.Kind.PROVIDER:
        row = Provider.objects.filter(slug=slug).values("name").first()
    elif kind == Follow.Kind.BENCHMARK:
        row = Benchmark.objects.filter(slug=slug).values("name").first()
    else:
        return None
    return row["name"] if row else None


def request_follow(
    email: str,
    country: str,
    consent: ConsentText,
    kind: str,
    slug: str,
    name: str,
    rank_threshold: int | None = None,
) -> Follow:
    """Record the follow (unconfirmed) and queue the email that confirms it."""
    from newsletter.tasks import send_outbox_email

    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=normalise_email(email),
            defaults={
                "requested_at": now,
                "consent_at": now,
                "consent_version": consent.version,
                "country": country,
                "regime": consent.regime,
            },
        )
        if not created and subscriber.status != Subscriber.Status.ACTIVE:
            # Not on the list: the consent given now is the one the confirmation will record.
            subscriber.consent_at, subscriber.consent_version = now, consent.version
            subscriber.country, subscriber.regime = country, consent.regime
            subscriber.save(update_fields=["consent_at", "consent_version", "country", "regime"])
        follow, _ = Follow.objects.update_or_create(
            subscriber=subscriber,
            kind=kind,
            slug=slug,
            defaults={"name": name, "rank_threshold": rank_threshold, "requested_at": now},
        )
        subject, text, html = emails.render_follow_confirmation(follow)
        outbox = OutboxEmail.objects.create(
            subscriber=subscriber, kind="follow", subject=subject, text=text, html=html
        )
        enqueue_on_commit(send_outbox_email, outbox.pk)
    return follow


def confirm_follow(follow: Follow) -> bool:
    """Start the follow (and the subscription, if the address was not on the list)."""
    now = timezone.now()
    with transaction.atomic():
        updated = Follow.objects.filter(
            pk=follow.pk, requested_at=follow.requested_at, confirmed_at=None
        ).update(confirmed_at=now)
        Subscriber.objects.filter(pk=follow.subscriber_id).exclude(
            status=Subscriber.Status.ACTIVE
        ).update(status=Subscriber.Status.ACTIVE, confirmed_at=now, unsubscribed_at=None)
    return bool(updated)


def follows_of(subscriber: Subscriber) -> list[Follow]:
    return list(subscriber.follows.exclude(confirmed_at=None).order_by("kind", "name"))


def update_follows(
    subscriber: Subscriber,
    frequency: str,
    thresholds: dict[int, int | None],
    removed: set[int],
) -> None:
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).update(alert_frequency=frequency)
        subscriber.follows.filter(pk__in=removed).delete()
        for pk, threshold in thresholds.items():
            if pk not in removed:
                subscriber.follows.filter(pk=pk, kind=Follow.Kind.MODEL).update(
                    rank_threshold=threshold
                )


def stop_all(subscriber: Subscriber) -> int:
    """One click: every follow ends, and alerts not yet sent are not sent (the digest
    subscription is left as it is)."""
    with transaction.atomic():
        deleted, _ = subscriber.follows.all().delete()
        AlertDelivery.objects.filter(
            subscriber=subscriber, status=AlertDelivery.Status.PENDING
        ).update(status=AlertDelivery.Status.SKIPPED, last_error="Stopped before sending")
    return deleted


# Alert batches


def collect(frequency: str = AlertFrequency.INSTANT) -> AlertBatch | None:
    """One batch of the events no batch of this frequency has covered yet; None when none.

    The events table is locked against writers for the moment it takes to read its last id, so
    every event up to that id has been committed: a long import still writing is waited for (up
    to a few seconds, else the next round takes it), never skipped.
    """
    previous = AlertBatch.objects.filter(frequency=frequency).order_by("-last_event").first()
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                    table = connection.ops.quote_name(ChangeEvent._meta.db_table)
                    cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
            last = ChangeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    except OperationalError:
        logger.warning("Change events locked by a long write; the next round collects them")
        return None
    if previous is not None and last <= previous.last_event:
        return None
    if get_board().version != current_version():
        # The ranking of these changes is still being built: the next round takes them, so a
        # rank move is measured on the board that includes them.
        logger.info("Scoreboard not yet rebuilt; alerts wait for the next round")
        return None
    ranks = {r.slug: r.rank for r in current_ranking()}
    # The first round only marks where alerts start (and the ranking moves are measured
    # from): nobody is alerted about the catalogue's whole past.
    after = previous.last_event if previous else START
    try:
        with transaction.atomic():
            batch = AlertBatch.objects.create(
                frequency=frequency, after_event=after, last_event=last, ranks=ranks
            )
    except IntegrityError:  # another collector took this range
        return None
    if previous is None:
        AlertBatch.objects.filter(pk=batch.pk).update(fanned_out_at=timezone.now())
        return batch
    fan_out(batch, previous.ranks)
    return batch


def changes_in(batch: AlertBatch) -> list[alerts.Change]:
    return as_changes(
        ChangeEvent.objects.filter(pk__gt=batch.after_event, pk__lte=batch.last_event)
    )


def as_changes(events) -> list[alerts.Change]:
    events = (
        events.for_readers()  # not the bare row states kept for past boards
        .select_related("model__provider", "benchmark")
        .defer("state")
        .order_by("pk")
    )
    return [
        alerts.Change(
            id=event.pk,
            kind=event.kind,
            summary=event.summary,
            model_slug=event.model_slug,
            model_name=event.model_name,
            provider_slug=event.model.provider.slug if event.model else "",
            benchmark_slug=event.benchmark.slug if event.benchmark else "",
            published=event.model.published if event.model else True,
        )
        for event in events
    ]


def follow_rows(frequency: str, subscriber_ids=None) -> list[alerts.FollowRow]:
    rows = Follow.objects.filter(
        subscriber__status=Subscriber.Status.ACTIVE,
        subscriber__alert_frequency=frequency,
        confirmed_at__isnull=False,
    )
    if subscriber_ids is not None:
        rows = rows.filter(subscriber_id__in=subscriber_ids)
    return [
        alerts.FollowRow(r["subscriber_id"], r["kind"], r["slug"], r["name"], r["rank_threshold"])
        for r in rows.values("subscriber_id", "kind", "slug", "name", "rank_threshold")
    ]


def fan_out(batch: AlertBatch, ranks_before: dict[str, int] | None) -> int:
    """One delivery per concerned follower (once), then queue them."""
    items = alerts.for_followers(
        changes_in(batch), follow_rows(batch.frequency), ranks_before, batch.ranks
    )
    rows = [
        AlertDelivery(batch=batch, subscriber_id=pk, items=[i.as_json() for i in found])
        for pk, found in items.items()
    ]
    for chunk in batched(rows, 2000):
        AlertDelivery.objects.bulk_create(chunk, ignore_conflicts=True)
    AlertBatch.objects.filter(pk=batch.pk, fanned_out_at=None).update(fanned_out_at=timezone.now())
    return queue_alerts(batch.pk)


def queue_alerts(batch_id: int) -> int:
    """Queue this batch's open deliveries not queued recently, in sending batches."""
    from newsletter.tasks import send_alert_batch

    now = timezone.now()
    recently = now - timedelta(seconds=settings.NEWSLETTER_REQUEUE_AFTER)
    ids = list(
        AlertDelivery.objects.filter(claimable(AlertDelivery, now), batch_id=batch_id)
        .filter(Q(queued_at=None) | Q(queued_at__lt=recently))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for chunk in batched(ids, settings.NEWSLETTER_BATCH_SIZE):
        AlertDelivery.objects.filter(pk__in=chunk).update(queued_at=now)
        enqueue_on_commit(send_alert_batch, batch_id, list(chunk))
    return len(ids)


def sweep() -> int:
    """Queue alert deliveries a broker outage or a dead worker left open."""
    open_batches = (
        AlertDelivery.objects.filter(
            status__in=[AlertDelivery.Status.PENDING, AlertDelivery.Status.SENDING]
        )
        .values_list("batch_id", flat=True)
        .distinct()
    )
    return sum(queue_alerts(batch_id) for batch_id in open_batches)


# The weekly digest's "What you follow" section


def digest_sections(digest, subscriber_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each follower's section of ``digest``: what changed in the digest's week in what they
    follow (text, html). One query for the follows and one for the events that concern them.
    """
    follows = [
        alerts.FollowRow(r["subscriber_id"], r["kind"], r["slug"], r["name"])
        for r in Follow.objects.filter(
            subscriber_id__in=subscriber_ids, confirmed_at__isnull=False
        ).values("subscriber_id", "kind", "slug", "name")
    ]
    if not follows:
        return {}
    slugs = {kind: {f.slug for f in follows if f.kind == kind} for kind in Follow.Kind.values}
    events = ChangeEvent.objects.filter(
        created_at__gt=digest.period_start, created_at__lte=digest.period_end
    ).filter(
        Q(model_slug__in=slugs["model"])
        | Q(benchmark__slug__in=slugs["benchmark"])
        | Q(model__provider__slug__in=slugs["provider"], kind__in=alerts.NEW_MODEL_KINDS)
    )
    found = alerts.for_followers(as_changes(events), follows)
    rendered: dict[tuple[str, ...], tuple[str, str]] = {}
    sections = {}
    for subscriber_id, items in found.items():
        key = tuple(item.key for item in items)
        if key not in rendered:
            rendered[key] = emails.digest_following([item.as_json() for item in items])
        sections[subscriber_id] = rendered[key]
    return sections
