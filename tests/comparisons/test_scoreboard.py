"""A new data version is built once, in the background, while readers keep the newest board."""

import math
import random
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from benchlm.celery import app as celery_app
from comparisons import scoreboard, scoring, tasks
from comparisons.models import LanguageModel, Score
from tests.factories import build_catalogue

# Real commits: the version is raised in the edit's transaction and published after it.
pytestmark = pytest.mark.django_db(transaction=True)


REFITS: list[int] = []  # full refits queued behind an incremental board
CHECKS: list[int] = []  # leave-one-out checks queued


@pytest.fixture
def background(monkeypatch):
    """Production mode: a worker builds boards. The queue is recorded, and run by the test."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    queued: list[int] = []
    monkeypatch.setattr(tasks.build_scoreboard, "delay", queued.append)
    monkeypatch.setattr(tasks.refit_scoreboard, "delay", REFITS.append)
    monkeypatch.setattr(tasks.check_scoreboard, "delay", CHECKS.append)
    REFITS.clear()
    CHECKS.clear()
    yield queued
    celery_app.conf.task_always_eager = eager


def edit_a_score() -> Score:
    score = Score.objects.select_related("model", "benchmark").first()
    score.value = Decimal("1.0")
    score.save()  # commits: raises the version, which queues one build
    return score


def test_readers_keep_the_newest_board_while_the_next_one_builds(background):
    build_catalogue(5)
    first = scoreboard.get_board()  # a process with no board at all builds one itself
    score = edit_a_score()

    version = scoreboard.current_version()
    assert version > first.version and background[-1] == version
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert scoreboard.get_board().version == first.version  # stale, not rebuilt here
    assert len(queries) == 0
    assert background.count(version) == 1  # queued once for every process and request

    tasks.build_scoreboard(version)  # what the worker runs
    scoreboard._memo.clear()  # another process
    board = scoreboard.get_board()
    assert board.version == version
    assert board.cells[score.model.slug][score.benchmark.slug].value == 1.0


def test_without_a_worker_the_request_builds(background, monkeypatch):
    build_catalogue(3)
    first = scoreboard.get_board()
    monkeypatch.setattr(scoreboard, "request_build", lambda version: False)  # broker down
    edit_a_score()
    assert scoreboard.get_board().version > first.version


def test_the_task_builds_the_newest_version_when_asked_for_an_older_one():
    build_catalogue(3)
    scoreboard.get_board()  # after a flush, the first build writes the methodology row
    old = scoreboard.current_version()
    edit_a_score()
    tasks.build_scoreboard(old)
    newest = scoreboard.current_version()
    assert newest > old
    assert scoreboard._cache_get(scoreboard.BOARD_KEY.format(version=newest)).version == newest


def test_without_a_worker_taking_the_build_readers_wait_no_longer_than_the_grace(
    background, monkeypatch
):
    build_catalogue(3)
    first = scoreboard.get_board()
    edit_a_score()  # queued, but nothing will run it
    assert scoreboard.get_board().version == first.version  # within the grace: the newest board
    later = scoreboard.time.time() + scoreboard.BUILD_GRACE_SECONDS + 1
    monkeypatch.setattr(scoreboard.time, "time", lambda: later)
    assert scoreboard.get_board().version == scoreboard.current_version() > first.version


def logistic_scores(seed: int = 3) -> None:
    """Give the catalogue's scores the shape real ones have (a capability per model, a difficulty
    per benchmark, a little noise) instead of uniform noise, which no model describes."""
    rng = random.Random(seed)
    ability, difficulty = {}, {}
    scores = list(Score.objects.all())
    for score in scores:
        a = ability.setdefault(score.model_id, rng.gauss(0, 1.2))
        b = difficulty.setdefault(score.benchmark_id, rng.gauss(0, 1))
        value = 100 / (1 + math.exp(b - a)) + rng.gauss(0, 2)
        score.value = Decimal(str(round(min(max(value, 0.5), 99.5), 1)))
    Score.objects.bulk_update(scores, ["value"])  # scaffolding: no change events


def test_one_edited_score_updates_the_previous_board_then_a_full_refit_replaces_it(background):
    """The quick board after one edit, here an extreme one (a score set to 1 %) on a small
    catalogue, where it moves its benchmark's parameters most: every overall within one point
    of a full refit, every rank within two places. The full refit then replaces it."""
    build_catalogue(40)
    logistic_scores()
    scoreboard.get_board()  # after a flush, the first build writes the methodology row
    tasks.build_scoreboard(scoreboard.current_version())
    first = scoreboard.get_board()
    assert first.version == scoreboard.current_version()
    assert first.fit_kind in ("full", "warm")
    score = edit_a_score()
    version = scoreboard.current_version()
    delta = scoreboard._cache_get(scoreboard.DELTA_KEY.format(version=version))
    assert delta == (first.version, frozenset({score.model_id}))  # recorded with the commit
    assert scoreboard.changes_since(first.version, version) == {score.model_id}

    with CaptureQueriesContext(connection) as queries:
        tasks.build_scoreboard(version)
    # the version, the edited model (with its newest score time), its scores
    assert len(queries) <= 3
    quick = scoreboard._cache_get(scoreboard.BOARD_KEY.format(version=version))
    assert quick.fit_kind == "incremental"
    assert quick.cells[score.model.slug][score.benchmark.slug].value == 1.0
    assert [version] == REFITS and CHECKS[-1] == first.version  # no check of a quick board

    full = scoreboard.build_board(version, first)  # what the refit computes
    for lane in scoring.Lane:
        for slug, standing in full.standings[lane].items():
            fast = quick.standings[lane][slug]
            assert fast.overall == pytest.approx(standing.overall, abs=1.0), slug
            assert fast.eligible == standing.eligible
            if standing.rank is not None:
                assert abs(fast.rank - standing.rank) <= 2, slug
        edited = quick.standings[lane][score.model.slug]
        assert edited.overall == pytest.approx(
            full.standings[lane][score.model.slug].overall, abs=0.5
        )

    scoreboard._memo.clear()
    assert scoreboard.get_board().fit_kind == "incremental"  # another process, before the refit
    tasks.refit_scoreboard(version)  # what the worker runs next
    refitted = scoreboard.get_board()
    assert refitted.version == version and refitted.fit_kind == "warm"
    assert CHECKS[-1] == version


def test_pages_of_a_provisional_board_are_neither_kept_nor_validated(background, client, settings):
    """While a new version builds, readers get the previous board; after one edit, its quick
    update. Neither is the version's page: no ETag (a revalidation would confirm it for the
    version's life), not kept, held at the edge a few seconds. The version's full fit is."""
    settings.PAGE_CACHE = True
    build_catalogue(12)
    scoreboard.get_board()
    tasks.build_scoreboard(scoreboard.current_version())
    url = "/models/model-1/"
    final = client.get(url)
    assert final["ETag"] and final["X-Page-Cache"] == "miss"

    def provisional(response) -> None:
        assert response.status_code == 200 and "ETag" not in response
        assert "Last-Modified" not in response and "X-Page-Cache" not in response
        parts = {part.strip() for part in response["Cache-Control"].split(",")}
        assert parts == {"public", "max-age=0", f"s-maxage={settings.EDGE_PROVISIONAL_MAX_AGE}"}

    edit_a_score()
    version = scoreboard.current_version()
    assert scoreboard.get_board().version < version  # the previous board, while it builds
    provisional(client.get(url))
    provisional(client.get(url))  # rendered again: nothing was kept

    tasks.build_scoreboard(version)  # the edit's quick update
    assert scoreboard.get_board().fit_kind == "incremental"
    provisional(client.get(url))

    tasks.refit_scoreboard(version)  # the version's full fit
    assert scoreboard.get_board().fit_kind not in scoreboard.PROVISIONAL
    settled = client.get(url)
    assert settled["ETag"] and settled["ETag"] != final["ETag"]
    assert settled["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(url, headers={"If-None-Match": settled["ETag"]}).status_code == 304


def test_a_cold_start_serves_a_quick_board_until_its_fit_is_continued(
    background, client, settings, monkeypatch
):
    """With no board to start from, a large catalogue's first fit stops at QUICK_ROUNDS: readers
    get a board at once, its pages provisional, and a refit continues the fit in the
    background for the rounds a fit from cold has. (Here a small catalogue stands in for a
    large one, and one round for QUICK_ROUNDS: too few to settle.)"""
    settings.PAGE_CACHE = True
    monkeypatch.setattr(scoreboard, "QUICK_SCORES", 0)
    monkeypatch.setattr(scoreboard, "QUICK_ROUNDS", 1)
    build_catalogue(12)
    version = scoreboard.current_version()
    first = scoreboard.get_board()  # no board anywhere: this process builds the first one
    assert first.version == version and first.fit_kind == "quick"
    assert not all(fit.point.settled for fit in first.fits.values())
    assert [version] == REFITS and CHECKS == []
    page = client.get("/")
    assert "ETag" not in page and "s-maxage=5" in page["Cache-Control"]

    tasks.refit_scoreboard(version)  # what the worker runs
    board = scoreboard.get_board()
    assert board.version == version and board.fit_kind == "warm"
    assert [version] == CHECKS
    cold = scoreboard.build_board(version)  # the fit from cold, all its rounds in one go
    for lane in scoring.Lane:
        for slug, standing in cold.standings[lane].items():
            if standing.overall is not None:
                overall = board.standings[lane][slug].overall
                assert overall == pytest.approx(standing.overall, abs=0.05), slug
    assert client.get("/")["ETag"]


def test_a_catalogue_that_settles_within_the_quick_rounds_gets_its_full_board_at_once(
    background, monkeypatch
):
    monkeypatch.setattr(scoreboard, "QUICK_SCORES", 0)
    build_catalogue(40)
    logistic_scores()  # shaped like a real catalogue: settles in a few rounds
    board = scoreboard.get_board()
    assert board.fit_kind == "full" and REFITS == []
    assert all(fit.point.settled for fit in board.fits.values())


def test_a_process_takes_up_a_new_board_off_its_readers_path(background, monkeypatch):
    """A large board stored by the worker is read back and taken up in the process's reader
    thread; the page request that finds it gets the board held meanwhile (its page
    provisional). Anything else (a digest, say) waits for the new board."""
    monkeypatch.setattr(scoreboard, "READ_AHEAD_SCORES", 0)  # a small catalogue stands in
    build_catalogue(12)
    scoreboard.get_board()
    tasks.build_scoreboard(scoreboard.current_version())
    first = scoreboard.get_board()
    edit_a_score()
    version = scoreboard.current_version()
    tasks.build_scoreboard(version)  # the worker stores the edit's board
    scoreboard._memo["board"] = first  # this process still holds the previous one
    with scoreboard.watching_boards() as provisional:
        assert scoreboard.get_board() is first
        assert provisional()
    scoreboard.read_ahead_done()
    with scoreboard.watching_boards():
        update = scoreboard.get_board()
    assert update.version == version and update.fit_kind == "incremental"

    tasks.refit_scoreboard(version)  # the worker replaces it with the full fit
    scoreboard._memo["board"] = update  # this process holds the update
    with scoreboard.watching_boards():
        assert scoreboard.get_board() is update  # at once, the refit on its way
    scoreboard.read_ahead_done()
    with scoreboard.watching_boards() as provisional:
        refitted = scoreboard.get_board()
        assert refitted.version == version and refitted.fit_kind == "warm"
        assert not provisional()


def stored_beside_the_held_board(monkeypatch) -> tuple[scoreboard.Board, int]:
    """A process holding the first board while the worker has stored an edit's: (the held
    board, the new version). A small catalogue stands in for one that reads ahead."""
    monkeypatch.setattr(scoreboard, "READ_AHEAD_SCORES", 0)
    build_catalogue(6)
    first = scoreboard.get_board()
    edit_a_score()
    version = scoreboard.current_version()
    tasks.build_scoreboard(version)
    scoreboard._memo["board"] = first
    return first, version


def test_a_board_gone_from_the_cache_is_read_on_the_request_again(background, monkeypatch):
    first, version = stored_beside_the_held_board(monkeypatch)
    scoreboard.cache.delete(scoreboard.BOARD_KEY.format(version=version))  # evicted
    with scoreboard.watching_boards():
        assert scoreboard.get_board() is first
    scoreboard.read_ahead_done()
    assert scoreboard._memo["board"] is first  # nothing found to take up
    monkeypatch.setattr(scoreboard, "request_build", lambda version: False)  # no worker
    with scoreboard.watching_boards():
        assert scoreboard.get_board().version == version  # this request builds it, as before


def test_outside_a_page_request_a_new_board_is_read_at_once(background, monkeypatch):
    _, version = stored_beside_the_held_board(monkeypatch)
    assert scoreboard.get_board().version == version  # the digest's figures are the new ones


def test_a_benchmark_edit_refits_every_parameter(background):
    from comparisons.models import Benchmark

    build_catalogue(12)
    scoreboard.get_board()
    tasks.build_scoreboard(scoreboard.current_version())
    first = scoreboard.get_board()
    bench = Benchmark.objects.first()
    bench.weight = Decimal(2)
    bench.save()
    version = scoreboard.current_version()
    assert scoreboard.changes_since(first.version, version) is None
    tasks.build_scoreboard(version)
    board = scoreboard._cache_get(scoreboard.BOARD_KEY.format(version=version))
    assert board.fit_kind == "warm"  # warm-started from the previous board's parameters
    assert REFITS == []


def test_the_leave_one_out_check_is_not_on_the_boards_path(background):
    build_catalogue(12)
    board = scoreboard.get_board()
    assert all(report.loo_mae is None for report in board.reports.values())
    reports = scoreboard.fit_reports(board)  # /methodology/ before the check has run
    assert all(report.loo_mae is None for report in reports.values())
    assert [board.version] == CHECKS  # queued, once
    tasks.check_scoreboard(board.version)  # what the worker runs
    reports = scoreboard.fit_reports(board)
    assert all(report.loo_mae is not None for report in reports.values())
    assert reports[scoring.Lane.PROVISIONAL].loo_cells > 0


def test_a_board_reads_back_from_the_cache_as_it_was_stored():
    build_catalogue(8)
    board = scoreboard.get_board()
    again = scoreboard._cache_get(scoreboard.BOARD_KEY.format(version=board.version))  # Redis
    assert again is not board
    assert again.cells == board.cells and list(again.cells) == list(board.cells)
    assert again.standings == board.standings and again.version == board.version


def test_what_if_previews_exactly_the_board_an_import_of_those_scores_gives(background):
    """The paste preview's figures are the quick board's after the same edits: the changed
    models' capabilities refitted, everything else held. A value a model already has, or a
    model or benchmark the board does not know, changes nothing."""
    build_catalogue(30)
    logistic_scores()
    scoreboard.get_board()  # after a flush, the first build writes the methodology row
    tasks.build_scoreboard(scoreboard.current_version())
    board = scoreboard.get_board()
    assert board.version == scoreboard.current_version()
    edited = list(Score.objects.select_related("model", "benchmark").order_by("pk")[:3])
    changes = {(s.model.slug, s.benchmark.slug): float(s.value) / 2 for s in edited}
    same = Score.objects.select_related("model", "benchmark").order_by("-pk").first()
    unchanged = {(same.model.slug, same.benchmark.slug): float(same.value)}
    nowhere = {("no-such-model", same.benchmark.slug): 50.0, (same.model.slug, "no-such"): 1.0}

    for lane in scoring.Lane:
        assert scoreboard.what_if(board, unchanged | nowhere, lane) is board.standings[lane]
    previewed = {
        lane: scoreboard.what_if(board, changes | unchanged, lane) for lane in scoring.Lane
    }
    assert any(
        previewed[scoring.Lane.PROVISIONAL][s.model.slug].overall
        != board.standings[scoring.Lane.PROVISIONAL][s.model.slug].overall
        for s in edited
    )

    with transaction.atomic():  # one version, as an import of the pasted table is
        for score in edited:
            score.value = Decimal(str(float(score.value) / 2))
            score.verified = False
            score.save()
    version = scoreboard.current_version()
    tasks.build_scoreboard(version)
    after = scoreboard._cache_get(scoreboard.BOARD_KEY.format(version=version))
    assert after.fit_kind == "incremental"
    for lane in scoring.Lane:
        for slug, standing in after.standings[lane].items():
            assert previewed[lane][slug].overall == pytest.approx(standing.overall, abs=1e-9)
            assert previewed[lane][slug].rank == standing.rank, slug


def test_a_large_board_is_frozen_out_of_the_collector_s_way(db, monkeypatch):
    """A process that takes up a large board freezes what it holds (gc.freeze), so that a page's
    own allocations no longer set off collections that walk the whole board; a small one is
    left alone."""
    import gc

    build_catalogue(3)
    gc.unfreeze()
    try:
        scoreboard._memo.clear()
        scoreboard.get_board()
        assert gc.get_freeze_count() == 0  # 3 models: below the threshold
        monkeypatch.setattr(scoreboard, "SETTLE_SCORES", 1)
        scoreboard._memo.clear()
        board = scoreboard.get_board()
        assert gc.get_freeze_count() > 1000  # Django, the app and the board
        freezes = []
        freeze = gc.freeze
        monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1) or freeze())
        assert scoreboard.get_board() is board and freezes == []  # once per board
    finally:
        gc.unfreeze()


def scored(table: scoreboard.ScoreTable) -> list[tuple]:
    columns = (table.model, table.benchmark, table.value, table.verified)
    return sorted(zip(*(column.tolist() for column in columns), strict=True))


def test_the_score_table_holds_every_published_score_in_any_number_of_parts():
    models = build_catalogue(12)
    unpublished = models[3]
    unpublished.published = False
    unpublished.save()
    first, second = Score.objects.filter(model=models[0]).order_by("pk")[:2]
    Score.objects.filter(pk=first.pk).update(
        value=Decimal("12.34"), verified=True, as_of=date(2025, 5, 1)
    )
    Score.objects.filter(pk=second.pk).update(as_of=date(2025, 7, 1))
    Score.objects.filter(model=unpublished).update(as_of=date(2025, 9, 1))  # not counted
    rows = Score.objects.filter(model__published=True).order_by()
    expected = scoreboard._table_of_rows(rows)
    assert unpublished.pk not in expected.model.tolist() and len(expected.model)
    assert (models[0].pk, 12.34, True) in [(m, v, f) for m, _, v, f in scored(expected)]
    whole = scoreboard._score_table()
    pages = 0
    if connection.vendor == "postgresql":  # parts are ranges of the table's pages there
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_relation_size('comparisons_score') / 8192")
            pages = cursor.fetchone()[0]
        assert pages >= 3  # every part has pages of its own
    parts = [scoreboard._score_table(k, 3, pages) for k in range(3)]
    assert all(len(part.model) for part in parts)
    for table in (whole, scoreboard._joined(parts)):
        assert scored(table) == scored(expected)
        assert table.newest == expected.newest == date(2025, 7, 1)
    assert whole.value.dtype == float and whole.model.dtype == np.int64


def test_a_card_s_last_update_is_its_model_s_or_its_newest_score_s_save():
    """The cards of a build take their newest score save from the scores read beside them;
    the one-model path (an edit's) asks the database: both give the same time."""
    models = build_catalogue(6)
    newer = Score.objects.filter(model=models[0]).order_by("pk").first()
    Score.objects.filter(pk=newer.pk).update(updated_at=models[0].updated_at + timedelta(days=3))
    older = Score.objects.filter(model=models[1])
    older.update(updated_at=models[1].updated_at - timedelta(days=3))
    cards = dict(scoreboard.load_rows().models)
    assert cards[models[0].pk].last_updated == models[0].updated_at + timedelta(days=3)
    assert cards[models[1].pk].last_updated == models[1].updated_at
    asked = scoreboard._cards(LanguageModel.objects.filter(pk__in=[m.pk for m in models]))
    assert {pk: card.last_updated for pk, (card, _) in asked.items()} == {
        pk: cards[pk].last_updated for pk in asked
    }


def test_outside_a_transaction_the_scores_are_read_on_connections_of_their_own():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite reads on one connection")
    build_catalogue(12)
    with CaptureQueriesContext(connection) as here:
        read = scoreboard.load_rows()
    # In one transaction: the snapshot the parts share, then methodology, categories,
    # benchmarks and models; not the scores.
    sql = [query["sql"] for query in here]
    assert len(sql) == 8 and (sql[0], sql[-1]) == ("BEGIN", "COMMIT")
    assert sql[1] == "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
    assert "pg_export_snapshot" in sql[2]
    with transaction.atomic(), CaptureQueriesContext(connection) as inside:
        alone = scoreboard.load_rows()
    assert len(inside) == 5  # its own writes are visible to this connection only
    assert scored(read.scores) == scored(alone.scores)
    assert len(read.scores.model) == Score.objects.filter(model__published=True).count()


def test_the_scores_parts_and_the_cards_are_read_in_one_snapshot(monkeypatch):
    """A commit landing while the parts are read (an import's, an editor's) is in none of
    them: every connection reads the catalogue as of the moment the load began."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite reads on one connection")
    models = build_catalogue(12)
    score = Score.objects.filter(model=models[0]).order_by("pk").first()
    before = float(score.value)
    read_part = scoreboard._score_table
    settings = connection.settings_dict

    def commit_then_read(part, parts, pages=0):
        if part == 0:  # after the snapshot was taken, before any part reads
            with psycopg.connect(
                dbname=settings["NAME"],
                user=settings["USER"],
                host=settings["HOST"],
                port=settings["PORT"] or None,
                autocommit=True,
            ) as other:
                other.execute(
                    "UPDATE comparisons_score SET value = value + 1 WHERE id = %s", [score.pk]
                )
                other.execute(
                    "UPDATE comparisons_languagemodel SET name = 'Renamed' WHERE id = %s",
                    [models[0].pk],
                )
        return read_part(part, parts, pages)

    monkeypatch.setattr(scoreboard, "_score_table", commit_then_read)
    read = scoreboard.load_rows()
    values = dict(
        zip(
            zip(read.scores.model.tolist(), read.scores.benchmark.tolist(), strict=True),
            read.scores.value.tolist(),
            strict=True,
        )
    )
    assert values[(score.model_id, score.benchmark_id)] == before
    assert dict(read.models)[models[0].pk].name == models[0].name
    assert len(values) == Score.objects.filter(model__published=True).count()
    score.refresh_from_db()
    assert float(score.value) == before + 1  # committed all the same


def test_a_rolled_back_write_passes_nothing_to_the_next_edit_s_change_record():
    """A failed save or a dry-run import ends in a rollback, which never reaches the commit
    hook: what it noted ("everything changed") used to pass to the next transaction, and the
    next one-score edit was then refitted in full instead of updated."""
    build_catalogue(6)
    score = Score.objects.order_by("pk").first()
    with pytest.raises(RuntimeError), transaction.atomic():
        scoreboard.bump_data_version()  # a benchmark edit, say
        raise RuntimeError
    with pytest.raises(RuntimeError), transaction.atomic(), scoreboard.one_bump():
        scoreboard.bump_data_version()  # an import's dry run
        raise RuntimeError
    before = scoreboard.stored_version()
    score.value += 1
    score.save()
    after = scoreboard.stored_version()
    assert after > before
    assert scoreboard.changes_since(before, after) == {score.model_id}
