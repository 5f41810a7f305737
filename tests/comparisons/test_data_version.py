"""The data version lives in the database; Redis only caches it, and no outage can lose an edit."""

import shutil
import signal
import time

import pytest
from django.core.cache import cache
from django.db import transaction

from benchlm import cache as resilient
from comparisons import scoreboard
from comparisons.models import LanguageModel
from tests.factories import build_catalogue
from tests.servers import RedisServer


@pytest.fixture
def own_redis(tmp_path, settings):
    """The site's cache on a redis-server of this test's own, which it may stop or freeze."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "benchlm.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "benchlm",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    yield server
    if server.process:
        server.process.send_signal(signal.SIGCONT)
    server.stop()


def name_in_api(client, slug: str) -> str:
    models = client.get("/api/v1/models/").json()["models"]
    return next(m["name"] for m in models if m["slug"] == slug)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_an_edit_made_while_redis_is_away_shows_within_a_second_of_its_return(
    client, own_redis, outage
):
    build_catalogue(6)
    model = LanguageModel.objects.get(slug="model-2")
    assert name_in_api(client, "model-2") == model.name
    before = cache.get(scoreboard.VERSION_KEY)
    assert before == scoreboard.stored_version()

    if outage == "stopped":
        own_redis.stop()
    else:  # SIGSTOP: Redis keeps the old version and answers nothing until SIGCONT
        own_redis.process.send_signal(signal.SIGSTOP)
    model.name = "Edited During The Outage"
    model.save()  # the publish after commit is dropped; the database has the new version
    stored = scoreboard.stored_version()
    assert stored > before
    assert name_in_api(client, "model-2") == "Edited During The Outage"  # read from PostgreSQL

    if outage == "stopped":
        own_redis.start()  # same port, empty
    else:
        own_redis.process.send_signal(signal.SIGCONT)  # still holds the old version
    back = time.monotonic()
    while True:
        shown = name_in_api(client, "model-2")
        if shown == "Edited During The Outage" and cache.get(scoreboard.VERSION_KEY) == stored:
            break
        assert time.monotonic() - back < 1.0, (shown, cache.get(scoreboard.VERSION_KEY), stored)
        time.sleep(0.02)
    assert time.monotonic() - back < 1.0


@pytest.mark.django_db(transaction=True)
def test_the_version_is_raised_with_the_edit_and_rolled_back_with_it(client):
    build_catalogue(4)
    start = scoreboard.current_version()
    model = LanguageModel.objects.get(slug="model-1")
    with pytest.raises(RuntimeError), transaction.atomic():
        model.name = "Never Committed"
        model.save()
        # Inside the transaction this thread sees its own edit...
        assert scoreboard.get_board().models["model-1"].name == "Never Committed"
        raise RuntimeError
    # ...and after the rollback nobody does, and the shared cache never held that board.
    assert scoreboard.stored_version() == start == scoreboard.current_version()
    assert scoreboard.get_board().models["model-1"].name != "Never Committed"
    model.refresh_from_db()
    model.name = "Committed"
    model.save()
    after = scoreboard.current_version()
    assert after > start and cache.get(scoreboard.VERSION_KEY) == after
    assert name_in_api(client, "model-1") == "Committed"


@pytest.mark.django_db(transaction=True)
def test_a_published_version_never_moves_back(own_redis):
    backend = own_redis and __import__("django.core.cache", fromlist=["caches"]).caches["default"]
    big = 1_790_000_000_000_000_001  # past 2**53: compared as digits, not as Lua doubles
    assert resilient.raise_to(backend, "v", big, 60) == big
    assert resilient.raise_to(backend, "v", big - 1, 60) == big
    assert resilient.raise_to(backend, "v", 99, 60) == big
    assert resilient.raise_to(backend, "v", big + 1, 60) == big + 1
    assert backend.get("v") == big + 1  # readable through the ordinary cache API
