"""The production configuration, checked the way an operator would: in a fresh process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def run_manage(*args: str, code: str = "", **env: str) -> subprocess.CompletedProcess:
    # Only what an operator would set: no test-run leftovers such as the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    command = ["-c", code] if code else ["manage.py", *args]
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "benchlm.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh process that loads the settings and nothing else: what every
    command does first, without the app registry's second or two of start-up."""
    setup = "import django.conf; s = django.conf.settings; s.INSTALLED_APPS; "
    return run_manage(code=setup + code, **env)


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "benchlm.example",
    "EMAIL_HOST": "smtp.benchlm.example",
}


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_off_refuses_a_missing_or_weak_secret_key():
    missing = run_manage("check", **(PRODUCTION | {"SECRET_KEY": ""}))
    assert missing.returncode != 0 and "SECRET_KEY must be set" in missing.stderr
    weak = run_manage("check", **(PRODUCTION | {"SECRET_KEY": "django-insecure-" + "x" * 60}))
    assert weak.returncode != 0 and "too weak" in weak.stderr


def test_the_beat_schedule_follows_the_digest_settings():
    code = "b = s.CELERY_BEAT_SCHEDULE; print(sorted(b)); print(b['weekly-digest']['schedule'])"
    default = run_settings(code)
    entries = (
        "['daily-alerts', 'instant-alerts', 'leaderboard-snapshot', 'price-sync', 'sweep-unsent', "
        "'weekly-alerts', 'weekly-digest']"
    )
    assert entries in default.stdout, default.stderr
    assert "<crontab: 0 8 * * 1 " in default.stdout, default.stderr
    moved = run_settings(code, DIGEST_DAY_OF_WEEK="5", DIGEST_HOUR="17", DIGEST_MINUTE="30")
    assert "<crontab: 30 17 * * 5 " in moved.stdout, moved.stderr


def test_the_daily_price_sync_follows_its_settings():
    code = (
        "b = s.CELERY_BEAT_SCHEDULE['price-sync']; "
        "print(b['task']); print(b['schedule']); print(s.PRICE_FEED_REFRESH)"
    )
    default = run_settings(code)
    assert "comparisons.tasks.sync_prices" in default.stdout, default.stderr
    assert "<crontab: 30 5 * * * " in default.stdout and "False" in default.stdout
    moved = run_settings(code, PRICE_SYNC_HOUR="2", PRICE_SYNC_MINUTE="15")
    assert "<crontab: 15 2 * * * " in moved.stdout, moved.stderr


def test_debug_off_refuses_a_low_entropy_secret_key():
    for key in ["a" * 50, "abcdefghij" * 5, "0123456789abcdef" * 4, "x" * 49]:
        result = run_settings("", **(PRODUCTION | {"SECRET_KEY": key}))
        assert result.returncode != 0 and "too weak" in result.stderr, key


def test_the_secret_key_rule():
    from benchlm.secretkey import secret_key_problem

    assert secret_key_problem("a" * 50) == "it uses only 1 distinct characters"
    assert secret_key_problem("abcdefghijklmnop" * 4) == "it is too repetitive"
    assert secret_key_problem("django-insecure-" + secrets.token_urlsafe(60))
    # What the usual generators give passes, every time.
    for _ in range(200):
        assert secret_key_problem(secrets.token_urlsafe(50)) is None
        assert secret_key_problem(secrets.token_hex(32)) is None
    from django.core.management.utils import get_random_secret_key

    assert all(secret_key_problem(get_random_secret_key()) is None for _ in range(200))
