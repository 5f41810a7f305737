"""Long-context tiers, cache writes and scheduled prices, checked against hand-computed figures.

Prices are the vendors' list prices as genai-prices 0.2.3 carries them (USD per 1M tokens):
Claude Sonnet 4.5 $3 / $15, cached $0.30, cache write $3.75, past 200K input tokens $6 / $22.50,
cached $0.60; Gemini 2.5 Pro $1.25 / $10, cached $0.125, past 200K $2.50 / $15, cached $0.25.
"""

from datetime import date

import pytest

from comparisons.pricing import (
    LongContextTier,
    Prices,
    ScheduledPrices,
    Workload,
    cache_write_cost,
    cached_request_cost,
    in_long_context,
    monthly_cost,
    prices_at,
    request_cost,
)

SONNET_4_5 = Prices(
    input=3.0,
    output=15.0,
    cached_input=0.3,
    batch_input=1.5,
    batch_output=7.5,
    cache_write=3.75,
    long_context=LongContextTier(200_000, input=6.0, output=22.5, cached_input=0.6),
)
GEMINI_2_5_PRO = Prices(
    input=1.25,
    output=10.0,
    cached_input=0.125,
    long_context=LongContextTier(200_000, input=2.5, output=15.0, cached_input=0.25),
)


@pytest.mark.parametrize(
    ("prices", "input_tokens", "output_tokens", "expected"),
    [
        # At the threshold the list prices still apply: 200000*3/1M + 1000*15/1M = 0.6 + 0.015
        (SONNET_4_5, 200_000, 1_000, 0.615),
        # One token past it, every token is billed at the tier: 200001*6/1M + 1000*22.5/1M
        (SONNET_4_5, 200_001, 1_000, 1.200006 + 0.0225),
        # 300000*6/1M + 4000*22.5/1M = 1.8 + 0.09
        (SONNET_4_5, 300_000, 4_000, 1.89),
        # 150000*1.25/1M + 2000*10/1M = 0.1875 + 0.02
        (GEMINI_2_5_PRO, 150_000, 2_000, 0.2075),
        # 500000*2.5/1M + 8000*15/1M = 1.25 + 0.12
        (GEMINI_2_5_PRO, 500_000, 8_000, 1.37),
    ],
)
def test_a_request_past_the_threshold_is_costed_at_the_tier_price(
    prices, input_tokens, output_tokens, expected
):
    assert request_cost(prices, input_tokens, output_tokens) == pytest.approx(expected)


def test_the_cached_cost_uses_the_tier_of_all_input_tokens():
    # Gemini 2.5 Pro, 400K cached + 1K out: 400000*0.25/1M + 1000*15/1M = 0.1 + 0.015
    assert cached_request_cost(GEMINI_2_5_PRO, 400_000, 1_000) == pytest.approx(0.115)
    # Below the threshold: 100000*0.125/1M + 1000*10/1M = 0.0125 + 0.01
    assert cached_request_cost(GEMINI_2_5_PRO, 100_000, 1_000) == pytest.approx(0.0225)


def test_cache_write_cost():
    # Sonnet 4.5, 50K written + 4K out: 50000*3.75/1M + 4000*15/1M = 0.1875 + 0.06
    assert cache_write_cost(SONNET_4_5, 50_000, 4_000) == pytest.approx(0.2475)
    # Gemini publishes no cache-write price here: unknown, not free.
    assert cache_write_cost(GEMINI_2_5_PRO, 50_000, 4_000) is None


def test_an_unknown_tier_price_is_unknown_past_the_threshold_only():
    prices = Prices(input=1.0, output=2.0, long_context=LongContextTier(128_000, None, None))
    assert request_cost(prices, 128_000, 0) == pytest.approx(0.128)
    assert request_cost(prices, 128_001, 0) is None
    assert in_long_context(prices, 128_001) and not in_long_context(prices, 128_000)
    assert not in_long_context(Prices(1.0, 2.0), 10_000_000)


def test_prices_at_drops_batch_past_the_threshold():
    long = prices_at(SONNET_4_5, 250_000)
    assert (long.input, long.output, long.cached_input) == (6.0, 22.5, 0.6)
    assert (long.batch_input, long.batch_output) == (None, None)
    assert prices_at(SONNET_4_5, 1_000) is SONNET_4_5


def test_monthly_cost_applies_the_tier_and_says_so():
    # Sonnet 4.5, 300K in / 2K out, 100 requests: (300000*6 + 2000*22.5)/1M = 1.845 a request
    cost = monthly_cost(SONNET_4_5, Workload(300_000, 2_000, 100))
    assert cost.total == pytest.approx(184.5)
    assert cost.used_long_context and not cost.used_batch_price
    short = monthly_cost(SONNET_4_5, Workload(100_000, 2_000, 100))
    # (100000*3 + 2000*15)/1M = 0.33 a request
    assert short.total == pytest.approx(33.0) and not short.used_long_context


def test_monthly_cost_with_a_batch_request_past_the_threshold_uses_the_tier():
    cost = monthly_cost(SONNET_4_5, Workload(300_000, 2_000, 10, batch=True))
    assert cost.total == pytest.approx(18.45)  # 10 * 1.845, not the batch rate
    assert not cost.used_batch_price


def test_monthly_cost_reports_the_cache_write_of_the_cached_share():
    # Gemini 2.5 Pro, 400K in, 50% cached, 1K out, 10 requests, past the tier:
    # (200000*2.5 + 200000*0.25 + 1000*15)/1M = 0.5 + 0.05 + 0.015 = 0.565 a request
    cost = monthly_cost(GEMINI_2_5_PRO, Workload(400_000, 1_000, 10, cached_share=0.5))
    assert cost.total == pytest.approx(5.65)
    assert cost.used_cache_price and cost.used_long_context
    assert cost.cache_write is None  # no cache-write price published
    # Sonnet 4.5, 100K in, 40% cached: writing 40000 tokens once costs 40000*3.75/1M = 0.15
    sonnet = monthly_cost(SONNET_4_5, Workload(100_000, 0, 1, cached_share=0.4))
    assert sonnet.cache_write == pytest.approx(0.15)
    # 60000*3/1M + 40000*0.3/1M = 0.18 + 0.012
    assert sonnet.total == pytest.approx(0.192)
    assert monthly_cost(SONNET_4_5, Workload(100_000, 0, 1)).cache_write is None


def test_scheduled_prices_do_not_change_todays_cost():
    prices = Prices(1.0, 2.0, scheduled=ScheduledPrices(date(2027, 1, 1), 0.5, 1.0))
    assert request_cost(prices, 1_000_000, 0) == pytest.approx(1.0)
