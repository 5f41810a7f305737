"""The CSV import and export: PRODUCT.md, "Data interchange (import and export)"."""

import csv
import io
from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from comparisons.csvformat import CSV_FILES, MODEL_OPTIONAL_COLUMNS, RowError
from comparisons.exporter import export_catalogue, export_directory
from comparisons.importer import import_catalogue, import_directory
from comparisons.models import (
    Benchmark,
    Category,
    ChangeEvent,
    LanguageModel,
    ModelFamily,
    Provider,
    Score,
)
from tests.factories import empty_catalogue

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "comparisons" / "demo_data"
# What the shipped demo catalogue holds (comparisons/demo_data/README.md gives the same figures).
DEMO_BENCHMARKS, DEMO_MODELS, DEMO_SCORES, DEMO_VERIFIED = 28, 74, 476, 189
DEMO_PROVIDERS, DEMO_FAMILIES, DEMO_CATEGORIES = 10, 38, 8
DEMO_EVENTS = DEMO_MODELS + DEMO_SCORES  # one change event per created model and score
DEMO_ROWS = (
    DEMO_BENCHMARKS + DEMO_MODELS + DEMO_SCORES + DEMO_PROVIDERS + DEMO_FAMILIES + DEMO_CATEGORIES
)

BENCHMARKS_CSV = """\
slug,name,category,weight,description,url
gpqa-diamond,GPQA Diamond,knowledge,1,Graduate-level science,https://arxiv.org/abs/2311.12022
swe-bench-verified,SWE-bench Verified,coding,1,"Real GitHub issues, patched",https://www.swebench.com
"""
MODEL_HEADER = (
    "slug,name,provider,family,release_date,reasoning,open_weights,context_window,"
    "max_output_tokens,input_price,output_price,cached_input_price,output_speed,ttft,"
    "knowledge_cutoff,input_modalities,batch_input_price,batch_output_price"
)
MODELS_CSV = f"""\
{MODEL_HEADER}
gpt-4-1,GPT-4.1,OpenAI,GPT-4.1,2025-04-14,no,no,1047576,32768,2,8,0.5,108,1.02,2024-06,\
text+image,1,4
gpt-4-1-mini,GPT-4.1 mini,OpenAI,GPT-4.1,2025-04-14,no,no,1047576,32768,0.4,1.6,0.1,80,0.76,\
2024-06,text+image,,
"""
SCORES_CSV = """\
model,benchmark,score,as_of,source_url,note,verified
gpt-4-1,gpqa-diamond,66.3,2025-04-14,https://openai.com/index/gpt-4-1/,vendor-reported,yes
gpt-4-1,swe-bench-verified,54.6,2025-04-14,https://openai.com/,"vendor-reported, 477 of 500",no
gpt-4-1-mini,gpqa-diamond,65,,,,
"""
SMALL = {"benchmarks.csv": BENCHMARKS_CSV, "models.csv": MODELS_CSV, "scores.csv": SCORES_CSV}

GPT_5 = next(
    csv.DictReader(
        io.StringIO(
            f"{MODEL_HEADER}\n"
            "gpt-5,GPT-5,OpenAI,GPT-5,2025-08-07,yes,no,400000,128000,1.25,10,0.125,,,2024-10,"
            "text+image,,\n"
        )
    )
)
NEW_SCORE = {"model": "gpt-4-1-mini", "benchmark": "swe-bench-verified", "score": "23.6"}
NEW_BENCHMARK = {"slug": "mmmu", "name": "MMMU", "category": "multimodal", "weight": "1"}


def row(fields: dict[str, str], **changes: str) -> str:
    """One CSV line with the columns of ``fields`` (in order), some of them changed."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow({**fields, **changes}.values())
    return buffer.getvalue()


def score_row(**changes: str) -> str:
    base = {**NEW_SCORE, "as_of": "", "source_url": "", "note": "", "verified": ""}
    return row(base, **changes)


def bench_row(**changes: str) -> str:
    return row({**NEW_BENCHMARK, "description": "", "url": ""}, **changes)


def dump() -> dict[str, list[tuple]]:
    """Every value the files carry (and the category weights), for before/after comparisons."""
    model_fields = [f for f in MODEL_HEADER.split(",") if f not in ("provider", "family")]
    return {
        "categories": list(Category.objects.order_by("slug").values_list("slug", "weight")),
        "benchmarks": list(
            Benchmark.objects.order_by("slug").values_list(
                "slug", "name", "category__slug", "weight", "description", "url"
            )
        ),
        "models": list(
            LanguageModel.objects.order_by("slug").values_list(
                "provider__name", "family__name", "family__provider__name", *model_fields
            )
        ),
        "scores": list(
            Score.objects.order_by("model__slug", "benchmark__slug").values_list(
                "model__slug",
                "benchmark__slug",
                "value",
                "as_of",
                "source_url",
                "note",
                "verified",
                "run_input_tokens",
                "run_output_tokens",
                "run_tasks",
            )
        ),
    }


@pytest.fixture
def small():
    report = import_catalogue(SMALL)
    assert report.ok, report.errors
    return report


@pytest.fixture
def demo():
    report = import_directory(DEMO)
    assert report.ok, report.errors
    return report


# --- The demo data ------------------------------------------------------------------------------


def test_the_demo_data_imports_cleanly_and_a_reimport_changes_nothing(demo):
    assert demo.errors == []
    assert demo.created == Counter(
        benchmarks=DEMO_BENCHMARKS,
        models=DEMO_MODELS,
        scores=DEMO_SCORES,
        providers=DEMO_PROVIDERS,
        families=DEMO_FAMILIES,
        categories=0,
    )
    assert (LanguageModel.objects.count(), Benchmark.objects.count(), Score.objects.count()) == (
        DEMO_MODELS,
        DEMO_BENCHMARKS,
        DEMO_SCORES,
    )
    assert Score.objects.filter(verified=True).count() == DEMO_VERIFIED
    assert demo.change_events == ChangeEvent.objects.for_readers().count() == DEMO_EVENTS
    assert demo.summary() == (
        f"Created {DEMO_BENCHMARKS} benchmarks, {DEMO_PROVIDERS} providers, "
        f"{DEMO_FAMILIES} families, {DEMO_MODELS} models, {DEMO_SCORES} scores; "
        f"updated nothing; {DEMO_CATEGORIES} unchanged; {DEMO_EVENTS} change events recorded."
    )
    o3 = LanguageModel.objects.get(slug="o3")
    assert (o3.input_price, o3.cached_input_price, o3.knowledge_cutoff) == (
        Decimal(2),
        Decimal("0.5"),
        "2024-06",
    )
    assert o3.family.provider == o3.provider

    again = import_directory(DEMO)

    assert again.ok
    assert again.change_events == 0
    assert again.created == Counter() and again.updated == Counter()
    assert again.unchanged["models"] == DEMO_MODELS and again.unchanged["scores"] == DEMO_SCORES
    assert ChangeEvent.objects.for_readers().count() == DEMO_EVENTS


def test_a_dry_run_reports_what_would_change_and_writes_nothing():
    categories, events = Category.objects.count(), ChangeEvent.objects.count()

    report = import_directory(DEMO, dry_run=True)

    assert report.ok and report.dry_run
    assert (report.created["models"], report.created["benchmarks"], report.created["scores"]) == (
        DEMO_MODELS,
        DEMO_BENCHMARKS,
        DEMO_SCORES,
    )
    assert report.change_events == DEMO_EVENTS
    assert report.summary().startswith(
        f"Dry run, nothing written: would create {DEMO_BENCHMARKS} benchmarks"
    )
    assert not LanguageModel.objects.exists()
    assert not Benchmark.objects.exists()
    assert not Score.objects.exists()
    assert not Provider.objects.exists()
    assert ChangeEvent.objects.count() == events
    assert Category.objects.count() == categories


def version_raises(queries) -> int:
    return sum(
        q["sql"].startswith("UPDATE") and "comparisons_dataversion" in q["sql"] for q in queries
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_writes_in_bulk_with_one_version_and_a_dry_run_touches_nothing_readers_see():
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from comparisons import scoreboard
    from comparisons.models import DataVersion, MethodologySettings

    # A database flushed by an earlier test: the rows its first edits would create.
    DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    MethodologySettings.load()
    start = scoreboard.current_version()  # published to the cache
    board = scoreboard.get_board()
    with CaptureQueriesContext(connection) as dry:
        assert import_directory(DEMO, dry_run=True).ok
    assert version_raises(dry) == 0
    assert scoreboard.stored_version() == start == cache.get(scoreboard.VERSION_KEY)
    assert scoreboard.get_board() is board  # not even this process's scoreboard was dropped

    with CaptureQueriesContext(connection) as real:
        report = import_directory(DEMO)
    assert report.ok and report.change_events == DEMO_EVENTS
    # The 2025 data (37 models, 314 scores) took 2,912 queries row by row; in bulk 188. Models
    # and benchmarks are still checked against the database one by one (a few queries each);
    # scores, most of the rows, in bulk: 277 queries for 74 models and 476 scores.
    assert version_raises(real) == 1
    assert len(real) < 100 + 3 * (DEMO_MODELS + DEMO_BENCHMARKS)
    # New scores and every change event each in one COPY statement (PostgreSQL), elsewhere in
    # INSERTs of as many rows as the backend takes (SQLite: some 70 scores).
    for table in ("comparisons_changeevent", "comparisons_score"):
        if connection.vendor == "postgresql":
            assert sum(q["sql"].startswith(f'COPY "{table}"') for q in real) == 1
        else:
            inserts = sum(q["sql"].startswith(f'INSERT INTO "{table}"') for q in real)
            assert 1 <= inserts <= DEMO_SCORES / 5
    after = scoreboard.stored_version()
    assert after > start and cache.get(scoreboard.VERSION_KEY) == after
    assert len(scoreboard.get_board().models) == DEMO_MODELS


def test_a_score_saved_while_the_import_ran_is_reported_on_its_line(small):
    """New scores are queued as plain values; should the database refuse their bulk write (an
    editor saved the same pair meanwhile), each is built, checked and saved on its own, and the
    refused one is reported on its line."""
    from comparisons.csvformat import SCORES, parse_file
    from comparisons.importer import ImportReport, _Writer

    scores = (
        "model,benchmark,score,as_of,source_url,note\ngpt-4-1-mini,swe-bench-verified,23.6,,,\n"
    )
    report = ImportReport()
    writer = _Writer(report, {SCORES.name: parse_file(SCORES.name, scores)})
    assert writer.files[SCORES.name].errors == []
    writer.write_scores(writer.files[SCORES.name])
    assert [item.instance for item in writer.pending["scores"]] == [None]
    mini = LanguageModel.objects.get(slug="gpt-4-1-mini")
    swe = Benchmark.objects.get(slug="swe-bench-verified")
    Score.objects.create(model=mini, benchmark=swe, value=Decimal(20))  # the editor's save

    writer.flush("scores", Score)

    assert [(e.file, e.line) for e in report.errors] == [("scores.csv", 2)]
    assert "already has a score on this benchmark" in report.errors[0].message
    assert Score.objects.get(model=mini, benchmark=swe).value == Decimal(20)


def test_an_imported_score_records_the_event_a_saved_one_does(small):
    """The import writes new scores' events from their values, with no Score built: the same
    columns an editor's save records."""
    scores = (
        "model,benchmark,score,as_of,source_url,note\ngpt-4-1-mini,swe-bench-verified,23.6,,,\n"
    )
    assert import_catalogue({"scores.csv": scores}).ok
    score = Score.objects.get(model__slug="gpt-4-1-mini", benchmark__slug="swe-bench-verified")
    added = ChangeEvent.objects.filter(
        kind=ChangeEvent.Kind.SCORE_ADDED, row_key=f"{score.model_id}:{score.benchmark_id}"
    )
    imported = added.get()
    score.delete()
    Score.objects.create(model=score.model, benchmark=score.benchmark, value=Decimal("23.6"))
    saved = added.latest("pk")

    def columns(event: ChangeEvent) -> dict:
        values = {f.attname: getattr(event, f.attname) for f in ChangeEvent._meta.concrete_fields}
        del values["id"], values["created_at"]
        return values | {"state": {**event.state, "id": None}}

    assert saved.pk != imported.pk
    assert columns(imported) == columns(saved)
    assert imported.new_value == "23.6" and imported.state["value"] == "23.6"


def test_a_dry_run_of_a_change_counts_its_events_and_keeps_the_old_value(small):
    before = dump()

    report = import_catalogue(
        {"models.csv": MODELS_CSV.replace(",2,8,0.5,", ",2.5,8,0.5,")}, dry_run=True
    )

    assert report.ok
    assert report.updated == Counter(models=1)
    assert report.change_events == 1
    assert dump() == before
    assert not ChangeEvent.objects.filter(kind=ChangeEvent.Kind.PRICE_CHANGED).exists()


# --- Refusing bad files -----------------------------------------------------------------------


def test_bad_files_are_refused_with_every_line_and_nothing_is_written(demo):
    before, events = dump(), ChangeEvent.objects.count()
    models = (DEMO / "models.csv").read_text().splitlines()
    bad = {
        # No url column: the whole file is refused (line 0).
        "benchmarks.csv": "slug,name,category,weight,description\nmmlu,MMLU,knowledge,1,Changed\n",
        # Line 2 is a valid price change, line 3 has a price that is not a number.
        "models.csv": "\n".join(
            [
                models[0],
                models[1].replace(",2.5,10,1.25,", ",3,10,1.25,"),
                models[2].replace(",0.15,0.6,", ",abc,0.6,"),
            ]
        ),
        "scores.csv": (
            "model,benchmark,score,as_of,source_url,note\n"
            "gpt-4o,simpleqa,41,,,\n"
            "gpt-4o,no-such-benchmark,50,,,\n"
            "gpt-4o-mini,gpqa-diamond,140,,,\n"
        ),
    }

    report = import_catalogue(bad)

    assert not report.ok
    assert [(e.file, e.line) for e in report.errors] == [
        ("benchmarks.csv", 0),
        ("models.csv", 3),
        ("scores.csv", 3),
        ("scores.csv", 4),
    ]
    assert [e.message for e in report.errors] == [
        "Missing column “url”.",
        "input_price: “abc” is not a number.",
        "benchmark: unknown benchmark “no-such-benchmark” "
        "(not in benchmarks.csv nor in the database).",
        "score: 140 is not between 0 and 100; a score is a percentage.",
    ]
    assert report.summary() == "Not imported: 4 errors; nothing was written."
    assert report.change_events == 0
    assert dump() == before
    assert ChangeEvent.objects.count() == events
    assert LanguageModel.objects.get(slug="gpt-4o").input_price == Decimal("2.5")
    assert Score.objects.get(model__slug="gpt-4o", benchmark__slug="simpleqa").value == Decimal(
        "40.1"
    )
    assert Benchmark.objects.get(slug="mmlu").weight == 0


@pytest.mark.parametrize(
    ("file", "text", "line", "message"),
    [
        ("models.csv", row(GPT_5, slug="GPT-5"), 4, "slug: Use lower-case letters"),
        ("models.csv", row(GPT_5, slug="gpt--5"), 4, "slug: Use lower-case letters"),
        ("models.csv", row(GPT_5, slug="a-vs-b"), 4, "slug: A model slug cannot contain “-vs-”"),
        ("models.csv", row(GPT_5, slug=""), 4, "slug: required, but empty."),
        ("models.csv", row(GPT_5, name=""), 4, "name: required, but empty."),
        ("models.csv", row(GPT_5, provider=""), 4, "provider: required, but empty."),
        (
            "models.csv",
            row(GPT_5, slug="gpt-4-1"),
            4,
            "Duplicate slug “gpt-4-1”, already on line 2",
        ),
        (
            "models.csv",
            row(GPT_5, reasoning="maybe"),
            4,
            "reasoning: “maybe” is neither yes nor no.",
        ),
        ("models.csv", row(GPT_5, open_weights="true"), 4, "open_weights: “true” is neither"),
        ("models.csv", row(GPT_5, release_date="14/04/2025"), 4, "release_date: “14/04/2025” is"),
        ("models.csv", row(GPT_5, release_date="2025-02-30"), 4, "not a date as YYYY-MM-DD."),
        ("models.csv", row(GPT_5, knowledge_cutoff="2024-6"), 4, "not a month as YYYY-MM."),
        ("models.csv", row(GPT_5, context_window="1M"), 4, "context_window: “1M” is not a whole"),
        ("models.csv", row(GPT_5, max_output_tokens="-5"), 4, "max_output_tokens: “-5” is not"),
        ("models.csv", row(GPT_5, output_price="-1"), 4, "output_price: -1 is negative"),
        ("models.csv", row(GPT_5, batch_input_price="NaN"), 4, "batch_input_price: “NaN” is not"),
        ("models.csv", row(GPT_5, ttft="fast"), 4, "ttft: “fast” is not a number."),
        ("models.csv", row(GPT_5, input_price="0.00001"), 4, "input_price: Ensure that there"),
        ("models.csv", row(GPT_5, input_modalities="Text"), 4, "input_modalities: Join"),
        ("models.csv", "gpt-5,GPT-5,OpenAI\n", 4, "3 cells, but the header has 18."),
        ("scores.csv", score_row(score="abc"), 5, "score: “abc” is not a number."),
        ("scores.csv", score_row(score="-0.5"), 5, "score: -0.5 is not between 0 and 100"),
        ("scores.csv", score_row(score="100.5"), 5, "score: 100.5 is not between 0 and 100"),
        ("scores.csv", score_row(score=""), 5, "score: required, but empty."),
        ("scores.csv", score_row(model=""), 5, "model: required, but empty."),
        ("scores.csv", score_row(benchmark=""), 5, "benchmark: required, but empty."),
        ("scores.csv", score_row(model="gpt-9"), 5, "model: unknown model “gpt-9” (not in models"),
        ("scores.csv", score_row(as_of="2025-04"), 5, "as_of: “2025-04” is not a date"),
        ("scores.csv", score_row(verified="y"), 5, "verified: “y” is neither yes nor no."),
        ("scores.csv", score_row(source_url="openai"), 5, "source_url: Enter a valid URL."),
        ("scores.csv", score_row(score="12.345"), 5, "score: Ensure that there are no more"),
        (
            "scores.csv",
            score_row(benchmark="gpqa-diamond", model="gpt-4-1"),
            5,
            "Duplicate score for gpt-4-1 on gpqa-diamond, already on line 2.",
        ),
        ("benchmarks.csv", bench_row(slug="no slug"), 4, "slug: Enter a valid “slug”"),
        ("benchmarks.csv", bench_row(category=""), 4, "category: required, but empty."),
        ("benchmarks.csv", bench_row(weight="-1"), 4, "weight: -1 is negative"),
        ("benchmarks.csv", bench_row(url="mmmu"), 4, "url: Enter a valid URL."),
    ],
)
def test_each_bad_cell_is_one_error_on_its_line(small, file, text, line, message):
    before = dump()

    report = import_catalogue({**SMALL, file: SMALL[file] + text})

    assert len(report.errors) == 1, report.errors
    [error] = report.errors
    assert (error.file, error.line) == (file, line)
    assert error.message.startswith(message) or message in error.message, error.message
    assert dump() == before


def drop_ttft(rows: list[list[str]]) -> list[list[str]]:
    return [r[:13] + r[14:] for r in rows]


def rename_score(rows: list[list[str]]) -> list[list[str]]:
    return [["value" if c == "score" else c for c in rows[0]], *rows[1:]]


def repeat_url(rows: list[list[str]]) -> list[list[str]]:
    return [[*r, r[-1]] for r in rows]


@pytest.mark.parametrize(
    ("file", "reshape", "message"),
    [
        ("models.csv", drop_ttft, "Missing column “ttft”."),
        ("scores.csv", rename_score, "Unknown column “value”; the columns are: model, benchmark,"),
        ("benchmarks.csv", repeat_url, "Column “url” appears 2 times."),
    ],
)
def test_a_bad_header_is_an_error_of_the_whole_file(small, file, reshape, message):
    before = dump()
    buffer = io.StringIO()
    csv.writer(buffer).writerows(reshape(list(csv.reader(io.StringIO(SMALL[file])))))

    report = import_catalogue({**SMALL, file: buffer.getvalue()})

    assert report.errors
    assert all((e.file, e.line) == (file, 0) for e in report.errors), report.errors
    assert any(e.message.startswith(message) for e in report.errors), report.errors
    assert dump() == before


def test_line_numbers_count_the_lines_of_a_quoted_cell(small):
    scores = (
        SCORES_CSV
        + 'gpt-4-1-mini,swe-bench-verified,23.6,,,"two\nlines",no\n'
        + "\n"  # blank lines are skipped, but counted
        + "gpt-4-1-mini,nope,1,,,,\n"
    )

    report = import_catalogue({"scores.csv": scores})

    assert report.errors == [
        RowError("scores.csv", 8, "benchmark: unknown benchmark “nope” (not in the database).")
    ]


def test_nothing_to_import_is_an_error(tmp_path):
    report = import_directory(tmp_path)

    assert report.errors == [
        RowError(
            str(tmp_path), 0, f"None of benchmarks.csv, models.csv, scores.csv is in {tmp_path}."
        )
    ]
    assert import_catalogue({"scores.csv": ""}).errors == [
        RowError("scores.csv", 0, "The file is empty: expected a header row.")
    ]


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path, small):
    (tmp_path / "scores.csv").write_bytes(
        SCORES_CSV.encode() + "gpt-4-1,modèle,1\n".encode("cp1252")
    )
    (tmp_path / "models.csv").write_text(MODELS_CSV.replace(",2,8,", ",3,8,"))

    report = import_directory(tmp_path)

    assert [(e.file, e.line) for e in report.errors] == [("scores.csv", 5)]
    assert LanguageModel.objects.get(slug="gpt-4-1").input_price == 2


# --- Updates and change events ----------------------------------------------------------------


def test_a_changed_price_records_one_price_change_from_old_to_new(small):
    ChangeEvent.objects.all().delete()
    # 8.0000 and 0.50 are the stored 8 and 0.5: equal decimals are no change.
    models = MODELS_CSV.replace(",2,8,0.5,", ",2.25,8.0000,0.50,")

    report = import_catalogue({**SMALL, "models.csv": models})

    assert report.ok
    assert report.updated == Counter(models=1)
    assert report.unchanged["models"] == 1 and report.unchanged["scores"] == 3
    assert report.change_events == 1
    [event] = ChangeEvent.objects.all()
    assert (event.kind, event.model_slug, event.field, event.old_value, event.new_value) == (
        ChangeEvent.Kind.PRICE_CHANGED,
        "gpt-4-1",
        "input_price",
        "2",
        "2.25",
    )
    assert LanguageModel.objects.get(slug="gpt-4-1").input_price == Decimal("2.25")


def test_an_empty_cell_means_unknown_and_clears_a_known_value(small):
    report = import_catalogue({"models.csv": MODELS_CSV.replace(",108,1.02,", ",,,")})

    assert report.ok and report.updated == Counter(models=1)
    model = LanguageModel.objects.get(slug="gpt-4-1")
    assert (model.output_speed, model.ttft) == (None, None)


def test_scores_alone_resolve_models_and_benchmarks_in_the_database(small):
    report = import_catalogue({"scores.csv": SCORES_CSV + score_row(verified="yes")})

    assert report.ok
    assert report.created == Counter(scores=1)
    assert report.unchanged == Counter(scores=3)
    assert report.change_events == 1
    score = Score.objects.get(model__slug="gpt-4-1-mini", benchmark__slug="swe-bench-verified")
    assert (score.value, score.verified) == (Decimal("23.6"), True)


def test_an_unknown_category_is_created_after_the_existing_ones():
    last = max(Category.objects.values_list("order", flat=True))

    report = import_catalogue(
        {"benchmarks.csv": BENCHMARKS_CSV + bench_row(category="long-context")}
    )

    assert report.ok
    assert report.created == Counter(benchmarks=3, categories=1)
    category = Category.objects.get(slug="long-context")
    assert (category.name, category.weight, category.order) == ("Long context", 1, last + 1)
    assert Benchmark.objects.get(slug="mmmu").category == category


def test_families_belong_to_their_provider_even_with_the_same_name():
    models = "\n".join(
        [
            MODEL_HEADER,
            row(GPT_5, slug="gemini-flash", provider="Google", family="Flash"),
            row(GPT_5, slug="acme-flash", provider="Acme AI", family="Flash"),
            row(GPT_5, slug="acme-flash-2", provider="acme ai", family="flash"),
        ]
    )

    report = import_catalogue({"models.csv": models})

    assert report.ok, report.errors
    assert report.created["providers"] == 2 and report.created["families"] == 2
    assert sorted(ModelFamily.objects.values_list("slug", "provider__slug")) == [
        ("acme-ai-flash", "acme-ai"),
        ("flash", "google"),
    ]
    acme = LanguageModel.objects.get(slug="acme-flash-2")
    assert (acme.provider.name, acme.family.name) == ("Acme AI", "Flash")


def test_new_slugs_are_free_in_the_database_and_in_the_import_itself():
    """Providers and families are written in bulk, so a slug given out earlier in the same
    import is taken although no row holds it yet."""
    from comparisons.importer import _Slugs

    Provider.objects.create(name="Flash Labs", slug="flash")
    slugs = _Slugs(Provider, "provider")

    given = [slugs.free(["Flash"]), slugs.free(["Flash"]), slugs.free(["Flash 2.0"])]

    assert given == ["flash-2", "flash-3", "flash-2-0"]
    assert slugs.free(["…", "Acme"]) == "provider"
    assert slugs.free(["…"]) == "provider-2"


def test_a_byte_order_mark_and_windows_line_ends_are_fine(small):
    sources = {name: "\ufeff" + text.replace("\n", "\r\n") for name, text in SMALL.items()}

    report = import_catalogue(sources)

    assert report.ok, report.errors
    assert report.change_events == 0


# --- Optional columns ---------------------------------------------------------------------------


def test_files_without_the_optional_columns_still_import_and_keep_stored_values(small):
    without_batch = "\n".join(
        line.removesuffix(",1,4")
        .removesuffix(",,")
        .removesuffix(",batch_input_price,batch_output_price")
        for line in MODELS_CSV.splitlines()
    )
    without_verified = (
        "\n".join(line.rsplit(",", 1)[0] for line in SCORES_CSV.splitlines())
        + "\n"
        + "gpt-4-1-mini,swe-bench-verified,23.6,,,\n"
    )

    report = import_catalogue({"models.csv": without_batch, "scores.csv": without_verified})

    assert report.ok, report.errors
    assert report.updated == Counter()
    assert report.created == Counter(scores=1)
    gpt = LanguageModel.objects.get(slug="gpt-4-1")
    assert (gpt.batch_input_price, gpt.batch_output_price) == (1, 4)
    # Verified stays as it was for stored scores and is "no" for a new one.
    assert Score.objects.get(model=gpt, benchmark__slug="gpqa-diamond").verified is True
    new = Score.objects.get(model__slug="gpt-4-1-mini", benchmark__slug="swe-bench-verified")
    assert new.verified is False


# --- Export ---------------------------------------------------------------------------------------


def _normalised(value: str) -> str | Decimal:
    """A cell as the importer reads it: stripped, and numbers compared by value."""
    try:
        return Decimal(value)
    except InvalidOperation:
        return value.strip()


def _rows(text: str, key: tuple[str, ...]) -> dict[tuple[str, ...], dict[str, str]]:
    return {tuple(r[k] for k in key): r for r in csv.DictReader(io.StringIO(text))}


def test_export_reproduces_the_demo_files_and_round_trips_into_an_empty_database(demo, tmp_path):
    exported = export_catalogue()

    keys = {
        "benchmarks.csv": ("slug",),
        "models.csv": ("slug",),
        "scores.csv": ("model", "benchmark"),
    }
    for name, key in keys.items():
        original = _rows((DEMO / name).read_text(encoding="utf-8-sig"), key)
        again = _rows(exported[name], key)
        assert again.keys() == original.keys()
        for k, values in original.items():
            assert {c: _normalised(v) for c, v in values.items()} == {
                c: _normalised(again[k][c]) for c in values
            }, k
    assert exported["models.csv"].splitlines()[0] == MODEL_HEADER + "," + ",".join(
        MODEL_OPTIONAL_COLUMNS[2:]
    )
    assert (
        exported["scores.csv"].splitlines()[0]
        == "model,benchmark,score,as_of,source_url,note,verified,"
        "run_input_tokens,run_output_tokens,run_tasks"
    )

    # Values the demo data lacks: a batch price, a note with quotes and a line break, a float.
    gpt = LanguageModel.objects.get(slug="gpt-4-1")
    gpt.batch_input_price, gpt.ttft = Decimal("0.0375"), 1.0 / 3
    gpt.save()
    score = Score.objects.get(model=gpt, benchmark__slug="gpqa-diamond")
    score.note, score.as_of = 'He said "66.3",\nthen 66.4', date(2025, 4, 14)
    score.run_input_tokens, score.run_output_tokens, score.run_tasks = 120_500, 9_876_543_210, 198
    score.save()
    before = dump()
    export_directory(tmp_path / "out")

    empty_catalogue()
    report = import_directory(tmp_path / "out")

    assert report.ok, report.errors
    assert report.created["models"] == DEMO_MODELS and report.created["scores"] == DEMO_SCORES
    assert dump() == before
    assert export_catalogue() == {
        name: (tmp_path / "out" / name).read_bytes().decode() for name in CSV_FILES
    }


def test_export_orders_rows_and_writes_plain_values(small):
    exported = export_catalogue()

    assert exported["models.csv"].splitlines()[1] == (
        "gpt-4-1,GPT-4.1,OpenAI,GPT-4.1,2025-04-14,no,no,1047576,32768,2,8,0.5,108,1.02,"
        "2024-06,text+image,1,4,,,,,,,,,,,no,"  # no variant note
    )
    assert [line.split(",")[:2] for line in exported["scores.csv"].splitlines()[1:]] == [
        ["gpt-4-1", "gpqa-diamond"],
        ["gpt-4-1", "swe-bench-verified"],
        ["gpt-4-1-mini", "gpqa-diamond"],
    ]
    assert exported["scores.csv"].splitlines()[3] == "gpt-4-1-mini,gpqa-diamond,65,,,,no,,,"


# --- Management commands ------------------------------------------------------------------------


def write_files(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_import_data_prints_the_summary_and_dry_runs(tmp_path):
    directory = write_files(tmp_path / "in", SMALL)
    out = io.StringIO()

    call_command("import_data", str(directory), "--dry-run", stdout=out)

    assert out.getvalue().startswith("Dry run, nothing written: would create 2 benchmarks")
    assert not LanguageModel.objects.exists()

    call_command("import_data", str(directory), stdout=out)

    assert "Created 2 benchmarks, 1 provider, 1 family, 2 models, 3 scores;" in out.getvalue()
    assert LanguageModel.objects.count() == 2


def test_import_data_lists_every_error_and_fails(tmp_path, small):
    scores = SCORES_CSV + score_row(score="140") + score_row(benchmark="nope")
    directory = write_files(tmp_path / "in", {"scores.csv": scores})
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"Not imported: 2 errors; nothing was written\."):
        call_command("import_data", str(directory), stderr=err)

    assert err.getvalue().splitlines() == [
        "scores.csv:5: score: 140 is not between 0 and 100; a score is a percentage.",
        "scores.csv:6: benchmark: unknown benchmark “nope” (not in the database).",
    ]
    assert Score.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("import_data", str(tmp_path / "empty"), stderr=io.StringIO())


def test_export_data_creates_the_directory(small, tmp_path):
    target = tmp_path / "nested" / "export"

    call_command("export_data", str(target), stdout=io.StringIO())

    assert sorted(p.name for p in target.iterdir()) == sorted(CSV_FILES)
    assert (target / "scores.csv").read_bytes().decode() == export_catalogue()["scores.csv"]


def test_load_demo_data_is_idempotent():
    out = io.StringIO()

    call_command("load_demo_data", stdout=out)
    call_command("load_demo_data", stdout=out)

    first, second = out.getvalue().splitlines()
    assert f"{DEMO_MODELS} models, {DEMO_SCORES} scores" in first
    assert second == (
        f"Demo data: Created nothing; updated nothing; {DEMO_ROWS} unchanged; "
        "0 change events recorded."
    )
    assert LanguageModel.objects.count() == DEMO_MODELS


def test_variant_note_is_an_optional_column_kept_out_of_the_name(demo):
    sonnet = LanguageModel.objects.get(slug="claude-3-5-sonnet")
    assert sonnet.name == "Claude 3.5 Sonnet"
    assert sonnet.variant_note == "Oct 2024, claude-3-5-sonnet-20241022"
    pro = LanguageModel.objects.get(slug="gemini-2-5-pro")
    assert (pro.name, pro.variant_note) == ("Gemini 2.5 Pro", "scores from the 06-05 preview")
    assert "variant_note" in export_catalogue()["models.csv"].splitlines()[0]


@pytest.mark.django_db
def test_an_import_runs_with_the_cyclic_collector_paused_and_restores_it(monkeypatch):
    """A whole catalogue is hundreds of thousands of row objects, none in a cycle: collections
    over them took a sixth of a dry run. The collector is paused for the import, and back on
    afterwards, whether the import wrote, rolled back a dry run or failed."""
    import gc

    from comparisons import importer

    seen = []
    run = importer._Writer.run
    monkeypatch.setattr(
        importer._Writer, "run", lambda self: seen.append(gc.isenabled()) or run(self)
    )
    assert gc.isenabled()
    assert import_catalogue(SMALL, dry_run=True).ok
    assert import_catalogue(SMALL).ok
    assert import_catalogue({"scores.csv": "model,benchmark,score\nnobody,mmlu,12\n"}).errors
    assert seen == [False, False, False] and gc.isenabled()
