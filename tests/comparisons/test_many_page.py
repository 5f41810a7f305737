"""The "compare many" page, its JSON twin and its place in the sitemap."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import scoreboard, sitemaps
from tests.comparisons.test_compare import seed, text_of  # noqa: F401 (fixture)
from tests.factories import build_catalogue

pytestmark = pytest.mark.django_db

SET = "/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano,muse-spark/"


def test_the_page_shows_the_matrix_in_the_urls_order(client, seed):  # noqa: F811
    response = client.get("/compare/muse-spark,gpt-4-1,gpt-4-1-nano/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Muse Spark vs GPT-4.1 vs GPT-4.1 nano" in page
    assert "Knowledge 50.4 66.3 ★ (best) 50.3" in page
    assert "Input N/A $2 $0.1 ★ (best)" in page
    html = response.content.decode()
    # Both orders are served; the canonical link names the set alphabetically.
    assert (
        'rel="canonical" href="http://127.0.0.1:8000/compare/gpt-4-1,gpt-4-1-nano,muse-spark/"'
        in html
    )
    # Every pair one click away, and each model's controls are links to other set URLs.
    assert 'href="/compare/muse-spark-vs-gpt-4-1/"' in html
    assert 'href="/compare/gpt-4-1,muse-spark,gpt-4-1-nano/"' in html  # GPT-4.1 moved left
    assert 'aria-label="Move GPT-4.1 left"' in html
    # Down to two, "remove" is the pair page itself, a whole page rather than a swap.
    assert '<a class="many-control many-remove" href="/compare/gpt-4-1-vs-gpt-4-1-nano/"' in html
    assert "<script>" not in html and " style=" not in html


@pytest.mark.parametrize(
    ("url", "status", "location"),
    [
        (
            "/compare/GPT-4-1,gpt-4-1-mini,gpt-4-1-nano/",
            301,
            "/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano/",
        ),
        (
            "/compare/gpt-4-1,gpt-4-1,gpt-4-1-mini,,gpt-4-1-nano/",
            301,
            "/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano/",
        ),
        (
            "/compare/gpt-4-1-mini,gpt-4-1/?lane=verified",
            301,
            "/compare/gpt-4-1-mini-vs-gpt-4-1/?lane=verified",
        ),
        ("/compare/gpt-4-1,gpt-4-1/", 301, "/models/gpt-4-1/"),
        ("/compare/gpt-4-1,gpt-4-1-mini,nope/", 404, None),
        ("/compare/,,/", 404, None),
        ("/compare/a,b,c,d,e,f,g/", 404, None),
        ("/compare/" + ",".join(["gpt-4-1"] * 400) + "/", 404, None),
        ("/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano%00/", 404, None),
        ("/api/v1/compare/gpt-4-1,gpt-4-1-mini,nope/", 404, None),
        ("/api/v1/compare/gpt-4-1,gpt-4-1-mini/", 301, "/api/v1/compare/gpt-4-1-vs-gpt-4-1-mini/"),
        (
            "/api/v1/compare/gpt-4-1-nano,GPT-4-1,gpt-4-1-mini/",
            301,
            "/api/v1/compare/gpt-4-1-nano,gpt-4-1,gpt-4-1-mini/",
        ),
    ],
)
def test_bad_or_unclean_sets_redirect_or_are_404(client, seed, url, status, location):  # noqa: F811
    response = client.get(url)
    assert response.status_code == status
    if location:
        assert response["Location"] == location


def test_seven_distinct_models_are_404_and_six_are_served(client):
    models = build_catalogue(7)
    slugs = [m.slug for m in models]
    assert client.get(f"/compare/{','.join(slugs)}/").status_code == 404
    assert client.get(f"/compare/{','.join(slugs[:6])}/").status_code == 200
    html = client.get(f"/compare/{','.join(slugs[:6])}/").content.decode()
    assert 'id="picker-add-input"' not in html and "at most 6 models" in html


def test_without_javascript_the_add_form_redirects_to_the_new_set(client, seed):  # noqa: F811
    base = "/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano/"
    html = client.get(base + "?lane=verified").content.decode()
    assert f'<form id="many-add" class="pickers many-add" action="{base}" method="get"' in html
    assert '<input type="hidden" name="lane" value="verified">' in html
    # The reader typed a name and pressed the button: the text names the model.
    response = client.get(base, {"add": "", "add_q": "muse", "lane": "verified"})
    assert response.status_code == 302
    assert response["Location"] == base.rstrip("/") + ",muse-spark/?lane=verified"
    # A model already in the set, or a full set, leaves the set as it is.
    again = client.get(base, {"add": "gpt-4-1-mini", "add_q": "GPT-4.1 mini"})
    assert again["Location"] == base
    # Nothing matches: the page again, with the message and the text kept.
    missing = client.get(base, {"add": "", "add_q": "zzzz"})
    assert missing.status_code == 400
    page = text_of(missing)
    assert "No model matches “zzzz”." in page
    assert 'value="zzzz"' in missing.content.decode()
    too_long = client.get(base, {"add_q": "x" * 81})
    assert too_long.status_code == 400 and "at most 80 characters" in text_of(too_long)
    assert "Type a model to add." in text_of(client.get(base, {"add": "", "add_q": " "}))


def test_the_pair_page_adds_a_third_model(client, seed):  # noqa: F811
    html = client.get("/compare/gpt-4-1-mini-vs-gpt-4-1/").content.decode()
    assert 'action="/compare/gpt-4-1-mini,gpt-4-1/"' in html
    assert 'id="picker-add-input"' in html and "Add a third model" in html
    response = client.get("/compare/gpt-4-1-mini,gpt-4-1/", {"add": "", "add_q": "nano"})
    assert response["Location"] == "/compare/gpt-4-1-mini,gpt-4-1,gpt-4-1-nano/"
    # With htmx, from the pair page: the browser goes to the new page.
    hx = client.get(
        "/compare/gpt-4-1-mini,gpt-4-1/",
        {"add": "gpt-4-1-nano", "add_q": "GPT-4.1 nano"},
        headers={"HX-Request": "true", "HX-Target": "add-third"},
    )
    assert hx["HX-Redirect"] == "/compare/gpt-4-1-mini,gpt-4-1,gpt-4-1-nano/"
    assert client.get("/compare/gpt-4-1-mini,gpt-4-1/", {"add_q": "zzzz"}).status_code == 404


def test_htmx_add_swaps_the_matrix_and_pushes_the_url(client, seed):  # noqa: F811
    response = client.get(
        "/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano/",
        {"add": "muse-spark", "add_q": "Muse Spark", "lane": "verified"},
        headers={"HX-Request": "true", "HX-Target": "many"},
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == SET + "?lane=verified"
    body = response.content.decode()
    assert body.lstrip().startswith("<title>GPT-4.1, GPT-4.1 mini, GPT-4.1 nano, Muse Spark")
    assert '<div id="many"' in body and "<html" not in body
    # The lane is kept in every link of the fragment.
    assert 'href="/compare/gpt-4-1-vs-gpt-4-1-mini/?lane=verified"' in body
    assert 'href="/compare/gpt-4-1-mini,gpt-4-1,gpt-4-1-nano,muse-spark/?lane=verified"' in body
    assert "verified ranking lane" in text_of(response)
    full = client.get(SET)
    assert "<html" in full.content.decode() and "HX-Request" in full["Vary"]


def test_json_twin_matches_the_page(client, seed):  # noqa: F811
    data = json.loads(client.get("/api/v1" + SET + "?lane=verified").content)
    assert data["lane"] == "verified"
    assert [m["slug"] for m in data["models"]] == [
        "gpt-4-1",
        "gpt-4-1-mini",
        "gpt-4-1-nano",
        "muse-spark",
    ]
    rows = {row["key"]: row for row in data["rows"]}
    assert rows["price:input"]["values"] == [2, 0.4, 0.1, None]
    assert rows["price:input"]["best"] == ["gpt-4-1-nano"]
    assert rows["context"]["values"] == [1000, 1000, 1000, 262]
    assert rows["context"]["best"] == ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano"]
    assert len(data["pairs"]) == 6
    assert data["pairs"][0]["url"].endswith("/compare/gpt-4-1-vs-gpt-4-1-mini/?lane=verified")
    assert data["canonical_url"].endswith(SET)
    page = text_of(client.get(SET + "?lane=verified"))
    overall = " ".join(str(m["overall"]) for m in data["models"])
    assert f"Overall score {overall.split()[0]}" in page


def test_sitemap_lists_only_the_curated_sets(client, seed, settings):  # noqa: F811
    sitemaps._pairs_memo.clear()  # rendered files are kept per data version, not per setting
    settings.CURATED_MODEL_SETS = [
        "gpt-4-1-nano,gpt-4-1,gpt-4-1-mini",  # listed in canonical order
        "gpt-4-1,gpt-4-1-mini,gpt-4-1-nano",  # the same set: once
        "gpt-4-1,gpt-4-1-mini,not-published",
        "gpt-4-1,gpt-4-1-mini",  # a pair is not a set
    ]
    assert "sitemap-model-sets.xml" in client.get("/sitemap.xml").content.decode()
    xml = client.get("/sitemap-model-sets.xml").content.decode()
    assert xml.count("<loc>") == 1
    assert "<loc>http://testserver/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano/</loc>" in xml
    assert "," not in client.get("/sitemap-comparisons.xml").content.decode().split("<loc>")[1]


@pytest.mark.parametrize("size", [37, 185])
@pytest.mark.parametrize("htmx", [False, True])
def test_query_count_is_fixed_whatever_the_catalogue(client, size, htmx):
    models = build_catalogue(size)
    url = f"/compare/{models[1].slug},{models[2].slug},{models[3].slug},{models[5].slug}/"
    params = {"add": models[8].slug, "add_q": models[8].name} if htmx else {}
    headers = {"HX-Request": "true", "HX-Target": "many"} if htmx else {}
    cache.clear()
    scoreboard._memo.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url, params, headers=headers).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url, params, headers=headers).status_code == 200
    # The data version read once, five queries to build the scoreboard, one for the models'
    # dates and sources; warm, none at all.
    assert (len(cold), len(warm)) == (7, 0)
    assert client.get("/api/v1" + url).status_code == 200


def test_page_cache_answers_with_an_etag(client, seed, settings):  # noqa: F811
    settings.PAGE_CACHE = True
    first = client.get(SET)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(SET, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_the_compare_landing_links_the_curated_sets(client, seed, settings):  # noqa: F811
    settings.CURATED_MODEL_SETS = ["gpt-4-1-nano,gpt-4-1,gpt-4-1-mini", "gpt-4-1,nope,muse-spark"]
    html = client.get("/compare/?lane=verified").content.decode()
    assert '<a href="/compare/gpt-4-1,gpt-4-1-mini,gpt-4-1-nano/?lane=verified">' in html
    assert "nope" not in html
