"""The catalogue: providers, families, language models, categories, benchmarks and scores.

Rules about the data itself (unique slugs, one score per model and benchmark, the 0-100 range,
non-negative prices, no ``-vs-`` in a model slug) are database constraints, so they hold however
a row is written; ``violation_error_message`` turns each into a clear form error in the admin.

Every save of a model or a score records what changed as ``ChangeEvent`` rows (see
``comparisons.changes``), whether it comes from the admin, the importer or the shell.
"""

from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from comparisons.querysets import ChangeEventQuerySet, LanguageModelQuerySet

MODEL_SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

slug_validator = RegexValidator(
    MODEL_SLUG_RE,
    "Use lower-case letters, digits and single hyphens, e.g. gpt-4-1-mini.",
)


def no_vs_validator(value: str) -> None:
    from django.core.exceptions import ValidationError

    if "-vs-" in f"-{value}-":
        raise ValidationError(
            "A model slug cannot contain “-vs-”: comparison URLs split on it.", code="vs"
        )


class TrackedModel(models.Model):
    """Remembers the tracked field values as loaded, so a save can tell what changed.

    ``comparisons.changes`` compares them after each save and records ``ChangeEvent`` rows.
    """

    tracked_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        instance.remember_tracked_values()
        return instance

    def remember_tracked_values(self) -> None:
        self._tracked_values = {
            field: self.__dict__[field] for field in self.tracked_fields if field in self.__dict__
        }

    @property
    def tracked_values(self) -> dict | None:
        return getattr(self, "_tracked_values", None)


class Provider(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ModelFamily(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="families")

    class Meta:
        ordering = ["provider__name", "name"]
        verbose_name_plural = "model families"
        constraints = [
            models.UniqueConstraint(
                "provider", Lower("name"), name="family_name_unique_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return self.name


PRICE_FIELDS = (
    "input_price",
    "output_price",
    "cached_input_price",
    "cache_write_price",
    "batch_input_price",
    "batch_output_price",
    "long_context_input_price",
    "long_context_output_price",
    "long_context_cached_input_price",
    "scheduled_input_price",
    "scheduled_output_price",
)
# Every term of a model's price list: the prices, and when the long-context tier and the next
# scheduled price start. A change to any of them is a price change in the history and digest.
PRICE_TERMS = (*PRICE_FIELDS, "long_context_threshold", "scheduled_price_date")


def price_field(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="USD per 1M tokens. Leave empty when unknown.",
    )


class LanguageModel(TrackedModel):
    slug = models.SlugField(
        unique=True,
        max_length=80,
        validators=[slug_validator, no_vs_validator],
        help_text="Lower-case letters, digits and single hyphens; never “-vs-”.",
    )
    name = models.CharField(max_length=120)
    # What exactly this entry's figures describe, kept out of the name so titles, pickers and
    # links read cleanly; shown on the model page and beside the sources.
    variant_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="E.g. “scores from the 06-05 preview” or a dated API id; not part of the name.",
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="models")
    family = models.ForeignKey(
        ModelFamily, on_delete=models.PROTECT, related_name="models", null=True, blank=True
    )
    release_date = models.DateField(null=True, blank=True)
    reasoning = models.BooleanField(default=False, help_text="A reasoning (thinking) model.")
    open_weights = models.BooleanField(default=False)
    context_window = models.PositiveIntegerField(null=True, blank=True, help_text="Tokens.")
    max_output_tokens = models.PositiveIntegerField(null=True, blank=True)
    input_price = price_field("input price")
    output_price = price_field("output price")
    cached_input_price = price_field("cached input price")
    batch_input_price = price_field("batch input price")
    batch_output_price = price_field("batch output price")
    cache_write_price = price_field("cache write price")
    long_context_threshold = models.PositiveIntegerField(
        "long-context threshold",
        null=True,
        blank=True,
        help_text=(
            "Input tokens per request above which the long-context prices apply to the whole "
            "request (e.g. 200000). Empty: one price at every length."
        ),
    )
    long_context_input_price = price_field("long-context input price")
    long_context_output_price = price_field("long-context output price")
    long_context_cached_input_price = price_field("long-context cached input price")
    scheduled_price_date = models.DateField(
        "scheduled price date",
        null=True,
        blank=True,
        help_text="When the scheduled input and output prices take effect.",
    )
    scheduled_input_price = price_field("scheduled input price")
    scheduled_output_price = price_field("scheduled output price")
    genai_provider_id = models.CharField(
        "price feed provider",
        max_length=60,
        blank=True,
        help_text="The provider id in genai-prices (e.g. anthropic). Empty: not synced.",
    )
    genai_model_id = models.CharField(
        "price feed model",
        max_length=120,
        blank=True,
        help_text="The model id in genai-prices (e.g. claude-opus-4-5).",
    )
    prices_pinned = models.BooleanField(
        "prices pinned",
        default=False,
        help_text="The price feed never overwrites this model's prices.",
    )
    price_confirmed_at = models.DateTimeField(
        "price confirmed",
        null=True,
        blank=True,
        help_text="When the price feed or an editor last confirmed the prices.",
    )
    output_speed = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0)], help_text="Tokens per second."
    )
    ttft = models.FloatField(
        "time to first token",
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Seconds.",
    )
    knowledge_cutoff = models.CharField(
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", "Use YYYY-MM.")],
        help_text="YYYY-MM",
    )
    input_modalities = models.CharField(
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^[a-z]+(\+[a-z]+)*$", "Join modalities with +.")],
        help_text="Joined with +, e.g. text+image.",
    )
    parameters = models.CharField(
        "parameter estimate", max_length=60, blank=True, help_text="E.g. “405B” or “17B active”."
    )
    published = models.BooleanField(default=True, db_index=True)
    body = models.TextField(blank=True, help_text="Editorial text in Markdown.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LanguageModelQuerySet.as_manager()

    tracked_fields = (
        "name",
        "provider_id",
        "family_id",
        "release_date",
        "reasoning",
        "open_weights",
        "context_window",
        "max_output_tokens",
        *PRICE_TERMS,
        "output_speed",
        "ttft",
        "knowledge_cutoff",
        "input_modalities",
        "published",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slug__regex=MODEL_SLUG_RE) & ~Q(slug__contains="-vs-"),
                name="model_slug_format",
                violation_error_message=(
                    "Use lower-case letters, digits and single hyphens, never “-vs-”."
                ),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
                    name=f"model_{field}_not_negative",
                    violation_error_message="Prices cannot be negative.",
                )
                for field in PRICE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("model_detail", args=[self.slug])

    @property
    def modalities(self) -> list[str]:
        return [m for m in self.input_modalities.split("+") if m]


class Category(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)
    short_name = models.CharField(
        max_length=30, blank=True, help_text="For narrow tables, e.g. “Inst. Following”."
    )
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Share of the overall score. 0 shows the category without counting it.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="category_weight_not_negative",
                violation_error_message="A weight cannot be negative.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("category_detail", args=[self.slug])

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Benchmark(models.Model):
    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=120)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="benchmarks")
    weight = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Weight inside its category. 0 = shown but not counted (saturated or legacy).",
    )
    description = models.TextField(blank=True)
    url = models.URLField("link", max_length=500, blank=True)

    class Meta:
        ordering = ["category__order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="benchmark_weight_not_negative",
                violation_error_message="A weight cannot be negative.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("benchmark_detail", args=[self.slug])

    @property
    def counted(self) -> bool:
        return self.weight > 0


class Score(TrackedModel):
    model = models.ForeignKey(LanguageModel, on_delete=models.CASCADE, related_name="scores")
    benchmark = models.ForeignKey(Benchmark, on_delete=models.PROTECT, related_name="scores")
    value = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="Percent, 0 to 100, higher is better.",
    )
    as_of = models.DateField("as of", null=True, blank=True)
    source_url = models.URLField("source", max_length=500, blank=True)
    note = models.TextField(blank=True, help_text="Setting, e.g. “vendor-reported, pass@1”.")
    verified = models.BooleanField(
        default=False, help_text="Checked against its source or an independent evaluation."
    )
    # What the evaluation run used, where its publisher says: the run cost at today's prices.
    run_input_tokens = models.BigIntegerField(
        "run input tokens",
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Input tokens the whole evaluation run used, where published.",
    )
    run_output_tokens = models.BigIntegerField(
        "run output tokens",
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Output tokens (reasoning included) the whole evaluation run used.",
    )
    run_tasks = models.PositiveIntegerField(
        "run tasks",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="How many tasks (questions, problems) the run had: gives the cost per task.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    tracked_fields = ("value", "verified")

    class Meta:
        ordering = ["benchmark__category__order", "benchmark__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "benchmark"],
                name="one_score_per_model_and_benchmark",
                violation_error_message="This model already has a score on this benchmark.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=100),
                name="score_value_0_to_100",
                violation_error_message="A score is a percentage between 0 and 100.",
            ),
            models.CheckConstraint(
                condition=(Q(run_input_tokens__isnull=True) | Q(run_input_tokens__gte=0))
                & (Q(run_output_tokens__isnull=True) | Q(run_output_tokens__gte=0))
                & (Q(run_tasks__isnull=True) | Q(run_tasks__gte=1)),
                name="score_run_tokens_not_negative",
                violation_error_message=(
                    "Run token counts are zero or more, and a run has at least one task."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_id}/{self.benchmark_id}: {self.value}"


class MethodologySettings(models.Model):
    """The thresholds in force; a single row (pk 1) editors change in the admin."""

    category_share = models.PositiveSmallIntegerField(
        "category share (%)",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=(
            "A category score needs scores on benchmarks carrying at least this share of the "
            "category's counted weight."
        ),
    )
    ranking_coverage = models.PositiveSmallIntegerField(
        "ranking coverage (%)",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=(
            "A model is ranked in a lane when its measured category scores carry at least this "
            "share of the weight of the categories that have counted benchmarks."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "methodology settings"
        verbose_name_plural = "methodology settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="methodology_single_row"),
            models.CheckConstraint(
                condition=Q(category_share__gte=1) & Q(category_share__lte=100),
                name="methodology_share_1_to_100",
                violation_error_message="The category share is a percentage from 1 to 100.",
            ),
            models.CheckConstraint(
                condition=Q(ranking_coverage__gte=1) & Q(ranking_coverage__lte=100),
                name="methodology_coverage_1_to_100",
                violation_error_message="The ranking coverage is a percentage from 1 to 100.",
            ),
        ]

    def __str__(self) -> str:
        return "Methodology settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "MethodologySettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class ChangeEvent(models.Model):
    """One recorded change to the catalogue: what changed, old → new, when.

    Names are copied onto the row so the history (and the digest) still reads correctly after a
    model or benchmark is renamed or deleted.
    """

    class Kind(models.TextChoices):
        MODEL_ADDED = "model_added", "New model"
        MODEL_PUBLISHED = "model_published", "Model published"
        MODEL_UNPUBLISHED = "model_unpublished", "Model unpublished"
        MODEL_CHANGED = "model_changed", "Model detail changed"
        MODEL_REMOVED = "model_removed", "Model removed"
        PRICE_CHANGED = "price_changed", "Price change"
        SCORE_ADDED = "score_added", "New score"
        SCORE_CHANGED = "score_changed", "Score change"
        SCORE_REMOVED = "score_removed", "Score removed"
        # A row's new state with nothing a reader follows (a benchmark's weight, a category, a
        # source link): kept for the catalogue as it stood (``comparisons.history``), never
        # listed in a model's history, the feed or the digest.
        STATE = "state", "Catalogue row saved"

    class Row(models.TextChoices):
        """Which catalogue row an event's ``state`` is, keyed by ``row_key``."""

        MODEL = "model"
        SCORE = "score"  # keyed "model id:benchmark id", as scores are unique per pair
        BENCHMARK = "benchmark"
        CATEGORY = "category"
        PROVIDER = "provider"
        FAMILY = "family"
        METHODOLOGY = "methodology"

    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    model = models.ForeignKey(
        LanguageModel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_events",
    )
    model_slug = models.CharField(max_length=80)
    model_name = models.CharField(max_length=120)
    benchmark = models.ForeignKey(
        Benchmark, on_delete=models.SET_NULL, null=True, blank=True, related_name="change_events"
    )
    benchmark_name = models.CharField(max_length=120, blank=True)
    field = models.CharField(max_length=40, blank=True)
    old_value = models.CharField(max_length=255, blank=True)
    new_value = models.CharField(max_length=255, blank=True)
    # The row's values after the change (None: deleted), so the catalogue of any past day can be
    # rebuilt from the events alone. Events recorded before this existed carry none.
    row_kind = models.CharField(max_length=12, choices=Row.choices, blank=True)
    row_key = models.CharField(max_length=40, blank=True)
    state = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ChangeEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["model", "-created_at"])]

    def __str__(self) -> str:
        return self.summary

    @property
    def state_summary(self) -> str:
        """A bare state record in words: "Benchmark GPQA Diamond saved: weight 1.00, …"."""
        what = self.get_row_kind_display() or "Row"
        if self.state is None:
            return f"{what} removed"
        name = self.state.get("name") or self.state.get("slug") or ""
        shown = [
            f"{field.replace('_', ' ')} {self.state[field]}"
            for field in ("weight", "category_share", "ranking_coverage")
            if self.state.get(field) is not None
        ]
        detail = f": {', '.join(shown)}" if shown else ""
        return f"{what} {name} saved{detail}".replace("  ", " ")

    @property
    def field_label(self) -> str:
        return self.field.replace("_", " ").capitalize()

    @property
    def summary(self) -> str:
        if self.kind == self.Kind.STATE:
            return self.state_summary
        subject = self.model_name
        if self.benchmark_name:
            subject = f"{subject} on {self.benchmark_name}"
        label = self.get_kind_display()
        what = f" {self.field.replace('_', ' ')}" if self.field and not self.benchmark_name else ""
        if self.old_value and self.new_value:
            return f"{label}: {subject}{what} {self.old_value} → {self.new_value}"
        if self.new_value:
            return f"{label}: {subject}{what} {self.new_value}"
        if self.old_value:
            return f"{label}: {subject}{what} was {self.old_value}"
        return f"{label}: {subject}"


class PriceSync(models.Model):
    """One applied price-feed sync: which snapshot it read and what it found and changed.

    The methodology page shows the latest one (the feed's snapshot date); the changes themselves
    are ``ChangeEvent`` rows, as any other price change.
    """

    ran_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=20, help_text="bundled or upstream")
    package_version = models.CharField(max_length=40)
    snapshot_date = models.DateField()
    matched = models.PositiveIntegerField(help_text="Mapped models found in the feed.")
    changed_models = models.PositiveIntegerField()
    changed_fields = models.PositiveIntegerField()
    missing = models.TextField(blank=True, help_text="Mapped models the feed does not price.")
    pinned = models.TextField(blank=True, help_text="Pinned models the feed would change.")

    class Meta:
        ordering = ["-ran_at", "-id"]
        get_latest_by = "ran_at"

    def __str__(self) -> str:
        return f"Price sync {self.ran_at:%Y-%m-%d %H:%M} ({self.snapshot_date})"


class DataVersion(models.Model):
    """The catalogue's data version: one row (pk 1), the authority that Redis only caches.

    Every catalogue write raises it in the write's own transaction (``comparisons.changes``),
    so no edit can commit without a new version, whatever happens to Redis. The number is the
    time of the last edit in nanoseconds since the epoch (or one more than the previous number
    when the clock stepped back): it never repeats, even after a rolled-back edit, and it gives
    pages their ``Last-Modified``.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="data_version_single_row")]

    def __str__(self) -> str:
        return str(self.version)
