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


class AlertFrequency(models.TextChoices):
    INSTANT = "instant", "As it happens (within minutes)"
    DAILY = "daily", "Once a day"
    WEEKLY = "weekly", "Once a week"


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
    alert_frequency = models.CharField(
        max_length=8,
        choices=AlertFrequency.choices,
        default=AlertFrequency.INSTANT,
        help_text="How often alerts about what they follow are sent.",
    )

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


class SendState(models.Model):
    """Where one email of a batch stands: the status machine that digest and alert deliveries
    share (claimed once, sent once, retried on a transient failure, skipped for a reader who
    left)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (left before it was sent)"

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True


class Delivery(SendState):
    """One digest to one subscriber: the row that makes the send exactly-once."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")

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


class Follow(models.Model):
    """A subscriber follows one model, provider or benchmark, once they confirm it by email."""

    class Kind(models.TextChoices):
        MODEL = "model", "Model"
        PROVIDER = "provider", "Provider"
        BENCHMARK = "benchmark", "Benchmark"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=120, help_text="As the page named it when followed.")
    rank_threshold = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Models only: alert when the overall rank moves by at least this many places.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Like a signup, each follow request starts a confirmation round its link must name.
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "kind", "slug"], name="one_follow_each")
        ]
        indexes = [models.Index(fields=["kind", "slug"], name="follow_target")]

    def __str__(self) -> str:
        return f"{self.subscriber} follows {self.kind} {self.slug}"


class AlertBatch(models.Model):
    """The change events (ids after ``after_event`` up to ``last_event``) one alert round covers.

    Built once per frequency and range; each follower concerned gets one ``AlertDelivery``.
    ``ranks`` is the overall ranking when the batch was built, so the next batch can say who
    moved.
    """

    frequency = models.CharField(max_length=8, choices=AlertFrequency.choices)
    after_event = models.BigIntegerField()
    last_event = models.BigIntegerField()
    ranks = models.JSONField(default=dict, help_text='{"model-slug": rank, ...}')
    created_at = models.DateTimeField(auto_now_add=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "alert batches"
        constraints = [
            models.UniqueConstraint(
                fields=["frequency", "after_event"], name="one_alert_batch_per_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.frequency} alerts, events {self.after_event + 1} to {self.last_event}"


class AlertDelivery(SendState):
    """One alert email to one follower for one batch: claimed and sent like a ``Delivery``."""

    batch = models.ForeignKey(AlertBatch, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="alert_deliveries"
    )
    items = models.JSONField(help_text="What changed, as the email lists it.")

    class Meta:
        verbose_name_plural = "alert deliveries"
        constraints = [
            models.UniqueConstraint(fields=["batch", "subscriber"], name="one_alert_each")
        ]
        indexes = [
            models.Index(
                fields=["batch", "status"],
                name="alert_delivery_open",
                condition=Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch} → {self.subscriber}"
