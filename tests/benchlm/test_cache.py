"""The Redis cache degrades to misses when Redis is gone and recovers when it is back."""

import shutil
import time

import pytest

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


@pytest.mark.django_db
def test_without_the_cache_the_board_is_rebuilt_once_per_epoch(monkeypatch):
    from comparisons import scoreboard
    from tests.factories import build_catalogue

    build_catalogue(4)
    monkeypatch.setattr(scoreboard, "data_version", lambda: None)
    clock = [1000.0]
    monkeypatch.setattr(scoreboard.time, "monotonic", lambda: clock[0])
    first = scoreboard.get_board()
    assert first.version < 0 and scoreboard.get_board() is first
    clock[0] += scoreboard.DEGRADED_TTL
    assert scoreboard.get_board() is not first  # the next epoch reads the database again
    scoreboard.bump_data_version()  # an edit in this process shows at once
    assert scoreboard.get_board().version == scoreboard.current_version()
