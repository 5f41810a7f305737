"""With PostgreSQL unreachable, pages answer 503 with Retry-After and a page that says so."""

import pytest
from django.db import connection
from django.test import Client

from tests.factories import build_catalogue
from tests.forms import form_post
from tests.newsletter.test_worker import restore_default_categories
from tests.servers import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_down():
    """The real connection, pointed at a port where nothing listens, then put back."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite's in-memory test database stays")
    restore_default_categories()  # an earlier transactional test may have flushed them
    models = build_catalogue(3)
    saved = connection.settings_dict["PORT"], connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", free_port()
    try:
        yield models
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["HOST"] = saved


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/models/model-0/",
        "/digest/",
        "/digest/archive/",
        "/digest/archive/1/",
        "/feed/changes/",
    ],
)
def test_pages_answer_503_with_retry_after(database_down, path):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503, path
    assert response["Retry-After"] == "30"
    assert "briefly unavailable" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/models/model-0/", "/compare/model-0-vs-model-1/"])
def test_an_expired_version_copy_with_the_database_away_is_a_503(database_down, path):
    """The page cache reads the version before any view runs: when Redis no longer holds its
    copy (it lives a minute) the database is asked, and its absence is an outage, not a 500."""
    from django.core.cache import cache

    from comparisons import scoreboard

    cache.delete(scoreboard.VERSION_KEY)
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503, path
    assert response["Retry-After"] == "30" and "no-store" in response["Cache-Control"]
    assert "briefly unavailable" in response.content.decode()


def test_a_signup_is_told_to_try_again(database_down):
    response = form_post(
        Client(raise_request_exception=False),
        "/digest/subscribe/",
        {"email": "reader@example.com"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Try again in a minute" in response.content.decode()
    plain = form_post(
        Client(raise_request_exception=False), "/digest/subscribe/", {"email": "r@example.com"}
    )
    assert plain.status_code == 503 and "try again" in plain.content.decode().lower()


def test_health_still_says_503(database_down):
    assert Client().get("/healthz").status_code == 503
