"""Real processes for the delivery tests: Celery workers against the test database.

The tests get their own Redis (on a free port) so they can stop it without touching the one the
rest of the suite caches in, and workers that read the test database over a real connection.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from benchlm.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent.parent


def require_services() -> None:
    """Skip on a laptop without PostgreSQL or redis-server; CI must have both."""
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (set DATABASE_URL)")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if missing:
        message = "needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Worker:
    """``celery worker`` in its own process group, so SIGKILL takes its pool children too."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        marker = f"worker-{self.starts}@%h"
        self._log = self.log.with_suffix(f".{self.starts}.log")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "benchlm",
                "worker",
                "--loglevel=INFO",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "-n",
                marker,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: " ready." in self._log.read_text(), 60, "the Celery worker")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def output(self) -> str:
        return self._log.read_text()


def worker_env(redis_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "CELERY_"))
    }
    return (
        env
        | {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "0",
            "DEBUG": "1",
            "NEWSLETTER_RETRY_BASE": "1",
            "NEWSLETTER_STALE_AFTER": "2",
            "NEWSLETTER_REQUEUE_AFTER": "2",
        }
        | extra
    )


def point_app_at(broker_url: str | None) -> None:
    """Make this process publish to ``broker_url`` (None: back to in-process eager tasks)."""
    celery_app.conf.task_always_eager = broker_url is None
    celery_app.conf.broker_url = broker_url or "memory://"
    # The production timeouts, so a test of a hung broker measures what production does.
    celery_app.conf.broker_transport_options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    # New pools for the new URL (kombu keeps the old ones, keyed by their own URL).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
