"""Admin logins are throttled per username and client address (django-axes)."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def attempt(client, password: str, ip: str = "203.0.113.5"):
    return client.post(LOGIN, {"username": "editor", "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_account_for_that_address(client, settings):
    User.objects.create_superuser("editor", "editor@example.com", "right-password-123")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, "wrong")
        assert response.status_code == 200 and b"Please enter the correct" in response.content
    locked = attempt(client, "wrong")
    assert locked.status_code == 429 and b"Too many failed logins" in locked.content
    # Even the right password is refused while locked...
    assert attempt(client, "right-password-123").status_code == 429
    # ...but the same account from another address is not locked out by the attacker.
    ok = attempt(client, "right-password-123", ip="198.51.100.9")
    assert ok.status_code == 302 and ok["Location"] == "/admin/"


def test_a_successful_login_resets_the_count(client, settings):
    User.objects.create_superuser("editor", "editor@example.com", "right-password-123")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, "right-password-123").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "wrong").status_code == 200


def test_password_spraying_across_usernames_locks_the_address(client, settings):
    """A few guesses against each of many usernames: the address is stopped as a whole."""
    settings.ADMIN_ADDRESS_FAILURES = 12
    User.objects.create_superuser("editor", "editor@example.com", "right-password-123")
    codes = []
    for n in range(8):
        for _ in range(2):  # under the per-username limit every time
            response = client.post(
                LOGIN,
                {"username": f"user{n}", "password": "Winter2026!"},
                REMOTE_ADDR="203.0.113.5",
            )
            codes.append(response.status_code)
    assert codes[:12] == [200] * 12 and set(codes[12:]) == {429}
    # Even a right password from that address waits out the lockout...
    assert attempt(client, "right-password-123").status_code == 429
    # ...and the address alone is stopped: the editor elsewhere signs in.
    assert attempt(client, "right-password-123", ip="198.51.100.9").status_code == 302
