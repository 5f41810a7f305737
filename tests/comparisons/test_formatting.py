"""Display strings, as they appear on the reference pages."""

from decimal import Decimal

import pytest

from comparisons.formatting import (
    format_context,
    format_cost,
    format_latency,
    format_overall,
    format_percent,
    format_price,
    format_price_long,
    format_price_pair,
    format_ratio,
    format_score,
    format_speed,
    format_weight,
    half_up,
)


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (1_047_576, "1M"),  # GPT-4.1 family
        (1_048_576, "1M"),
        (262_144, "262K"),  # Muse Spark
        (128_000, "128K"),
        (131_072, "131K"),
        (200_000, "200K"),
        (10_000_000, "10M"),
        (1_500_000, "1.5M"),
        (8_192, "8K"),
        (1_000, "1K"),
        (999_999, "1M"),  # would round to "1000K"
        (500, "500"),
        (None, "N/A"),
    ],
)
def test_format_context(tokens, expected):
    assert format_context(tokens) == expected


@pytest.mark.parametrize(
    ("price", "short", "long"),
    [
        (0.4, "$0.4", "$0.40"),
        (1.6, "$1.6", "$1.60"),
        (2, "$2", "$2.00"),
        (8.0, "$8", "$8.00"),
        (0.075, "$0.075", "$0.075"),
        (2.19, "$2.19", "$2.19"),
        (0.1 + 0.2, "$0.3", "$0.30"),  # 0.30000000000000004
        (Decimal("0.40"), "$0.4", "$0.40"),  # as stored by the database
        (1500.0, "$1,500", "$1,500.00"),
        (None, "N/A", "N/A"),
    ],
)
def test_format_price_short_and_long(price, short, long):
    assert format_price(price) == short
    assert format_price_long(price) == long


@pytest.mark.parametrize(
    ("input_price", "output_price", "expected"),
    [
        (0.4, 1.6, "$0.4 / $1.6"),  # GPT-4.1 mini
        (2, 8, "$2 / $8"),  # GPT-4.1
        (0.1, 0.4, "$0.1 / $0.4"),  # GPT-4.1 nano
        (None, None, "N/A"),  # Muse Spark
        (2, None, "$2 / N/A"),
        (None, 8, "N/A / $8"),
    ],
)
def test_format_price_pair(input_price, output_price, expected):
    assert format_price_pair(input_price, output_price) == expected


@pytest.mark.parametrize(
    ("cost", "expected"),
    [
        (1234.555, "$1,234.56"),
        (1.0, "$1.00"),
        (12.5, "$12.50"),
        (0.0036, "$0.0036"),  # mini, typical request
        (0.002 + 0.0016, "$0.0036"),  # 0.0036000000000000003
        (0.00045, "$0.00045"),
        (0.00052, "$0.00052"),  # mini, small request
        (0.132, "$0.132"),  # GPT-4.1, large request
        (0.123456, "$0.123"),  # three significant figures
        (0.5, "$0.50"),  # at least cents
        (0.9996, "$1.00"),
        (0.0, "$0.00"),
        (None, "N/A"),
    ],
)
def test_format_cost(cost, expected):
    assert format_cost(cost) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(5.0, "5.0\u00d7"), (4, "4.0\u00d7"), (2.6667, "2.7\u00d7"), (None, "N/A")],
)
def test_format_ratio(ratio, expected):
    assert format_ratio(ratio) == expected


@pytest.mark.parametrize(
    ("score", "expected"),
    [(64.2, "64.2"), (61.7, "61.7"), (64.25, "64.3"), (46.0, "46.0"), (None, "—")],
)
def test_format_score(score, expected):
    assert format_score(score) == expected


@pytest.mark.parametrize(
    ("overall", "expected"),
    [(46.5, "47"), (45.49, "45"), (62.827, "63"), (100.0, "100"), (None, "—")],
)
def test_format_overall(overall, expected):
    assert format_overall(overall) == expected


@pytest.mark.parametrize(
    ("fn", "value", "expected"),
    [
        (format_speed, 80, "80 t/s"),
        (format_speed, 180.6, "181 t/s"),
        (format_speed, None, "N/A"),
        (format_latency, 0.76, "0.76s"),
        (format_latency, 1.02, "1.02s"),
        (format_latency, 1.0, "1.00s"),
        (format_latency, None, "N/A"),
    ],
)
def test_speed_and_latency(fn, value, expected):
    assert fn(value) == expected


@pytest.mark.parametrize(
    ("percent", "digits", "expected"),
    [
        (166.67, 0, "167%"),
        (400.0, 0, "400%"),
        (41.666667, 1, "41.7%"),
        (-126.25, 0, "-126%"),
        (0.5, 0, "1%"),  # half-up, not banker's
        (None, 0, "N/A"),
    ],
)
def test_format_percent(percent, digits, expected):
    assert format_percent(percent, digits) == expected


def test_half_up_rounds_the_decimal_the_reader_sees():
    assert half_up(2.675, 2) == Decimal("2.68")  # the binary float is 2.67499999...
    assert half_up(2.5) == Decimal(3)  # round(2.5) would be 2


@pytest.mark.parametrize(
    ("weight", "text"),
    [(1.5, "1.50"), (2.0, "2"), (0.125, "0.13"), (1.005, "1.01"), (0, "0"), (None, "N/A")],
)
def test_a_weight_has_two_decimals_unless_whole(weight, text):
    assert format_weight(weight) == text
