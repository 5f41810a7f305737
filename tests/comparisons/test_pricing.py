"""Cost figures, checked by hand against the prices on the reference pages (USD per 1M tokens)."""

import pytest

from comparisons.formatting import format_ratio
from comparisons.pricing import (
    LARGE,
    MEDIUM,
    SMALL,
    TYPICAL,
    TYPICAL_REQUESTS,
    PriceRatio,
    Prices,
    RequestShape,
    cache_saving_percent,
    cached_request_cost,
    context_pages,
    describe_ratio,
    describe_speed,
    output_cost_ratio,
    price_ratio,
    request_cost,
    speed_difference_percent,
    value_per_point,
)

GPT_4_1 = Prices(input=2.0, output=8.0, cached_input=0.5)
MINI = Prices(input=0.4, output=1.6, cached_input=0.1)
NANO = Prices(input=0.1, output=0.4, cached_input=0.025)
MUSE = Prices(input=None, output=None)  # no published price


def test_typical_requests():
    assert [(r.name, r.input_tokens, r.output_tokens) for r in TYPICAL_REQUESTS] == [
        ("small", 500, 200),
        ("medium", 5_000, 1_000),
        ("large", 50_000, 4_000),
    ]
    assert TYPICAL is MEDIUM


@pytest.mark.parametrize(
    ("prices", "shape", "expected"),
    [
        (MINI, MEDIUM, 0.0036),  # 5000*0.4/1M + 1000*1.6/1M = 0.002 + 0.0016
        (MINI, SMALL, 0.00052),  # 500*0.4/1M + 200*1.6/1M = 0.0002 + 0.00032
        (MINI, LARGE, 0.0264),  # 50000*0.4/1M + 4000*1.6/1M = 0.02 + 0.0064
        (GPT_4_1, SMALL, 0.0026),  # 500*2/1M + 200*8/1M = 0.001 + 0.0016
        (GPT_4_1, MEDIUM, 0.018),  # 5000*2/1M + 1000*8/1M = 0.01 + 0.008
        (GPT_4_1, LARGE, 0.132),  # 50000*2/1M + 4000*8/1M = 0.1 + 0.032
        (NANO, MEDIUM, 0.0009),  # 5000*0.1/1M + 1000*0.4/1M = 0.0005 + 0.0004
    ],
)
def test_request_cost(prices, shape, expected):
    assert request_cost(prices, shape.input_tokens, shape.output_tokens) == pytest.approx(expected)


@pytest.mark.parametrize(
    "prices",
    [MUSE, Prices(input=0.4, output=None), Prices(input=None, output=1.6)],
)
def test_unknown_price_gives_unknown_cost_never_zero(prices):
    assert request_cost(prices, 5_000, 1_000) is None
    assert cached_request_cost(prices, 5_000, 1_000) is None
    assert cache_saving_percent(prices) is None


def test_free_request_and_negative_tokens():
    assert request_cost(MINI, 0, 0) == 0.0
    with pytest.raises(ValueError):
        request_cost(MINI, -1, 0)
    with pytest.raises(ValueError):
        cached_request_cost(MINI, 0, -1)


def test_cached_request_cost():
    # 5000*0.1/1M + 1000*1.6/1M = 0.0005 + 0.0016
    assert cached_request_cost(MINI, 5_000, 1_000) == pytest.approx(0.0021)
    # no cached price published: unknown, even though input and output are known
    assert cached_request_cost(Prices(0.4, 1.6), 5_000, 1_000) is None


@pytest.mark.parametrize(
    ("prices", "shape", "expected"),
    [
        (MINI, MEDIUM, 41.666667),  # (1 - 0.0021 / 0.0036) * 100
        (GPT_4_1, MEDIUM, 41.666667),  # (1 - (0.0025 + 0.008) / 0.018) * 100
        (MINI, SMALL, 28.846154),  # (1 - (0.00005 + 0.00032) / 0.00052) * 100
        # cached input free: the whole input part goes, 0.002 of 0.0036 -> (1 - 0.0016/0.0036)*100
        (Prices(0.4, 1.6, cached_input=0.0), MEDIUM, 55.555556),
        (Prices(0.4, 1.6, cached_input=0.4), MEDIUM, 0.0),  # no discount
    ],
)
def test_cache_saving_percent(prices, shape, expected):
    assert cache_saving_percent(prices, shape) == pytest.approx(expected, abs=1e-6)


def test_cache_saving_needs_a_cached_price_and_a_nonzero_cost():
    assert cache_saving_percent(Prices(0.4, 1.6)) is None
    assert cache_saving_percent(Prices(0.0, 0.0, cached_input=0.0)) is None
    assert cache_saving_percent(MINI, RequestShape("empty", 0, 0)) is None


def test_price_ratio_both_directions():
    # GPT-4.1 vs mini, typical request: 0.018 / 0.0036 = 5.0
    assert price_ratio(0.018, 0.0036) == PriceRatio(pytest.approx(5.0), pytest.approx(400.0), "a")
    assert price_ratio(0.0036, 0.018) == PriceRatio(pytest.approx(5.0), pytest.approx(400.0), "b")
    assert price_ratio(0.0036, 0.0036) == PriceRatio(1.0, 0.0, None)


@pytest.mark.parametrize(
    ("a_cost", "b_cost"), [(None, 0.0036), (0.0036, None), (None, None), (0.0, 0.0036), (0.01, 0.0)]
)
def test_price_ratio_unknown_or_zero(a_cost, b_cost):
    assert price_ratio(a_cost, b_cost) is None


@pytest.mark.parametrize(
    ("a_cost", "b_cost", "expected"),
    [
        # 0.008 / 0.003 = 2.667 -> 2.7; (2.667 - 1) * 100 = 166.7 -> "167%"
        (0.003, 0.008, "B costs 2.7\N{MULTIPLICATION SIGN} as much per request (167% more)"),
        (0.008, 0.003, "A costs 2.7\N{MULTIPLICATION SIGN} as much per request (167% more)"),
        (0.018, 0.0036, "A costs 5.0\N{MULTIPLICATION SIGN} as much per request (400% more)"),
        # 1.04 would read "1.0 times as much (4% more)": two decimals instead
        (1.0, 1.04, "B costs 1.04\N{MULTIPLICATION SIGN} as much per request (4% more)"),
        (0.5, 0.5, "A and B cost the same per request"),
    ],
)
def test_describe_ratio(a_cost, b_cost, expected):
    text = describe_ratio("A", "B", price_ratio(a_cost, b_cost))
    assert text == expected
    assert "cheaper" not in text


def test_output_cost_ratio_is_a_over_b():
    assert output_cost_ratio(GPT_4_1, MINI) == pytest.approx(5.0)  # 8 / 1.6
    assert output_cost_ratio(MINI, NANO) == pytest.approx(4.0)  # 1.6 / 0.4
    assert output_cost_ratio(NANO, MINI) == pytest.approx(0.25)  # 0.4 / 1.6
    assert format_ratio(output_cost_ratio(GPT_4_1, MINI)) == "5.0\N{MULTIPLICATION SIGN}"
    assert format_ratio(output_cost_ratio(MINI, NANO)) == "4.0\N{MULTIPLICATION SIGN}"


@pytest.mark.parametrize(("a", "b"), [(MINI, MUSE), (MUSE, MINI), (MINI, Prices(1.0, 0.0))])
def test_output_cost_ratio_unknown(a, b):
    assert output_cost_ratio(a, b) is None
    assert format_ratio(output_cost_ratio(a, b)) == "N/A"


@pytest.mark.parametrize(
    ("cost", "overall", "expected"),
    [
        (0.018, 60.0, 0.0003),  # 0.018 / 60
        (0.0036, 45.0, 0.00008),  # 0.0036 / 45
        (0.0, 50.0, 0.0),  # a free model is perfect value, not unknown
        (None, 60.0, None),  # no price
        (0.018, None, None),  # no overall score
        (0.018, 0.0, None),
    ],
)
def test_value_per_point(cost, overall, expected):
    result = value_per_point(cost, overall)
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("tokens", "pages"),
    [
        (1_047_576, 1396),  # 1047576 / 750 = 1396.77
        (262_144, 349),  # 349.53
        (128_000, 170),  # 170.67
        (750, 1),
        (749, 0),
        (None, None),
    ],
)
def test_context_pages(tokens, pages):
    assert context_pages(tokens) == pages


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (108.0, 80.0, 35.0),  # GPT-4.1 vs mini: (108/80 - 1) * 100
        (80.0, 181.0, -126.25),  # mini vs nano: nano is (181/80 - 1) * 100 faster
        (181.0, 80.0, 126.25),
        (80.0, 80.0, 0.0),
        (None, 80.0, None),
        (80.0, None, None),
        (0.0, 80.0, None),
        (80.0, 0.0, None),
    ],
)
def test_speed_difference_percent_is_signed_from_a(a, b, expected):
    result = speed_difference_percent(a, b)
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # 181 / 80 - 1 = 126.25%: the faster model's lead, never the slower one's 56% shortfall.
        (80, 181, "Nano generates output 126% faster than Mini"),
        (181, 80, "Mini generates output 126% faster than Nano"),
        (108, 80, "Mini generates output 35% faster than Nano"),  # 108 / 80 - 1 = 35%
        (100, 100.4, "Mini and Nano generate output at about the same speed"),
        (None, 80, ""),
        (80, 0, ""),
    ],
)
def test_describe_speed(a, b, expected):
    assert describe_speed("Mini", "Nano", a, b) == expected
