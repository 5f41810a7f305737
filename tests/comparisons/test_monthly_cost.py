import pytest

from comparisons.pricing import PRESETS, MonthlyCost, Prices, Workload, monthly_cost

GPT41_MINI = Prices(input=0.4, output=1.6, cached_input=0.1)


def test_plain_month():
    # 1,000 in x $0.4 + 500 out x $1.6 = $0.0012 per request; x 100,000 requests = $120.
    cost = monthly_cost(GPT41_MINI, Workload(1_000, 500, 100_000))
    assert cost == MonthlyCost(pytest.approx(120.0), used_cache_price=False, used_batch_price=False)


def test_cached_share_bills_cached_tokens_at_the_cached_price():
    # Half of 1,000 input tokens cached: 500 x 0.4 + 500 x 0.1 + 500 x 1.6 = 1,050 per 1M
    # -> $0.00105 per request; x 100,000 = $105.
    cost = monthly_cost(GPT41_MINI, Workload(1_000, 500, 100_000, cached_share=0.5))
    assert cost.total == pytest.approx(105.0) and cost.used_cache_price


def test_zero_cached_price_makes_cached_input_free():
    prices = Prices(input=1.0, output=2.0, cached_input=0.0)
    # All 1,000 input tokens cached at $0: only 100 out x $2 = $0.0002 per request.
    cost = monthly_cost(prices, Workload(1_000, 100, 10, cached_share=1.0))
    assert cost.total == pytest.approx(0.002)


def test_unknown_cached_price_falls_back_to_the_input_price_and_says_so():
    prices = Prices(input=1.0, output=2.0)
    cost = monthly_cost(prices, Workload(1_000, 100, 10, cached_share=1.0))
    # 1,000 x $1 + 100 x $2 = $0.0012 per request, x 10.
    assert cost.total == pytest.approx(0.012) and not cost.used_cache_price


def test_batch_prices_apply_only_where_known():
    prices = Prices(input=2.0, output=8.0, batch_input=1.0, batch_output=4.0)
    # 1,000 x $1 + 1,000 x $4 = $0.005 per request.
    assert monthly_cost(prices, Workload(1_000, 1_000, 1, batch=True)).total == pytest.approx(0.005)
    no_batch = monthly_cost(GPT41_MINI, Workload(1_000, 500, 1, batch=True))
    assert no_batch.total == pytest.approx(0.0012) and not no_batch.used_batch_price


def test_unknown_prices_are_none_never_zero():
    assert monthly_cost(Prices(input=None, output=None), Workload(1_000, 500, 10)) is None
    assert monthly_cost(Prices(input=1.0, output=None), Workload(1_000, 500, 10)) is None


def test_pure_input_needs_no_output_price():
    # 2,000 x $1 = $0.002 per request, x 1,000 = $2.
    cost = monthly_cost(Prices(input=1.0, output=None), Workload(2_000, 0, 1_000))
    assert cost.total == pytest.approx(2.0)


def test_presets_keep_their_ratios():
    ratios = {slug: p.input_tokens / max(p.output_tokens, 1) for slug, p in PRESETS.items()}
    assert ratios["chat"] == 2 and ratios["code-review"] == 3
    assert ratios["documents-10"] == 10 and ratios["documents-50"] == 50
    assert PRESETS["pure-input"].output_tokens == 0
