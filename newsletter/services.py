"""Subscriptions, snapshots and digests against the database; the views and tasks call these.

Queuing always happens on commit and never fails the caller: the rows are the record of what
must be sent, and the periodic sweep queues whatever a broker outage left behind.
"""

import logging
import time
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from itertools import batched

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from comparisons.formatting import figure_overall
from comparisons.models import ChangeEvent
from comparisons.presenter import present
from comparisons.scoreboard import get_board
from comparisons.scoring import Lane
from newsletter import digest, emails
from newsletter.consent import ConsentText
from newsletter.models import (
    Delivery,
    Digest,
    LeaderboardSnapshot,
    OutboxEmail,
    Subscriber,
    normalise_email,
)
from newsletter.sending import claimable

logger = logging.getLogger(__name__)


BROKER_RETRY_AFTER = 2.0  # seconds without publishing after a failure, as the cache does
_broker_down_until = 0.0


def enqueue(task, *args) -> bool:
    """Queue a task, or log and carry on when the broker is unreachable.

    After a failure nothing is published for ``BROKER_RETRY_AFTER`` seconds: a hung broker costs
    one request its timeouts, not every request. The rows are stored either way; the sweep
    queues them once the broker answers again.
    """
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        logger.warning("Broker unavailable; %s%s left to the sweep", task.name, args)
        return False
    try:
        task.delay(*args)
    except Exception:  # kombu raises OperationalError or OSError, depending on the stage
        _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER
        logger.warning("Could not queue %s%s; the sweep will retry", task.name, args)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))


# Subscriptions


def subscribe(email: str, country: str, consent: ConsentText) -> Subscriber | None:
    """Start (or restart) double opt-in; returns the subscriber when a confirmation is due.

    An active subscriber is left alone: the caller answers the same either way, so nobody learns
    from the page whether an address is on the list.
    """
    from newsletter.tasks import send_outbox_email

    now = timezone.now()
    consent_fields = {
        "consent_at": now,
        "consent_version": consent.version,
        "country": country,
        "regime": consent.regime,
    }
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=normalise_email(email), defaults={"requested_at": now, **consent_fields}
        )
        if not created:
            if subscriber.status == Subscriber.Status.ACTIVE:
                return None
            subscriber.status = Subscriber.Status.PENDING
            subscriber.requested_at = now
            for name, value in consent_fields.items():
                setattr(subscriber, name, value)
            subscriber.save()
        subject, text, html = emails.render_confirmation(subscriber)
        outbox = OutboxEmail.objects.create(
            subscriber=subscriber, subject=subject, text=text, html=html
        )
        enqueue_on_commit(send_outbox_email, outbox.pk)
    return subscriber


def confirm(subscriber: Subscriber) -> bool:
    """Activate a pending subscriber; False when there was nothing to confirm."""
    updated = Subscriber.objects.filter(
        pk=subscriber.pk, status=Subscriber.Status.PENDING, requested_at=subscriber.requested_at
    ).update(status=Subscriber.Status.ACTIVE, confirmed_at=timezone.now())
    return bool(updated)


def unsubscribe(subscriber: Subscriber) -> bool:
    updated = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .exclude(status=Subscriber.Status.UNSUBSCRIBED)
        .update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    )
    return bool(updated)


# Snapshots and digests


def week_of(moment: datetime) -> date:
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def current_ranking() -> list[digest.Ranked]:
    """The default (provisional) lane's ranking, with the overall exactly as the site prints it."""
    board = get_board()
    ranked = []
    for slug, s in board.standings[Lane.PROVISIONAL].items():
        if s.rank is None or slug not in board.models:
            continue
        headline = present(board, Lane.PROVISIONAL, slug)
        ranked.append(digest.Ranked(slug, board.models[slug].name, s.rank, int(headline.overall)))
    return sorted(ranked, key=lambda r: r.rank)


def take_snapshot(now: datetime | None = None) -> LeaderboardSnapshot:
    """This week's ranking, taken once: the first call of the week wins."""
    now = now or timezone.now()
    week = week_of(now)
    existing = LeaderboardSnapshot.objects.filter(week=week).first()
    if existing:
        return existing
    ranks = [asdict(r) for r in current_ranking()]
    try:
        with transaction.atomic():
            return LeaderboardSnapshot.objects.create(week=week, taken_at=now, ranks=ranks)
    except IntegrityError:
        return LeaderboardSnapshot.objects.get(week=week)


def _ranking(snapshot: LeaderboardSnapshot | None) -> list[digest.Ranked]:
    """A stored week's ranking; snapshots taken before overalls were whole numbers are rounded
    by the same rule as the pages, so a digest never prints a figure the site does not."""
    if not snapshot:
        return []
    return [
        digest.Ranked(**(r | {"overall": int(figure_overall(r["overall"]))}))
        for r in snapshot.ranks
    ]


def changes_between(start: datetime, end: datetime) -> list[digest.Change]:
    rows = (
        ChangeEvent.objects.for_readers()
        .filter(created_at__gt=start, created_at__lte=end)
        .values(
            "kind",
            "model_slug",
            "model_name",
            "created_at",
            "benchmark_name",
            "field",
            "old_value",
            "new_value",
        )
    )
    return [
        digest.Change(
            kind=r["kind"],
            model_slug=r["model_slug"],
            model_name=r["model_name"],
            at=r["created_at"],
            benchmark_name=r["benchmark_name"],
            field=r["field"],
            old=r["old_value"],
            new=r["new_value"],
        )
        for r in rows
    ]


def draft(
    now: datetime | None = None, *, store_snapshot: bool = False
) -> tuple[digest.DigestContent | None, datetime, datetime]:
    """What this week's digest would say now; stores this week's snapshot only when asked."""
    now = now or timezone.now()
    last = Digest.objects.order_by("-week").first()
    start = last.period_end if last else now - timedelta(days=7)
    week = week_of(now)
    if store_snapshot:
        after = _ranking(take_snapshot(now))
    else:
        stored = LeaderboardSnapshot.objects.filter(week=week).first()
        after = _ranking(stored) if stored else current_ranking()
    before = LeaderboardSnapshot.objects.filter(week__lt=week).order_by("-week").first()
    content = digest.build(
        changes_between(start, now), _ranking(before), after, set(get_board().models)
    )
    return content, start, now


def prepare_digest(now: datetime | None = None) -> Digest | None:
    """This week's digest, built once; None when nothing changed."""
    now = now or timezone.now()
    if existing := Digest.objects.filter(week=week_of(now)).first():
        return existing
    content, start, end = draft(now, store_snapshot=True)
    if content is None:
        return None
    html, text = emails.render_digest(content, start, end)
    try:
        with transaction.atomic():
            return Digest.objects.create(
                week=week_of(now),
                period_start=start,
                period_end=end,
                subject=content.subject[:200],
                content=content.as_json(),
                html=html,
                text=text,
            )
    except IntegrityError:  # another worker built it first
        return Digest.objects.get(week=week_of(now))


def fan_out(digest_row: Digest) -> int:
    """One delivery row per active subscriber (once), then queue the open ones in batches."""
    active = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).values_list("pk", flat=True)
    for chunk in batched(active.iterator(chunk_size=2000), 2000):
        Delivery.objects.bulk_create(
            [Delivery(digest=digest_row, subscriber_id=pk) for pk in chunk],
            ignore_conflicts=True,
        )
    Digest.objects.filter(pk=digest_row.pk, fanned_out_at=None).update(fanned_out_at=timezone.now())
    return queue_deliveries(digest_row.pk)


def queue_deliveries(digest_id: int) -> int:
    """Queue batches of this digest's open deliveries not queued recently; returns how many."""
    from newsletter.tasks import send_digest_batch

    now = timezone.now()
    recently = now - timedelta(seconds=settings.NEWSLETTER_REQUEUE_AFTER)
    ids = list(
        Delivery.objects.filter(claimable(Delivery, now), digest_id=digest_id)
        .filter(Q(queued_at=None) | Q(queued_at__lt=recently))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for chunk in batched(ids, settings.NEWSLETTER_BATCH_SIZE):
        Delivery.objects.filter(pk__in=chunk).update(queued_at=now)
        enqueue_on_commit(send_digest_batch, digest_id, list(chunk))
    return len(ids)


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Queue what a broker outage or a dead worker left behind: outbox emails and deliveries."""
    from newsletter.tasks import send_outbox_email

    now = now or timezone.now()
    # A fresh row's own task is probably still on its way: leave it a grace period.
    grace = now - timedelta(seconds=settings.NEWSLETTER_REQUEUE_AFTER)
    outbox = list(
        OutboxEmail.objects.filter(claimable(OutboxEmail, now), created_at__lt=grace).values_list(
            "pk", flat=True
        )[:1000]
    )
    for pk in outbox:
        enqueue_on_commit(send_outbox_email, pk)
    deliveries = 0
    open_digests = (
        Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])
        .values_list("digest_id", flat=True)
        .distinct()
    )
    for digest_id in open_digests:
        deliveries += queue_deliveries(digest_id)
    return {"outbox": len(outbox), "deliveries": deliveries}


def delivery_counts(digest_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        Delivery.objects.filter(digest_id__in=digest_ids)
        .values("digest_id")
        .annotate(
            **{status: Count("pk", filter=Q(status=status)) for status in Delivery.Status.values}
        )
    )
    return {row.pop("digest_id"): row for row in rows}


def send_weekly(now: datetime | None = None) -> int:
    """The weekly job: build this week's digest if anything changed and send it to everyone."""
    digest_row = prepare_digest(now)
    if digest_row is None:
        logger.info("Nothing changed this week: no digest")
        return 0
    return fan_out(digest_row)
