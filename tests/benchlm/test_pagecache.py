"""Whole-page caching per data version: hits cost no query, an edit is seen at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.models import LanguageModel
from tests.factories import build_catalogue

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/?sort=name",
    "/models/model-1/",
    "/compare/model-1-vs-model-2/",
    "/pricing/?preset=chat&requests=500",
    "/benchmarks/",
    "/methodology/",
    "/api/v1/compare/model-1-vs-model-2/",
]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True


def fetch(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_a_second_request_is_a_hit_with_the_same_body_and_no_query(client, url):
    build_catalogue(8)
    first, _ = fetch(client, url)
    second, queries = fetch(client, url)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content and queries == 0
    assert second["Content-Type"] == first["Content-Type"]
    # Each response carries its own CSP header (the middleware above the cache adds it).
    assert "Content-Security-Policy" in second and second["X-Content-Type-Options"] == "nosniff"


def test_an_edit_is_seen_on_the_next_request(client):
    models = build_catalogue(6)
    fetch(client, "/models/model-1/")
    model = LanguageModel.objects.get(slug="model-1")
    model.name = "Renamed In The Admin"
    model.save()
    response, _ = fetch(client, "/models/model-1/")
    assert response["X-Page-Cache"] == "miss"
    assert "Renamed In The Admin" in response.content.decode()
    assert models


def test_variants_are_kept_apart(client):
    build_catalogue(6)
    full, _ = fetch(client, "/?sort=name")
    fragment, _ = fetch(client, "/?sort=name", HTTP_HX_REQUEST="true")
    gzipped, _ = fetch(client, "/?sort=name", HTTP_ACCEPT_ENCODING="gzip")
    assert b"<html" in full.content and b"<html" not in fragment.content
    assert fragment["X-Page-Cache"] == "miss" and gzipped["X-Page-Cache"] == "miss"
    assert gzipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in full
    again, _ = fetch(client, "/?sort=name", HTTP_ACCEPT_ENCODING="gzip")
    assert again["X-Page-Cache"] == "hit" and again["Content-Encoding"] == "gzip"


def test_personal_and_failed_responses_are_never_cached(client, admin_client):
    build_catalogue(4)
    assert "X-Page-Cache" not in admin_client.get("/").headers  # a session: no cache
    assert "X-Page-Cache" not in fetch(client, "/models/nope/")[0].headers  # 404
    assert "X-Page-Cache" not in fetch(client, "/digest/")[0].headers  # not a catalogue page
    fetch(client, "/pricing/?requests=abc")
    assert fetch(client, "/pricing/?requests=abc")[0]["X-Page-Cache"] == "hit"  # a 200 form page


@pytest.mark.parametrize("page_cache", [False, True])
def test_two_countries_get_byte_identical_pages(client, settings, page_cache):
    """No per-visitor byte in a public page: a shared cache may give anyone's copy to anyone."""
    settings.PAGE_CACHE = page_cache
    build_catalogue(4)
    for url in PAGES:
        canada, _ = fetch(client, url, REMOTE_ADDR="24.48.0.1")
        eu, _ = fetch(client, url, REMOTE_ADDR="2.16.0.1")
        assert canada.status_code == eu.status_code == 200, url
        assert canada.content == eu.content, url
        assert canada["ETag"] == eu["ETag"], url
        assert b"nonce=" not in canada.content and b"CASL" not in canada.content, url
