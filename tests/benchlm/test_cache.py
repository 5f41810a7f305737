"""The Redis cache degrades to misses when Redis is gone and recovers when it is back."""

import shutil
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchlm import cache as resilient
from tests.forms import form_post
from tests.servers import RedisServer, free_port


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = RedisServer(tmp_path)
    yield server
    server.stop()


def make_cache(port: int) -> resilient.ResilientRedisCache:
    return resilient.ResilientRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )


def test_a_lost_redis_reads_as_misses_and_recovers(redis_server, monkeypatch):
    monkeypatch.setattr(resilient, "RETRY_AFTER", 0.3)
    redis_server.start()
    cache = make_cache(redis_server.port)
    cache.set("k", "v")
    assert cache.get("k") == "v" and cache.available

    redis_server.stop()
    assert cache.get("k", "fallback") == "fallback"
    assert cache.set("k", "w") is None and cache.add("x", 1) is False
    assert cache.get_many(["k"]) == {} and cache.delete("k") is False
    with pytest.raises(ValueError):
        cache.incr("n")
    assert not cache.available
    started = time.monotonic()
    for _ in range(100):  # while it is down, no call waits for a connect timeout
        cache.get("k")
    assert time.monotonic() - started < 0.2

    redis_server.start()
    time.sleep(0.35)
    cache.set("k", "back")
    assert cache.get("k") == "back" and cache.available


@pytest.mark.django_db
def test_every_page_serves_with_redis_down(client, settings):
    from tests.factories import build_catalogue

    build_catalogue(6)
    settings.CACHES = {
        "default": {
            "BACKEND": "benchlm.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    pages = [
        "/",
        "/?sort=name",
        "/models/model-1/",
        "/compare/model-1-vs-model-2/",
        "/pricing/",
        "/benchmarks/",
        "/methodology/",
        "/api/v1/models/",
        "/digest/",
        "/feed/changes/",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "failing"}
    signup = form_post(
        client, "/digest/subscribe/", {"email": "a@example.com"}, HTTP_HX_REQUEST="true"
    )
    assert signup.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_without_the_cache_the_version_comes_from_the_database(client, settings):
    from comparisons import scoreboard
    from comparisons.models import LanguageModel, MethodologySettings
    from tests.factories import build_catalogue

    build_catalogue(4)
    MethodologySettings.load()  # the flushed database gets its settings row back: a write
    settings.CACHES = {
        "default": {
            "BACKEND": "benchlm.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    first = scoreboard.get_board()
    assert first.version == scoreboard.stored_version()
    with CaptureQueriesContext(connection) as queries:
        assert scoreboard.get_board() is first  # one primary-key read, no rebuild
    assert len(queries) == 1 and "dataversion" in queries[0]["sql"]
    model = LanguageModel.objects.get(slug="model-1")
    model.name = "Renamed While Redis Is Away"
    model.save()  # committed: every process reads the new version from the database
    assert scoreboard.get_board().models["model-1"].name == "Renamed While Redis Is Away"
    assert client.get("/models/model-1/").status_code == 200


def test_clear_deletes_its_own_prefix_only(redis_server):
    """Parallel test workers share one Redis database under different prefixes, and the broker
    may share it too: one cache's clear() must leave every other key alone."""
    redis_server.start()
    mine, theirs = make_cache(redis_server.port), make_cache(redis_server.port)
    mine.key_prefix, theirs.key_prefix = "site-gw0", "site-gw1"
    mine.set("a", 1)
    mine.set("b", 2)
    theirs.set("a", 3)
    raw = mine._cache.get_client(write=True)
    raw.set("celery-queued-task", "x")
    assert mine.clear() is True
    assert (mine.get("a"), mine.get("b"), theirs.get("a")) == (None, None, 3)
    assert raw.get("celery-queued-task") == b"x"
