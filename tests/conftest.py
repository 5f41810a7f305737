import os

import pytest
from django.conf import settings
from django.core.cache import cache

from benchlm import pagecache
from benchlm.celery import app as celery_app
from comparisons import past, scoreboard


def pytest_configure(config):
    """Parallel workers (pytest-xdist) each get their own cache keys, as they get their own
    database: a test's ``cache.clear()`` then deletes its worker's keys only (benchlm/cache.py),
    never those of a test running beside it. Runs before anything touches the cache."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        default = settings.CACHES["default"]
        default["KEY_PREFIX"] = f"{default.get('KEY_PREFIX') or 'benchlm'}-{worker}"


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache, so no scoreboard leaks from one test to the next."""
    cache.clear()
    scoreboard._memo.clear()
    past._boards.clear()
    yield
    cache.clear()
    scoreboard._memo.clear()
    past._boards.clear()


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Tasks run in-process unless a test brings its own worker (marked ``services``)."""
    if request.node.get_closest_marker("services"):
        yield
        return
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log in often; the production hasher's deliberate slowness buys nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Tests measure the views themselves; tests/benchlm/test_pagecache.py turns it back on."""
    settings.PAGE_CACHE = False
    pagecache.pages.clear()
