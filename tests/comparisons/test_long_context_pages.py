"""Long-context tiers and cache writes on the pages and in the API, with the demo catalogue
synced from the bundled genai-prices snapshot (Claude Sonnet 4.5 and Gemini 2.5 Pro carry
200K tiers there: $6 / $22.50 and $2.50 / $15 per 1M past 200K input tokens)."""

import re

import pytest

from comparisons import price_sync
from comparisons.importer import import_directory
from tests.comparisons.test_importer import DEMO

pytestmark = pytest.mark.django_db

PAIR = "claude-sonnet-4-5-vs-gemini-2-5-pro"
LONG = "input_tokens=300000&output_tokens=2000&requests=100&cached=0"


@pytest.fixture
def synced():
    assert import_directory(DEMO).ok
    price_sync.sync()


def pair_costs(client, query: str) -> tuple[str, str]:
    """The pair calculator's two figures with their notes (Sonnet 4.5 first, Gemini 2.5 Pro).

    /pricing/'s calculator lists only the cheapest models for a workload; every model's month,
    with the same figures and notes, is on its comparison pages."""
    html = client.get(f"/compare/{PAIR}/?{query}").content.decode()
    line = html.split('<p class="pair-costs">', 1)[1].split("</p>", 1)[0]
    a = re.search(r'<span class="fig-a">(.*?)</span>', line, re.S).group(1)
    b = re.search(r'<span class="fig-b">(.*?)</span>', line, re.S).group(1)
    return a, b


def test_the_calculator_bills_a_long_request_at_the_tier_and_says_so(client, synced):
    sonnet, gemini = pair_costs(client, LONG)
    # Sonnet 4.5: (300000*6 + 2000*22.5)/1M = $1.845 a request, x 100
    assert "$184.50" in sonnet and "long-context price (over 200K input tokens)" in sonnet
    # Gemini 2.5 Pro: (300000*2.5 + 2000*15)/1M = $0.78 a request, x 100
    assert "$78.00" in gemini
    short, _ = pair_costs(client, "input_tokens=200000&output_tokens=2000&requests=100&cached=0")
    # At exactly its 200K threshold, list prices: (200000*3 + 2000*15)/1M = $0.63, x 100
    assert "$63.00" in short and "long-context price" not in short
    # /pricing/'s calculator lists only the cheapest months at this workload, neither of these.
    assert "Monthly cost per model" in client.get(f"/pricing/?{LONG}").content.decode()


def test_the_calculator_shows_the_cache_write_where_caching_is_chosen(client, synced):
    sonnet, _ = pair_costs(client, "input_tokens=100000&output_tokens=0&requests=1&cached=40")
    # Sonnet 4.5 writes the cached 40% (40,000 tokens) at $3.75 per 1M: 40000*3.75/1M = $0.15
    assert "writing the cached share once: $0.15" in sonnet


def test_the_comparison_page_applies_the_tier(client, synced):
    html = client.get(f"/compare/{PAIR}/?{LONG}").content.decode()
    assert "$184.50" in html and "$78.00" in html
    assert "long-context price (over 200K input tokens)" in html
    assert (
        "Past 200K input tokens: $6.00 in / $22.50 out per 1M (cached $0.60), "
        "for the whole request" in html
    )
    assert "Past 200K input tokens: $2.50 in / $15.00 out per 1M (cached $0.25)" in html
    # Writing the medium request's 5,000 tokens: 5000*3.75/1M + 1000*15/1M = $0.0338 (rounded)
    assert "Writing the cache" in html and "$0.0338" in html


def test_the_api_costs_a_request_at_its_tier(client, synced):
    data = client.get(f"/api/v1/compare/{PAIR}/?input_tokens=300000&output_tokens=2000").json()
    request = data["request"]
    # $1.845 is published as the page prints it: $1.85 (cents from $1 up, half-up).
    assert request["a_cost"] == 1.85 and request["a_tier"] == "long_context"
    assert request["b_cost"] == pytest.approx(0.78) and request["b_tier"] == "long_context"
    assert data["a"]["long_context"] == {
        "threshold_tokens": 200000,
        "input_price": 6.0,
        "output_price": 22.5,
        "cached_input_price": 0.6,
    }
    assert data["a"]["cache_write_price"] == 3.75 and data["b"]["cache_write_price"] is None
    assert data["cache_write_costs"]["b"] is None
    below = client.get(f"/api/v1/compare/{PAIR}/?input_tokens=199999&output_tokens=2000").json()
    # (199999*3 + 2000*15)/1M = $0.629997, published as printed: three significant figures
    assert below["request"]["a_cost"] == 0.63
    assert below["request"]["a_tier"] == "standard"
    assert all(r["a_tier"] == "standard" for r in data["typical_requests"])
    model = client.get("/api/v1/models/gpt-4-1/").json()
    assert model["long_context"] is None and model["scheduled_price"] is None
    assert model["price_confirmed_at"] is not None


@pytest.mark.parametrize("query", ["input_tokens=-1", "input_tokens=abc", "output_tokens=1e9"])
def test_the_api_refuses_bad_token_counts(client, synced, query):
    response = client.get(f"/api/v1/compare/{PAIR}/?{query}")
    assert response.status_code == 400 and response.json()["error"] == "bad_request"


def test_the_model_page_lists_cache_write_and_tier(client, synced):
    html = client.get("/models/claude-sonnet-4-5/").content.decode()
    assert "Cache write" in html and "$3.75 per 1M tokens written" in html
    assert "Past 200K input tokens: $6.00 in / $22.50 out per 1M" in html
    # The sync's price changes show in the model's price history.
    assert "Long context input price" in html or "long context input price" in html
