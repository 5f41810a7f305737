import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import scoreboard
from comparisons.importer import import_directory
from comparisons.models import LanguageModel
from tests.factories import build_catalogue

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed"
QUERY = "?preset=&input_tokens=1000&output_tokens=500&requests=100000&cached=50"


def monthly_costs(html: str) -> list[tuple[str, str]]:
    section = html.split('id="calculator-results"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'href="/models/([^/]+)/".*?<td class="num">([^<]+)</td>', section, re.S)


def test_calculator_answers_from_the_query_string(client):
    assert import_directory(SEED).ok
    rows = monthly_costs(client.get("/pricing/" + QUERY).content.decode())
    # 1,000 in (half cached at $0.10, half at $0.40) + 500 out at $1.60 = $0.00105 x 100,000.
    assert ("gpt-4-1-mini", "$105.00") in rows
    # The cheapest first; a model without a published price (Muse Spark) is never among them.
    assert [slug for slug, _ in rows] == ["gpt-4-1-nano", "gpt-4-1-mini", "gpt-4-1"]
    assert rows[-1] == ("gpt-4-1", "$525.00") and "N/A" not in dict(rows).values()
    assert monthly_costs(client.get("/pricing/" + QUERY).content.decode()) == rows


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("input_tokens=-5&output_tokens=1&requests=1&cached=0", "greater than or equal to 0"),
        ("input_tokens=abc&output_tokens=1&requests=1&cached=0", "Enter a whole number."),
        ("input_tokens=1&output_tokens=1&requests=1000000000000&cached=0", "less than or equal"),
        ("input_tokens=1&output_tokens=1&requests=1&cached=150", "less than or equal to 100"),
        ("input_tokens=1e400&output_tokens=&requests=&cached=", "Enter a whole number."),
    ],
)
def test_invalid_input_rerenders_with_a_message(client, query, message):
    assert import_directory(SEED).ok
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(f"/pricing/?{query}", headers=headers)
        assert response.status_code == 200
        body = response.content.decode()
        assert message in body and 'class="form-errors"' in body
        assert "Monthly cost per model" not in body


def test_fragment_for_htmx(client):
    assert import_directory(SEED).ok
    response = client.get("/pricing/" + QUERY, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="calculator-results"') and "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_price_table_shows_unknown_prices_as_na(client):
    assert import_directory(SEED).ok
    html = client.get("/pricing/").content.decode()
    muse = html.split('href="/models/muse-spark/"')[-1].split("</tr>")[0]
    assert muse.count("N/A") >= 6 and "$0" not in muse


TABLE = "&sort=-context&provider=provider-1&max_output=15&min_context=128000"
PAGE_HEADERS = {
    "page": {},
    "calculator": {"HX-Request": "true", "HX-Target": "calculator-results"},
    "table": {"HX-Request": "true", "HX-Target": "price-table"},
}


@pytest.mark.parametrize("size", [37, 185])
@pytest.mark.parametrize("htmx", [False, True])
def test_pricing_query_count_is_fixed(client, size, htmx):
    build_catalogue(size)
    cache.clear()
    scoreboard._memo.clear()
    headers = {"HX-Request": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/pricing/" + QUERY, headers=headers).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/pricing/" + QUERY, headers=headers).status_code == 200
    # An empty cache: the data version read once from the database, then five queries build
    # the scoreboard; a warm page needs none.
    assert (len(cold), len(warm)) == (6, 0)


@pytest.mark.parametrize("size", [37, 185])
@pytest.mark.parametrize("part", PAGE_HEADERS)
def test_sorted_and_filtered_pricing_query_count_is_fixed(client, size, part):
    build_catalogue(size)
    cache.clear()
    scoreboard._memo.clear()
    url, headers = "/pricing/" + QUERY + TABLE, PAGE_HEADERS[part]
    with CaptureQueriesContext(connection) as cold:
        response = client.get(url, headers=headers)
    assert response.status_code == 200 and 'href="/models/model-' in response.content.decode()
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url, headers=headers).status_code == 200
    # An empty cache: the data version read once from the database, then five queries build
    # the scoreboard; a warm page needs none.
    assert (len(cold), len(warm)) == (6, 0)


# --- the price table: sorting, filtering, and its state in the query string ------------------


def price_table(html: str) -> str:
    return html.split('<div id="price-table"', 1)[1].split("</table>", 1)[0]


def table_slugs(html: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*><a href="/models/([^/]+)/"', price_table(html))


def hidden_inputs(html: str, span_id: str) -> list[tuple[str, str]]:
    span = html.split(f'<span id="{span_id}"', 1)[1].split("</span>", 1)[0]
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', span)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["gpt-4-1-nano", "gpt-4-1-mini", "gpt-4-1", "muse-spark"]),  # output price
        ("?sort=-output", ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano", "muse-spark"]),
        ("?sort=name", ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano", "muse-spark"]),
        ("?sort=-name", ["muse-spark", "gpt-4-1-nano", "gpt-4-1-mini", "gpt-4-1"]),
        # Unknown values last whatever the direction; Muse Spark has no price.
        ("?sort=-cached", ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano", "muse-spark"]),
        ("?sort=value", ["gpt-4-1-nano", "gpt-4-1-mini", "gpt-4-1", "muse-spark"]),
        ("?sort=-medium", ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano", "muse-spark"]),
        ("?sort=context", ["muse-spark", "gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano"]),
        ("?sort=-provider", ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano", "muse-spark"]),
    ],
)
def test_price_table_sorts_from_the_query_string(client, query, expected):
    assert import_directory(SEED).ok
    assert table_slugs(client.get("/pricing/" + query).content.decode()) == expected


@pytest.mark.parametrize(
    "sort", ["rank", "-", "--value", "output;drop", "%00", "x" * 3000, "-cat-coding"]
)
def test_a_bad_sort_is_ignored(client, sort):
    assert import_directory(SEED).ok
    for headers in PAGE_HEADERS.values():
        response = client.get("/pricing/", {"sort": sort}, headers=headers)
        assert response.status_code == 200
        body = response.content.decode()
        assert table_slugs(body) == ["gpt-4-1-nano", "gpt-4-1-mini", "gpt-4-1", "muse-spark"]
        assert "form-errors" not in body
        assert response.get("HX-Push-Url", "/pricing/") == "/pricing/"


def test_sort_headers_link_to_the_whole_page_state(client):
    assert import_directory(SEED).ok
    html = client.get("/pricing/?sort=-value&provider=openai" + QUERY.replace("?", "&")).content
    head = price_table(html.decode()).split("</thead>", 1)[0]
    assert head.count("<a href=") == 11 and head.count('aria-sort="descending"') == 1
    value = re.search(r'<th scope="col" class="num" aria-sort="descending"><a href="([^"]+)"', head)
    assert value.group(1) == (
        "/pricing/?input_tokens=1000&amp;output_tokens=500&amp;requests=100000"
        "&amp;cached=50&amp;provider=openai&amp;sort=value"
    )
    # The default sort drops out of the link; a context sort starts with the largest window.
    assert 'requests=100000&amp;cached=50&amp;provider=openai" ' in head
    assert "provider=openai&amp;sort=-context" in head
    assert 'data-hx-vals="{&quot;sort&quot;: &quot;-context&quot;}"' in head
    assert head.count('data-hx-include="#price-filters"') == 11


def test_filters(client):
    assert import_directory(SEED).ok
    assert table_slugs(client.get("/pricing/?provider=meta").content.decode()) == ["muse-spark"]
    cheap = client.get("/pricing/?max_output=1.6").content.decode()
    assert table_slugs(cheap) == ["gpt-4-1-nano", "gpt-4-1-mini"]  # unknown prices never pass
    assert "Showing 1\u20132 of 2 matching models (4 in all)" in cheap and "Clear filters" in cheap
    wide = client.get("/pricing/?min_context=1000000&sort=name").content.decode()
    assert table_slugs(wide) == ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano"]
    none = client.get("/pricing/?has_batch=on").content.decode()
    assert table_slugs(none) == [] and "No model matches these filters." in none
    assert "Showing 1\u20134 of 4 models." in client.get("/pricing/").content.decode()


def test_has_batch_filter_and_batch_sort(client):
    assert import_directory(SEED).ok
    LanguageModel.objects.filter(slug="gpt-4-1").update(
        batch_input_price=Decimal(1), batch_output_price=Decimal(4)
    )
    LanguageModel.objects.filter(slug="gpt-4-1-nano").update(batch_output_price=Decimal("0.2"))
    cache.clear()
    scoreboard._memo.clear()
    assert table_slugs(client.get("/pricing/?has_batch=on").content.decode()) == [
        "gpt-4-1-nano",
        "gpt-4-1",
    ]
    assert table_slugs(client.get("/pricing/?sort=-batch").content.decode()) == [
        "gpt-4-1",
        "gpt-4-1-nano",
        "gpt-4-1-mini",
        "muse-spark",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("max_output=abc", "Max output price ($/1M): Enter a number. This filter is ignored."),
        ("max_output=-1", "Ensure this value is greater than or equal to 0."),
        ("max_output=1e400", "Ensure this value is less than or equal to 100000."),
        ("max_output=NaN", "Enter a number."),
        ("min_context=5", "Context window: Select a valid choice. 5 is not one of the available"),
        ("provider=nope", "Provider: Select a valid choice. nope is not one of the available"),
    ],
)
def test_bad_filter_input_rerenders_with_a_message(client, query, message):
    assert import_directory(SEED).ok
    for headers in PAGE_HEADERS.values():
        response = client.get(f"/pricing/?{query}&sort=name", headers=headers)
        assert response.status_code == 200
        body = response.content.decode()
        assert message in body and 'class="form-errors"' in body
        # The bad filter is ignored; the table still answers, sorted as asked.
        assert table_slugs(body) == ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano", "muse-spark"]


def test_each_form_carries_the_other_forms_state(client):
    assert import_directory(SEED).ok
    html = client.get("/pricing/" + QUERY + "&batch=on" + TABLE.replace("1", "2")).content.decode()
    calculator = html.split('id="calc-heading"', 1)[1].split("</form>", 1)[0]
    filters = html.split('<form id="price-filters"', 1)[1].split("</form>", 1)[0]
    assert '<span id="calculator-carried">' in calculator
    assert hidden_inputs(html, "calculator-carried") == [
        ("provider", "provider-2"),
        ("max_output", "25"),
        ("min_context", "228000"),
        ("sort", "-context"),
    ]
    assert '<span id="filters-carried">' in filters
    assert hidden_inputs(html, "filters-carried") == [  # an empty preset means "custom"
        ("input_tokens", "1000"),
        ("output_tokens", "500"),
        ("requests", "100000"),
        ("cached", "50"),
        ("batch", "on"),
        ("sort", "-context"),
    ]
    assert "data-hx-swap-oob" not in html  # only fragments refresh the carried state


def test_table_fragment_for_htmx(client):
    assert import_directory(SEED).ok
    response = client.get(
        "/pricing/" + QUERY + "&sort=-value&provider=openai&max_output=&min_context=",
        headers=PAGE_HEADERS["table"],
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="price-table">') and "<html" not in body
    assert "Monthly cost per model" not in body and "HX-Request" in response["Vary"]
    assert table_slugs(body) == ["gpt-4-1", "gpt-4-1-mini", "gpt-4-1-nano"]
    # Both forms' hidden copies of the other's state are refreshed out of band.
    assert '<span id="calculator-carried" data-hx-swap-oob="true">' in body
    assert '<span id="filters-carried" data-hx-swap-oob="true">' in body
    assert ("sort", "-value") in hidden_inputs(body, "calculator-carried")
    # The address bar gets the whole page state, without empty filters.
    assert response["HX-Push-Url"] == (
        "/pricing/?input_tokens=1000&output_tokens=500&requests=100000&cached=50"
        "&provider=openai&sort=-value"
    )


def test_calculator_fragment_refreshes_the_price_table_links(client):
    assert import_directory(SEED).ok
    response = client.get(
        "/pricing/?input_tokens=2000&output_tokens=500&requests=10&cached=0&sort=name",
        headers=PAGE_HEADERS["calculator"],
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="calculator-results"')
    assert '<div id="price-table" data-hx-swap-oob="true">' in body
    assert "input_tokens=2000&amp;output_tokens=500&amp;requests=10&amp;cached=0" in body
    assert hidden_inputs(body, "filters-carried")[0] == ("input_tokens", "2000")
    assert table_slugs(body)[0] == "gpt-4-1"
    assert response["HX-Push-Url"] == (
        "/pricing/?input_tokens=2000&output_tokens=500&requests=10&cached=0&sort=name"
    )
