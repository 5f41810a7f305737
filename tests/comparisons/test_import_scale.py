"""A whole catalogue imported from CSV costs a bounded number of statements whatever its size,
raises the data version once, and a dry run of it leaves readers' caches alone.
`make bench SCALE=100` times the same at 3,700 models and 350,000 scores."""

from collections import Counter

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchlm import pagecache
from comparisons import scoreboard
from comparisons.exporter import export_catalogue
from comparisons.importer import import_catalogue
from comparisons.models import (
    ChangeEvent,
    DataVersion,
    LanguageModel,
    MethodologySettings,
)
from tests.factories import build_catalogue, empty_catalogue

pytestmark = pytest.mark.django_db(transaction=True)


def exported(models: int, benchmarks: int) -> dict[str, str]:
    """The CSV files of a synthetic catalogue, which is then removed: an empty catalogue."""
    empty_catalogue()
    build_catalogue(models, benchmarks=benchmarks, density=0.625)
    files = export_catalogue()
    empty_catalogue()
    return files


def statements(queries) -> Counter[str]:
    """Statements per table and kind: ("INSERT", "comparisons_score")."""
    kinds = Counter()
    for query in queries:
        sql = query["sql"]
        verb = sql.split(None, 1)[0].upper()
        table = next((t for t in TABLES if f'"{t}"' in sql), "other")
        kinds[verb, table] += 1
    return kinds


TABLES = (
    "comparisons_score",
    "comparisons_changeevent",
    "comparisons_languagemodel",
    "comparisons_provider",
    "comparisons_modelfamily",
)


def imported(files: dict[str, str]) -> tuple[list[dict], int]:
    before = scoreboard.stored_version()
    with CaptureQueriesContext(connection) as captured:
        report = import_catalogue(files)
    assert report.ok, report.errors[:3]
    assert scoreboard.stored_version() > before
    return captured.captured_queries, report.created["scores"]


def test_statements_stay_bounded_as_the_catalogue_grows():
    DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    small, small_scores = imported(exported(16, 15))
    large, large_scores = imported(exported(160, 60))
    assert large_scores > 20 * small_scores  # 150 and 6,000 scores
    # Scores and their change events: one COPY each on PostgreSQL, at any size; elsewhere
    # INSERTs of as many rows as the backend takes (SQLite: some 70 scores).
    for table in ("comparisons_score", "comparisons_changeevent"):
        if connection.vendor == "postgresql":
            assert statements(small)["COPY", table] == statements(large)["COPY", table] == 1
        else:
            assert statements(large)["INSERT", table] <= large_scores / 20
    # Models, providers and families: inserted a thousand to a statement, read in one.
    for table in ("languagemodel", "provider", "modelfamily"):
        assert statements(large)["INSERT", f"comparisons_{table}"] == 1, table
    # 160 models name 20 providers and 53 families, 16 models 2 and 5: the statements are
    # the same in number (one more per thousand rows of a kind, on some backends).
    grown = len(large) - len(small)
    if connection.vendor != "postgresql":  # INSERTs of as many rows as the backend takes
        grown -= sum(
            count - statements(small)[key]
            for key, count in statements(large).items()
            if key[0] == "INSERT"
        )
    assert grown <= 10, (len(small), len(large))


def test_a_dry_run_of_a_whole_catalogue_changes_no_version_and_invalidates_nothing(
    client, settings
):
    settings.PAGE_CACHE = True
    DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})
    MethodologySettings.load()
    files = exported(60, 30)
    files["scores.csv"] = files["scores.csv"].replace("model-", "new-model-")
    files["models.csv"] = files["models.csv"].replace("model-", "new-model-")
    files["benchmarks.csv"] = files["benchmarks.csv"].replace("bench-", "new-bench-")
    files["scores.csv"] = files["scores.csv"].replace("bench-", "new-bench-")
    build_catalogue(10, benchmarks=15, density=0.625)  # something to read meanwhile
    scoreboard.bump_data_version()
    version = scoreboard.current_version()
    board = scoreboard.get_board()
    assert client.get("/").status_code == 200  # a page in the page cache
    cached = dict(pagecache.pages.entries)
    shared = cache.get(scoreboard.BOARD_KEY.format(version=version))
    assert cached and shared is not None
    events = ChangeEvent.objects.count()

    report = import_catalogue(files, dry_run=True)

    assert report.ok and report.dry_run and report.created["scores"] > 1000
    assert scoreboard.stored_version() == version == cache.get(scoreboard.VERSION_KEY)
    assert DataVersion.objects.get(pk=1).version == version
    assert cache.get(scoreboard.LATEST_KEY) == version
    assert scoreboard.get_board() is board
    assert dict(pagecache.pages.entries) == cached
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert ChangeEvent.objects.count() == events
    assert LanguageModel.objects.count() == 10
