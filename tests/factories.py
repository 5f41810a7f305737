"""Synthetic catalogues of any size, for query-count and scale tests."""

import importlib
import math
import random
from datetime import date
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection

from comparisons.importer import insert
from comparisons.models import (
    Benchmark,
    Category,
    ChangeEvent,
    LanguageModel,
    ModelFamily,
    Provider,
    Score,
)


def default_categories() -> list[Category]:
    """The categories the data migration creates, for tests whose database was flushed."""
    defaults = importlib.import_module("comparisons.migrations.0002_default_categories")
    return Category.objects.bulk_create(
        Category(slug=slug, name=name, short_name=short, weight=Decimal(weight), order=order,
                 description=description)
        for order, (slug, name, short, weight, description) in enumerate(defaults.CATEGORIES, 1)
    )  # fmt: skip


def empty_catalogue() -> None:
    """Remove every model, benchmark, score and change event as ``manage.py flush`` would.

    No signal runs, so no removal is recorded: ``delete()`` recorded one event per score, with
    four statements each, which made emptying a catalogue of thousands of scores take a minute.
    Tables that refer to these rows are emptied too (PostgreSQL's TRUNCATE ... CASCADE).
    """
    tables = [
        model._meta.db_table
        for model in (ChangeEvent, Score, LanguageModel, ModelFamily, Provider, Benchmark)
    ]
    flush = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    if connection.vendor == "postgresql":  # a TRUNCATE waits for no deferred foreign-key check
        flush = ["SET CONSTRAINTS ALL IMMEDIATE", *flush, "SET CONSTRAINTS ALL DEFERRED"]
    connection.ops.execute_sql_flush(flush)


def _logistic_scores(models, benchmarks, rng: random.Random):
    """A score per (model, benchmark) from ability, difficulty, discrimination and a bonus for
    reasoning models on every third benchmark, plus noise; 1 to 99 with one decimal."""
    ability = {m.pk: rng.gauss(0, 1.2) for m in models}
    difficulty = {b.pk: (rng.gauss(0, 1.0), rng.uniform(0.7, 1.6)) for b in benchmarks}
    bonus = {b.pk: 0.6 if i % 3 == 0 else 0.0 for i, b in enumerate(benchmarks)}

    def value(model, bench) -> Decimal:
        b, a = difficulty[bench.pk]
        z = a * (ability[model.pk] - b) + bonus[bench.pk] * model.reasoning
        score = 100 / (1 + math.exp(-z)) + rng.gauss(0, 3)
        return Decimal(round(min(99.0, max(1.0, score)) * 10)) / 10

    return value


def build_catalogue(
    models: int,
    benchmarks: int = 15,
    seed: int = 7,
    density: float = 0.8,
    run_tokens: float = 0.0,
    structured: bool = False,
) -> list[LanguageModel]:
    """Create ``models`` published models with scores on most of ``benchmarks`` benchmarks;
    ``run_tokens`` is the share of scores that carry their evaluation run's tokens.

    Scores are drawn uniformly (no structure for a model of them to find) unless ``structured``:
    then from a logistic model like the one the scoreboard fits, as real catalogues are (a
    stronger model scores higher almost everywhere), with three points of noise.

    Uses bulk inserts (no change events): this is test scaffolding, not an editor's write.
    """
    rng = random.Random(seed)
    categories = list(Category.objects.all()) or default_categories()
    providers = Provider.objects.bulk_create(
        [Provider(slug=f"provider-{i}", name=f"Provider {i}") for i in range(max(2, models // 8))]
    )
    families = ModelFamily.objects.bulk_create(
        [
            ModelFamily(
                slug=f"family-{i}", name=f"Family {i}", provider=providers[i % len(providers)]
            )
            for i in range(max(2, models // 3))
        ]
    )
    benches = Benchmark.objects.bulk_create(
        [
            Benchmark(
                slug=f"bench-{i}",
                name=f"Bench {i}",
                category=categories[i % len(categories)],
                weight=Decimal(0 if i % 7 == 6 else 1),
            )
            for i in range(benchmarks)
        ]
    )
    created = []
    for i in range(models):
        family = families[i % len(families)]
        created.append(
            LanguageModel(
                slug=f"model-{i}",
                name=f"Model {i}",
                provider=family.provider,
                family=family,
                release_date=date(2025, 1 + i % 12, 1 + i % 28),
                reasoning=i % 2 == 0,
                open_weights=i % 3 == 0,
                context_window=rng.choice([128_000, 200_000, 1_047_576, None]),
                input_price=None if i % 5 == 4 else Decimal(rng.randint(5, 500)) / 100,
                output_price=None if i % 5 == 4 else Decimal(rng.randint(20, 2000)) / 100,
                output_speed=rng.choice([None, 80.0, 120.0]),
            )
        )
    created = LanguageModel.objects.bulk_create(created)
    value = lambda model, bench: Decimal(rng.randint(100, 950)) / 10  # noqa: E731
    if structured:
        value = _logistic_scores(created, benches, random.Random(seed + 2))
    scores = [
        {
            "model_id": model.pk,
            "benchmark_id": bench.pk,
            "value": value(model, bench),
            "verified": rng.random() < 0.6,
            "source_url": "https://example.com/scores",
        }
        for model in created
        for bench in benches
        if rng.random() < density
    ]
    if run_tokens:
        # A generator of its own: the scores above stay the same whatever the share.
        runs = random.Random(seed + 1)
        for score in scores:
            if runs.random() < run_tokens:
                score["run_tasks"] = runs.choice([None, 198, 500])
                score["run_input_tokens"] = runs.randint(10**5, 10**7)
                score["run_output_tokens"] = runs.randint(10**5, 5 * 10**7)
    insert(Score, scores)  # COPY on PostgreSQL: thousands of scores in a few milliseconds
    return created


def record_history(days_ago: int = 5) -> None:
    """State records (``ChangeEvent.state``) for a catalogue built in bulk, which has none,
    dated ``days_ago`` days back: the days since then have past boards (``?as_of=``)."""
    from datetime import timedelta

    from django.utils import timezone

    from comparisons.changes import state_event
    from comparisons.models import ChangeEvent, MethodologySettings

    MethodologySettings.load()
    rows = [
        *MethodologySettings.objects.all(),
        *Provider.objects.all(),
        *ModelFamily.objects.all(),
        *Category.objects.all(),
        *Benchmark.objects.all(),
        *LanguageModel.objects.all(),
        *Score.objects.select_related("model", "benchmark"),
    ]
    ChangeEvent.objects.bulk_create([state_event(row) for row in rows], batch_size=2000)
    ChangeEvent.objects.update(created_at=timezone.now() - timedelta(days=days_ago))
