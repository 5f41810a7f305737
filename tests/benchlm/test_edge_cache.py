"""Cacheable at the edge: validators on every catalogue page, 304 without rendering."""

import re

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from comparisons.models import LanguageModel
from tests.factories import build_catalogue

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# One URL of every page type the edge may cache (benchlm.pagecache.CACHEABLE), with headers.
PAGE_TYPES = {
    "leaderboard": ("/", {}),
    "leaderboard-fragment": ("/?sort=name", HTMX),
    "model_detail": ("/models/model-1/", {}),
    "compare": ("/compare/model-1-vs-model-2/", {}),
    "compare_select": ("/compare/?a=model-1&b=model-3", HTMX),
    "benchmark_list": ("/benchmarks/", {}),
    "benchmark_detail": ("/benchmarks/bench-1/", {}),
    "category_detail": ("/categories/coding/", {}),
    "pricing": ("/pricing/?preset=chat&requests=500", {}),
    "methodology": ("/methodology/", {}),
    "api_models": ("/api/v1/models/", {}),
    "api_model": ("/api/v1/models/model-1/", {}),
    "api_compare": ("/api/v1/compare/model-1-vs-model-2/", {}),
    "api_scores_csv": ("/api/v1/scores.csv", {}),
}


@pytest.fixture(params=[False, True], ids=["page-cache-off", "page-cache-on"])
def page_cache(request, settings):
    settings.PAGE_CACHE = request.param
    return request.param


class Renders:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, **kwargs) -> None:
        self.count += 1


def conditional(client, url, headers, **validators):
    renders = Renders()
    template_rendered.connect(renders)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers, **validators)
    finally:
        template_rendered.disconnect(renders)
    return response, len(queries), renders.count


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_every_page_type_answers_304_to_its_etag_without_rendering(client, page_cache, name):
    build_catalogue(6)
    url, headers = PAGE_TYPES[name]
    first = client.get(url, **headers)
    assert first.status_code == 200
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)  # strong
    cache_control = {part.strip() for part in first["Cache-Control"].split(",")}
    assert {"public", "s-maxage=60", "stale-while-revalidate=300"} <= cache_control
    assert "Last-Modified" in first

    response, queries, renders = conditional(client, url, headers, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert (queries, renders) == (0, 0)  # the version from Redis; no view ran
    assert response["ETag"] == etag and response["Cache-Control"] == first["Cache-Control"]
    assert response.get("Vary") == first.get("Vary")

    since = first["Last-Modified"]
    response, queries, renders = conditional(client, url, headers, HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 304 and (queries, renders) == (0, 0)

    stale = conditional(client, url, headers, HTTP_IF_NONE_MATCH='"0123"')[0]
    assert stale.status_code == 200 and stale["ETag"] == etag


def test_an_edit_changes_the_etag_and_last_modified(client, django_capture_on_commit_callbacks):
    build_catalogue(6)
    first = client.get("/models/model-1/")
    model = LanguageModel.objects.get(slug="model-1")
    model.name = "Renamed At The Source"
    with django_capture_on_commit_callbacks(execute=True):
        model.save()
    response = client.get("/models/model-1/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and b"Renamed At The Source" in response.content
    assert response["ETag"] != first["ETag"]
    old = client.get("/models/model-1/", HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert old.status_code == 200


def test_variants_have_their_own_etags(client):
    build_catalogue(4)
    plain = client.get("/?sort=name")
    gzipped = client.get("/?sort=name", HTTP_ACCEPT_ENCODING="gzip")
    fragment = client.get("/?sort=name", **HTMX)
    assert len({plain["ETag"], gzipped["ETag"], fragment["ETag"]}) == 3
    # A cache holding the gzipped bytes cannot revalidate them as the plain ones.
    assert client.get("/?sort=name", HTTP_IF_NONE_MATCH=gzipped["ETag"]).status_code == 200


def test_personal_and_failed_answers_carry_no_shared_validators(client, admin_client):
    build_catalogue(4)
    assert "ETag" not in admin_client.get("/").headers  # an editor's session
    assert "ETag" not in client.get("/models/nope/").headers  # a 404
    consent = client.get("/digest/consent/")
    assert "public" not in consent["Cache-Control"] and "ETag" not in consent.headers
