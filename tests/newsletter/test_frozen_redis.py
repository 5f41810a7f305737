"""A Redis that hangs (SIGSTOP: connections open, nothing answers) must not take signups down.

Refused connections fail at once; a frozen server is worse, because every call waits for an
answer that never comes. With the connect and read timeouts of settings, a signup costs a
fraction of a second per Redis call, answers normally, and the outbox keeps the email.
"""

import os
import signal
import time

import pytest
from django.conf import settings
from django.test import Client

from newsletter import services
from newsletter.models import OutboxEmail
from tests.forms import form_post
from tests.newsletter.workers import point_app_at, require_services
from tests.servers import RedisServer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SIGNUPS = 4


@pytest.fixture
def frozen_redis(tmp_path, settings):
    """A redis-server of our own as cache and broker, frozen with SIGSTOP for the test."""
    require_services()
    redis = RedisServer(tmp_path)
    redis.start()
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "benchlm.cache.ResilientRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {
                "socket_connect_timeout": settings.REDIS_CONNECT_TIMEOUT,
                "socket_timeout": settings.REDIS_READ_TIMEOUT,
            },
        }
    }
    point_app_at(redis.url)
    Client().get("/healthz")  # warm: pooled connections exist before the freeze, as in production
    os.kill(redis.process.pid, signal.SIGSTOP)
    try:
        yield redis
    finally:
        os.kill(redis.process.pid, signal.SIGCONT)
        services._broker_down_until = 0.0  # the next test starts with a broker it may use
        point_app_at(None)
        redis.stop()


def test_signups_with_a_frozen_redis_answer_fast_and_keep_the_email(frozen_redis):
    timings, statuses = [], []
    for n in range(SIGNUPS):
        started = time.monotonic()
        response = form_post(
            Client(),
            "/digest/subscribe/",
            {"email": f"frozen{n}@example.com"},
            HTTP_HX_REQUEST="true",
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
        timings.append(time.monotonic() - started)
        statuses.append(response.status_code)
        assert b"on its way" in response.content
    print("signup seconds with Redis frozen:", ", ".join(f"{t:.2f}" for t in timings))
    assert statuses == [200] * SIGNUPS
    # The first signup waits out three Redis calls (0.5 s each, the read timeout) before the
    # cache and the broker are taken for down: 1.7 s alone, 2.07 s once beside the rest of the
    # suite on two cores. A Redis call without a timeout would never return.
    assert max(timings) < 6 * settings.REDIS_READ_TIMEOUT, timings
    assert max(timings[2:]) < settings.REDIS_READ_TIMEOUT, timings  # known down by then
    pending = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING)
    assert sorted(pending.values_list("subscriber__email", flat=True)) == [
        f"frozen{n}@example.com" for n in range(SIGNUPS)
    ]
