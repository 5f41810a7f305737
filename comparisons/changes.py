"""Change records and cache invalidation for every write path.

These are signal receivers on purpose: the admin, the importer and a shell session all write
through ``Model.save()`` / ``delete()``, and the history and the digest must see every one of
them. Bulk ``QuerySet.update()`` bypasses signals; the project never uses it on tracked models.
"""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from comparisons.models import (
    PRICE_TERMS,
    Benchmark,
    Category,
    ChangeEvent,
    LanguageModel,
    MethodologySettings,
    ModelFamily,
    Provider,
    Score,
    TrackedModel,
)
from comparisons.scoreboard import bump_data_version

CATALOGUE_MODELS = (
    Provider,
    ModelFamily,
    LanguageModel,
    Category,
    Benchmark,
    Score,
    MethodologySettings,
)


# What a row's recorded state leaves out: text no board reads, bookkeeping, and times that
# change on every save (a past board dates its figures by the events themselves).
STATE_SKIPPED = frozenset(
    {
        "body",
        "created_at",
        "updated_at",
        "genai_provider_id",
        "genai_model_id",
        "prices_pinned",
        "website",
    }
)
ROW_KINDS: dict[type[models.Model], str] = {
    LanguageModel: ChangeEvent.Row.MODEL,
    Score: ChangeEvent.Row.SCORE,
    Benchmark: ChangeEvent.Row.BENCHMARK,
    Category: ChangeEvent.Row.CATEGORY,
    Provider: ChangeEvent.Row.PROVIDER,
    ModelFamily: ChangeEvent.Row.FAMILY,
    MethodologySettings: ChangeEvent.Row.METHODOLOGY,
}


def _plain(value: Any) -> Any:
    """A value as JSON holds it and ``comparisons.history`` reads it back: exact decimals as
    text, dates in ISO form."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


@cache
def _state_columns(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname not in STATE_SKIPPED)


def values_state(model: type[models.Model], values: Mapping[str, Any]) -> dict[str, Any]:
    """A row's recorded state from its column values (attribute name -> value)."""
    return {name: _plain(values.get(name)) for name in _state_columns(model)}


def row_state(instance: models.Model) -> dict[str, Any]:
    """The row's values as the instance holds them, read with no query."""
    return values_state(type(instance), instance.__dict__)


def row_key(instance: models.Model) -> str:
    if isinstance(instance, Score):
        return f"{instance.model_id}:{instance.benchmark_id}"
    return str(instance.pk)


def row_fields(instance: models.Model, *, deleted: bool = False) -> dict[str, Any]:
    """The ``row_kind``, ``row_key`` and ``state`` of an event about ``instance``."""
    return {
        "row_kind": ROW_KINDS[type(instance)],
        "row_key": row_key(instance),
        "state": None if deleted else row_state(instance),
    }


def state_event(instance: models.Model, *, deleted: bool = False) -> ChangeEvent:
    """A bare state record: the row changed in nothing a reader follows."""
    base: dict[str, Any] = {"model_slug": "", "model_name": ""}
    if isinstance(instance, LanguageModel):
        base = {"model_slug": instance.slug, "model_name": instance.name}
        if not deleted:
            base["model"] = instance
    elif isinstance(instance, Benchmark) and not deleted:
        base = {"model_slug": "", "model_name": "", "benchmark": instance}
    return ChangeEvent(kind=ChangeEvent.Kind.STATE, **base, **row_fields(instance, deleted=deleted))


def display_value(instance: TrackedModel | type[TrackedModel], field: str, value: Any) -> str:
    """The value as a reader should see it in the history: names, not ids; 0.4, not 0.4000."""
    if value is None or value == "":
        return ""
    if field.endswith("_id"):
        related = instance._meta.get_field(field.removesuffix("_id")).related_model
        return str(related._default_manager.filter(pk=value).first() or value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def events_for_model(
    instance: LanguageModel, created: bool, before: dict[str, Any]
) -> list[ChangeEvent]:
    base = {
        "model": instance,
        "model_slug": instance.slug,
        "model_name": instance.name,
        **row_fields(instance),
    }
    if created:
        return [ChangeEvent(kind=ChangeEvent.Kind.MODEL_ADDED, **base)]
    events = []
    for field in LanguageModel.tracked_fields:
        old, new = before.get(field), getattr(instance, field)
        if old == new:
            continue
        if field == "published":
            kind = ChangeEvent.Kind.MODEL_PUBLISHED if new else ChangeEvent.Kind.MODEL_UNPUBLISHED
            events.append(ChangeEvent(kind=kind, **base))
            continue
        kind = (
            ChangeEvent.Kind.PRICE_CHANGED
            if field in PRICE_TERMS
            else (ChangeEvent.Kind.MODEL_CHANGED)
        )
        events.append(
            ChangeEvent(
                kind=kind,
                field=field.removesuffix("_id"),
                old_value=display_value(instance, field, old)[:255],
                new_value=display_value(instance, field, new)[:255],
                **base,
            )
        )
    if not events:  # an untracked field (a note, a link): the new state alone
        events.append(state_event(instance))
    return events


def score_added(
    values: Mapping[str, Any], model: LanguageModel, benchmark: Benchmark
) -> dict[str, Any]:
    """The columns (attribute name -> value) of a new score's event, from the score's values.

    The save signal makes its event from these; the importer writes them as they are, since
    building a ``Score`` and a ``ChangeEvent`` for each of a catalogue's 350,000 scores costs
    more than everything else it does.
    """
    return {
        "kind": ChangeEvent.Kind.SCORE_ADDED,
        "field": "value",
        "new_value": display_value(Score, "value", values["value"]),
        "model_id": model.pk,
        "model_slug": model.slug,
        "model_name": model.name,
        "benchmark_id": benchmark.pk,
        "benchmark_name": benchmark.name,
        "row_kind": ChangeEvent.Row.SCORE,
        "row_key": f"{model.pk}:{benchmark.pk}",
        "state": values_state(Score, values),
    }


def events_for_score(instance: Score, created: bool, before: dict[str, Any]) -> list[ChangeEvent]:
    model, benchmark = instance.model, instance.benchmark
    if created:
        return [ChangeEvent(**score_added(instance.__dict__, model, benchmark))]
    base = {
        "model": model,
        "model_slug": model.slug,
        "model_name": model.name,
        "benchmark": benchmark,
        "benchmark_name": benchmark.name,
        **row_fields(instance),
    }
    events = []
    for field in Score.tracked_fields:
        old, new = before.get(field), getattr(instance, field)
        if field == "value" and old is not None and new is not None:
            changed = Decimal(old) != Decimal(new)
        else:
            changed = old != new
        if changed:
            events.append(
                ChangeEvent(
                    kind=ChangeEvent.Kind.SCORE_CHANGED,
                    field=field,
                    old_value=display_value(instance, field, old),
                    new_value=display_value(instance, field, new),
                    **base,
                )
            )
    if not events:  # an untracked field (the source, the note): the new state alone
        events.append(ChangeEvent(kind=ChangeEvent.Kind.STATE, **base))
    return events


@receiver(pre_save, sender=LanguageModel)
@receiver(pre_save, sender=Score)
def load_previous_values(sender, instance: TrackedModel, raw: bool = False, **kwargs) -> None:
    """An instance built by hand (not loaded) has no snapshot: read the stored row first."""
    if raw or instance._state.adding or instance.tracked_values is not None:
        return
    row = sender._default_manager.filter(pk=instance.pk).values(*sender.tracked_fields).first()
    instance._tracked_values = row or {}


@receiver(post_save, sender=LanguageModel)
@receiver(post_save, sender=Score)
def record_changes(sender, instance: TrackedModel, created: bool, raw: bool = False, **kwargs):
    if raw:
        return
    before = instance.tracked_values or {}
    build = events_for_model if sender is LanguageModel else events_for_score
    events = build(instance, created, before)
    if events:
        ChangeEvent.objects.bulk_create(events)
    instance.remember_tracked_values()


@receiver(post_save, sender=Benchmark)
@receiver(post_save, sender=Category)
@receiver(post_save, sender=Provider)
@receiver(post_save, sender=ModelFamily)
@receiver(post_save, sender=MethodologySettings)
def record_state(sender, instance: models.Model, raw: bool = False, **kwargs) -> None:
    """Rows with no history of their own still record their state, for past boards."""
    if not raw:
        ChangeEvent.objects.create(**event_values(state_event(instance)))


@receiver(post_delete, sender=Benchmark)
@receiver(post_delete, sender=Category)
@receiver(post_delete, sender=Provider)
@receiver(post_delete, sender=ModelFamily)
def record_state_removal(sender, instance: models.Model, **kwargs) -> None:
    ChangeEvent.objects.create(**event_values(state_event(instance, deleted=True)))


def event_values(event: ChangeEvent) -> dict[str, Any]:
    """An unsaved event's column values (attribute name -> value), its time left to the write."""
    return {
        f.attname: getattr(event, f.attname)
        for f in ChangeEvent._meta.concrete_fields
        if not f.primary_key and f.attname != "created_at"
    }


@receiver(post_delete, sender=LanguageModel)
def record_model_removal(sender, instance: LanguageModel, **kwargs) -> None:
    ChangeEvent.objects.create(
        kind=ChangeEvent.Kind.MODEL_REMOVED,
        model_slug=instance.slug,
        model_name=instance.name,
        **row_fields(instance, deleted=True),
    )


@receiver(post_delete, sender=Score)
def record_score_removal(sender, instance: Score, origin=None, **kwargs) -> None:
    # Deleting a model removes its scores too; its own removal event says so once.
    if isinstance(origin, LanguageModel) or getattr(origin, "model", None) is LanguageModel:
        return
    model = LanguageModel.objects.filter(pk=instance.model_id).first()
    benchmark = Benchmark.objects.filter(pk=instance.benchmark_id).first()
    ChangeEvent.objects.create(
        kind=ChangeEvent.Kind.SCORE_REMOVED,
        model=model,
        model_slug=model.slug if model else "",
        model_name=model.name if model else "",
        benchmark=benchmark,
        benchmark_name=benchmark.name if benchmark else "",
        field="value",
        old_value=display_value(instance, "value", instance.value),
        **row_fields(instance, deleted=True),
    )


def invalidate(sender, instance=None, raw: bool = False, **kwargs) -> None:
    """Any catalogue write raises the data version in the database, in the write's own
    transaction; the new number reaches Redis once it is committed (``comparisons.scoreboard``).
    """
    if raw:
        return
    if sender is Score:
        bump_data_version(instance.model_id)  # the board refits only that model first
    elif sender is LanguageModel:
        bump_data_version(instance.pk)
    else:
        bump_data_version()


for model in CATALOGUE_MODELS:
    post_save.connect(invalidate, sender=model, dispatch_uid=f"invalidate-save-{model.__name__}")
    post_delete.connect(
        invalidate, sender=model, dispatch_uid=f"invalidate-delete-{model.__name__}"
    )
