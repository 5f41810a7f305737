import os
from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections

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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist, start the tests marked ``slow`` early, spread over the workers.

    ``--dist worksteal`` gives each worker an equal run of the collection, in order, and idle
    workers then take tests from the end of a busy one's run. In collection order the ten
    tests marked slow (five of the suite's sixteen minutes of test time) fell mostly into one
    worker's run, one after another, so the suite ended with one worker busy and the others
    idle. Here they are dealt out longest first, each to the run with the least slow time so
    far, and open it; the others keep pytest-django's order. A test that flushes the database
    (``transaction=True``) goes only to a run with at most ``FEW_ROLLED_BACK`` tests that rely
    on the rolled-back database, and after them."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    slow = [item for item in items if item.get_closest_marker("slow")]
    if workers < 2 or not slow:
        return
    rest = [item for item in items if not item.get_closest_marker("slow")]
    sizes, left = [], len(items)
    for k in range(workers):  # as worksteal splits the collection
        sizes.append(left // (workers - k))
        left -= sizes[-1]
    margin, start, rolled_back = len(slow), 0, []
    for size in sizes:  # each run's tests, give or take the slow ones moved in
        window = rest[max(0, start - margin) : start + size + margin]
        rolled_back.append(sum(map(_rolls_back, window)))
        start += size
    first: list[list] = [[] for _ in sizes]  # slow tests that open a run
    later: list[list] = [[] for _ in sizes]  # flushing slow tests, after its rolled-back ones
    load = [0.0] * workers
    seconds = lambda item: item.get_closest_marker("slow").args[0]  # noqa: E731
    for item in sorted(slow, key=seconds, reverse=True):
        flushes = _flushes(item)
        allowed = [k for k in range(workers) if not flushes or rolled_back[k] <= FEW_ROLLED_BACK]
        k = min(allowed or range(workers), key=load.__getitem__)
        (later if flushes else first)[k].append(item)
        load[k] += seconds(item)
    ordered, taken = [], 0
    for k, size in enumerate(sizes):
        own = rest[taken : taken + max(0, size - len(first[k]) - len(later[k]))]
        taken += len(own)
        lead = sum(map(_rolls_back, own))  # pytest-django puts them first
        ordered += first[k] + own[:lead] + later[k] + own[lead:]
    items[:] = ordered + rest[taken:]


FEW_ROLLED_BACK = 100


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that flushed the database, put back the rows the migrations write (the
    default categories and the data version), so that whatever test a worker runs next finds
    the database as migrated, as Django's runner ensures by running such tests last."""
    try:
        return (yield)
    finally:
        if _flushes(item) and nextitem is not None:  # None: the test database is gone
            from django.apps import apps
            from pytest_django.plugin import blocking_manager_key

            with item.config.stash[blocking_manager_key].unblock():
                for name, step in MIGRATED_ROWS:
                    getattr(import_module(f"comparisons.migrations.{name}"), step)(apps, None)
                # Closed again: a connection this opened was found still open when the session
                # ended, beside the one the session closes (opened in another context of the
                # main thread), and the test database could not be dropped ("being accessed by
                # other users").
                connections.close_all()


# The data migrations whose rows a flush removes: (migration, its forward function).
MIGRATED_ROWS = [
    ("0002_default_categories", "create_defaults"),
    ("0005_data_version", "first_version"),
]


def _flushes(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    fixtures = getattr(item, "fixturenames", ())
    return transactional or "transactional_db" in fixtures or "live_server" in fixtures


def _rolls_back(item) -> bool:
    uses_db = bool(item.get_closest_marker("django_db")) or "db" in getattr(
        item, "fixturenames", ()
    )
    return uses_db and not _flushes(item)


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
