"""The shipped gunicorn configuration under slow clients: six connections that send nothing,
and six that send half a request and stop, must leave the site answering in under a second.

With the sync worker the README used to suggest, six such connections stalled four workers for
over 25 s. The test starts gunicorn with ``gunicorn.conf.py`` as shipped (only the port changed)
on loopback, against the test database, with ``BEHIND_PROXY=1``: the test plays the proxy, so
signups through it show each client keeping its own rate limit.
"""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from newsletter.models import Subscriber
from tests.servers import free_port, wait_port

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SLOW_CLIENTS = 6


def post_signup(port: int, email: str, forwarded_for: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urlencode({"email": email})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Forwarded-For": forwarded_for,
    }
    conn.request("POST", "/digest/subscribe/", body, headers)
    status = conn.getresponse().status
    conn.close()
    return status


def get(port: int, path: str) -> tuple[int, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status, time.monotonic() - started


@pytest.fixture
def gunicorn(tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("redis-server"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env |= {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "DEBUG": "1",
        "GUNICORN_ACCESS_LOG": "",
        "BEHIND_PROXY": "1",  # the test plays the proxy on loopback
        # Its own cache keys: no rate-limit count left from an earlier run can answer 429.
        "CACHE_KEY_PREFIX": f"gunicorn-test-{uuid.uuid4().hex}",
    }
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "benchlm.wsgi", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_port(port, 60)
        for _ in range(20):  # every worker has imported the app and opened its connections
            get(port, "/healthz")
        yield port
    finally:
        process.terminate()
        process.wait(30)


def test_slow_clients_leave_the_site_answering(gunicorn):
    port = gunicorn
    # Warm: a worker's first page loads the templates and the scoreboard, seconds on a loaded
    # machine. The kernel hands connections to workers in no set order, so ask often enough
    # that each of the (2 x cores) workers has answered every page.
    for path in ["/healthz", "/", "/methodology/"] * 20:
        get(port, path)
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(SLOW_CLIENTS)]
    half = []
    for _ in range(SLOW_CLIENTS):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow")  # and then nothing
        half.append(sock)
    try:
        time.sleep(0.5)  # the slow connections are accepted and waiting
        timings = []
        for path in ["/healthz", "/", "/methodology/", "/healthz", "/"] * 4:
            status, seconds = get(port, path)
            assert status == 200, path
            timings.append(seconds)
        print(f"\n{2 * SLOW_CLIENTS} slow clients: slowest answer {max(timings):.3f} s")
        assert max(timings) < 1, timings
    finally:
        for sock in idle + half:
            sock.close()


def test_fifty_clients_through_the_proxy_sign_up_while_one_is_limited(gunicorn, settings):
    """BEHIND_PROXY=1 as the README sets it: each client keeps its own signup limit."""
    port = gunicorn
    statuses = [
        post_signup(port, f"reader{i}@example.com", f"198.51.100.{i + 1}") for i in range(50)
    ]
    assert statuses == [302] * 50
    limit = settings.SIGNUP_RATE_PER_CLIENT
    noisy = [
        post_signup(port, f"noisy{i}@example.com", f"10.0.0.{i}, 203.0.113.9")
        for i in range(limit + 3)
    ]
    assert noisy == [302] * limit + [429] * 3
    assert post_signup(port, "late@example.com", "198.51.100.200") == 302
    assert Subscriber.objects.count() == 50 + limit + 1
