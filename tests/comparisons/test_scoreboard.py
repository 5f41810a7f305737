"""A new data version is built once, in the background, while readers keep the newest board."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchlm.celery import app as celery_app
from comparisons import scoreboard, tasks
from comparisons.models import Score
from tests.factories import build_catalogue

# Real commits: the version is raised in the edit's transaction and published after it.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def background(monkeypatch):
    """Production mode: a worker builds boards. The queue is recorded, and run by the test."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    queued: list[int] = []
    monkeypatch.setattr(tasks.build_scoreboard, "delay", queued.append)
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
