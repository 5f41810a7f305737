import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import scoreboard
from comparisons.importer import import_directory
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
    assert rows[0][0] == "gpt-4-1-nano" and rows[-1] == ("muse-spark", "N/A")
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
    assert (len(cold), len(warm)) == (5, 0)
