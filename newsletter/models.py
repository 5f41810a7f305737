"""Subscribers, their consent, the email outbox, digests and one delivery row per recipient.

The delivery and outbox rows are the source of truth for "was this sent?": every send claims a
row with a conditional UPDATE before it touches SMTP, so duplicated tasks, re-runs and crashed
workers can never send the same email twice (see ``newsletter.sending``).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


def normalise_email(email: str) -> str:
    """The stored form of an address: one row per address, however it was typed."""
    return email.strip().lower()


class Regime(models.TextChoices):
    """The consent law that applies, which picks the consent text a subscriber saw."""

    EU = "eu", "EU/EEA (GDPR)"
    UK = "uk", "United Kingdom (UK GDPR, PECR)"
    CANADA = "ca", "Canada (CASL)"
    OTHER = "other", "Elsewhere"


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(max_length=254, unique=True, help_text="Normalised: lower case.")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Each signup request starts a new confirmation round; tokens name the round they belong to,
    # so a link from an earlier round (or one replayed after unsubscribing) confirms nothing.
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The consent record. The client's IP address is used once to derive the country and is
    # never stored.
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_version = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2, if known.")
    regime = models.CharField(max_length=8, choices=Regime.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class OutboxEmail(models.Model):
    """A transactional email (a confirmation), written before it is queued.

    The row exists before the broker hears of it, so a broker outage delays the email but never
    loses it: the periodic sweep queues whatever is still pending.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="outbox")
    kind = models.CharField(max_length=20, default="confirmation")
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outbox email"

    def __str__(self) -> str:
        return f"{self.kind} to {self.subscriber}"


class LeaderboardSnapshot(models.Model):
    """The overall ranking once a week, so a digest can say who moved."""

    week = models.DateField(unique=True, help_text="The Monday of the ISO week it was taken in.")
    taken_at = models.DateTimeField(default=timezone.now)
    ranks = models.JSONField(help_text='[{"slug", "name", "rank", "overall"}, ...] in rank order.')

    class Meta:
        ordering = ["-week"]
        get_latest_by = "week"

    def __str__(self) -> str:
        return f"Leaderboard of the week of {self.week:%-d %B %Y}"


class DigestQuerySet(models.QuerySet):
    def sent(self) -> "DigestQuerySet":
        """Digests that went out: the public archive shows only these."""
        return self.exclude(fanned_out_at=None)


class Digest(models.Model):
    """One week's digest, rendered once; the archive and every delivery read this row."""

    week = models.DateField(unique=True, help_text="The Monday of the ISO week it covers.")
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    subject = models.CharField(max_length=200)
    content = models.JSONField(help_text="The structured digest the archive page renders.")
    html = models.TextField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    objects = DigestQuerySet.as_manager()

    class Meta:
        ordering = ["-week"]
        get_latest_by = "week"

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One digest to one subscriber: the row that makes the send exactly-once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (left before it was sent)"

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["digest", "subscriber"], name="one_delivery_each")
        ]
        indexes = [
            models.Index(
                fields=["digest", "status"],
                name="delivery_open",
                condition=Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.digest} → {self.subscriber}"
