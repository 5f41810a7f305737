"""Change events carry the row's state after the change, so any past day's catalogue can be
rebuilt from them (``comparisons.history``). Every row stored now gets one state record: the
catalogue's history starts here for databases that existed before."""

from datetime import date, datetime
from decimal import Decimal

import django.core.serializers.json
from django.db import migrations, models

BATCH = 2000


# As comparisons.changes records them, kept here so later edits there leave this migration be.
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


def _plain(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def record_current_state(apps, schema_editor):
    ChangeEvent = apps.get_model("comparisons", "ChangeEvent")
    tables = [
        ("MethodologySettings", "methodology"),
        ("Provider", "provider"),
        ("ModelFamily", "family"),
        ("Category", "category"),
        ("Benchmark", "benchmark"),
        ("LanguageModel", "model"),
        ("Score", "score"),
    ]
    for name, kind in tables:
        model = apps.get_model("comparisons", name)
        fields = [f for f in model._meta.concrete_fields if f.attname not in STATE_SKIPPED]
        events = []
        for row in model.objects.order_by("pk").iterator(chunk_size=BATCH):
            state = {f.attname: _plain(getattr(row, f.attname)) for f in fields}
            key = f"{row.model_id}:{row.benchmark_id}" if kind == "score" else str(row.pk)
            events.append(
                ChangeEvent(
                    kind="state",
                    model_slug=getattr(row, "slug", "") if kind == "model" else "",
                    model_name=getattr(row, "name", "") if kind == "model" else "",
                    row_kind=kind,
                    row_key=key,
                    state=state,
                )
            )
            if len(events) >= BATCH:
                ChangeEvent.objects.bulk_create(events)
                events = []
        ChangeEvent.objects.bulk_create(events)


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0006_languagemodel_variant_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="changeevent",
            name="row_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("model", "Model"),
                    ("score", "Score"),
                    ("benchmark", "Benchmark"),
                    ("category", "Category"),
                    ("provider", "Provider"),
                    ("family", "Family"),
                    ("methodology", "Methodology"),
                ],
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="changeevent",
            name="row_key",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="changeevent",
            name="state",
            field=models.JSONField(
                blank=True, encoder=django.core.serializers.json.DjangoJSONEncoder, null=True
            ),
        ),
        migrations.AlterField(
            model_name="changeevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("model_added", "New model"),
                    ("model_published", "Model published"),
                    ("model_unpublished", "Model unpublished"),
                    ("model_changed", "Model detail changed"),
                    ("model_removed", "Model removed"),
                    ("price_changed", "Price change"),
                    ("score_added", "New score"),
                    ("score_changed", "Score change"),
                    ("score_removed", "Score removed"),
                    ("state", "Catalogue row saved"),
                ],
                db_index=True,
                max_length=32,
            ),
        ),
        migrations.RunPython(record_current_state, migrations.RunPython.noop),
    ]
