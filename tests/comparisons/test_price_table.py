"""The /pricing/ table's rows, sorts and filters: pure functions over dataclasses, no database."""

from datetime import UTC, datetime

import pytest

from comparisons.price_table import (
    DEFAULT_SORT,
    SORTS,
    PriceFilters,
    PriceRow,
    Sort,
    apply_filters,
    build_rows,
    next_sort,
    parse_sort,
    sort_rows,
)
from comparisons.pricing import Prices
from comparisons.scoreboard import Board, ModelCard
from comparisons.scoring import Lane, Standing, Thresholds


def card(slug: str, prices: Prices, context: int | None = None, provider: str = "OpenAI"):
    return ModelCard(
        slug=slug,
        name=slug.replace("-", " ").title(),
        provider=provider,
        provider_slug=provider.lower(),
        family="",
        family_slug="",
        release_date=None,
        reasoning=False,
        open_weights=False,
        context_window=context,
        max_output_tokens=None,
        prices=prices,
        output_speed=None,
        ttft=None,
        knowledge_cutoff="",
        input_modalities="text",
        parameters="",
        last_updated=datetime(2026, 4, 8, tzinfo=UTC),
    )


def row(model: ModelCard, value: float | None = None) -> PriceRow:
    return PriceRow(model=model, typical=(None, None, None), overall=None, value=value, pages=None)


MINI = card("mini", Prices(0.4, 1.6, 0.1), 1_047_576)
NANO = card("nano", Prices(0.1, 0.4, 0.025, batch_input=0.05, batch_output=0.2), 1_047_576)
FREE = card("free", Prices(0.0, 0.0, 0.0), 32_000, provider="Acme")
CLAUDE = card("claude", Prices(3.0, 15.0, 0.3, batch_output=7.5), 200_000, provider="Anthropic")
UNPRICED = card("unpriced", Prices(None, None), None, provider="Meta")
ROWS = [row(m) for m in (MINI, NANO, FREE, CLAUDE, UNPRICED)]


def slugs(rows: list[PriceRow]) -> list[str]:
    return [r.model.slug for r in rows]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("output", Sort("output")),
        ("-value", Sort("value", descending=True)),
        ("context", Sort("context")),
        ("", None),
        ("-", None),
        ("--value", None),
        ("value-", None),
        ("rank", None),
        ("OUTPUT", None),
        ("x" * 5000, None),
    ],
)
def test_parse_sort(value, expected):
    assert parse_sort(value) == expected


def test_sort_param_round_trips():
    for key in SORTS:
        for descending in (False, True):
            assert parse_sort(Sort(key, descending).param) == Sort(key, descending)
    assert DEFAULT_SORT.param == "output"


def test_next_sort_flips_the_current_column_and_starts_others_in_their_direction():
    assert next_sort(Sort("output"), "output") == Sort("output", descending=True)
    assert next_sort(Sort("output", descending=True), "output") == Sort("output")
    assert next_sort(Sort("output"), "value") == Sort("value")  # best value first
    assert next_sort(Sort("output"), "context") == Sort("context", descending=True)


def test_sort_by_output_price_with_unknown_last_both_ways():
    assert slugs(sort_rows(ROWS, Sort("output"))) == ["free", "nano", "mini", "claude", "unpriced"]
    assert slugs(sort_rows(ROWS, Sort("output", True))) == [
        "claude",
        "mini",
        "nano",
        "free",
        "unpriced",
    ]


def test_a_free_price_is_known_not_unknown():
    assert slugs(sort_rows(ROWS, Sort("cached", True)))[-2:] == ["free", "unpriced"]


def test_sort_by_batch_price_puts_models_without_one_last():
    assert slugs(sort_rows(ROWS, Sort("batch"))) == ["nano", "claude", "free", "mini", "unpriced"]
    assert slugs(sort_rows(ROWS, Sort("batch", True)))[:2] == ["claude", "nano"]


def test_sort_by_context_with_unknown_last_and_ties_by_name():
    assert slugs(sort_rows(ROWS, Sort("context", True))) == [
        "mini",
        "nano",
        "claude",
        "free",
        "unpriced",
    ]
    assert slugs(sort_rows(ROWS, Sort("context"))) == ["free", "claude", "mini", "nano", "unpriced"]


def test_sort_by_name_and_provider():
    assert slugs(sort_rows(ROWS, Sort("name"))) == ["claude", "free", "mini", "nano", "unpriced"]
    assert slugs(sort_rows(ROWS, Sort("provider"))) == [
        "free",  # Acme
        "claude",  # Anthropic
        "unpriced",  # Meta
        "mini",  # OpenAI, then by name
        "nano",
    ]


def test_sort_by_value_and_typical_costs():
    rows = [row(MINI, 0.0000766), row(NANO, 0.0000321), row(UNPRICED), row(FREE, 0.0)]
    assert slugs(sort_rows(rows, Sort("value"))) == ["free", "nano", "mini", "unpriced"]
    assert slugs(sort_rows(rows, Sort("value", True))) == ["mini", "nano", "free", "unpriced"]
    costs = [
        PriceRow(MINI, (0.00052, 0.0036, 0.0264), 47, None, None),
        PriceRow(CLAUDE, (0.0045, 0.03, 0.21), None, None, None),
        PriceRow(UNPRICED, (None, None, None), 69, None, None),
    ]
    assert slugs(sort_rows(costs, Sort("large", True))) == ["claude", "mini", "unpriced"]
    assert slugs(sort_rows(costs, Sort("small"))) == ["mini", "claude", "unpriced"]


def test_sorting_does_not_change_its_input():
    rows = list(ROWS)
    sort_rows(rows, Sort("name"))
    assert rows == ROWS


def test_filters():
    assert apply_filters(ROWS, PriceFilters()) == ROWS
    assert not PriceFilters().active
    assert slugs(apply_filters(ROWS, PriceFilters(provider="openai"))) == ["mini", "nano"]
    # Unknown prices and windows never pass a limit.
    assert slugs(apply_filters(ROWS, PriceFilters(max_output=1.6))) == ["mini", "nano", "free"]
    assert slugs(apply_filters(ROWS, PriceFilters(max_output=0))) == ["free"]
    assert slugs(apply_filters(ROWS, PriceFilters(min_context=200_000))) == [
        "mini",
        "nano",
        "claude",
    ]
    assert slugs(apply_filters(ROWS, PriceFilters(has_batch=True))) == ["nano", "claude"]
    both = PriceFilters(provider="openai", has_batch=True, max_output=1.0)
    assert both.active and slugs(apply_filters(ROWS, both)) == ["nano"]
    assert PriceFilters(max_output=0).active and PriceFilters(min_context=32_000).active


def standing(slug: str, lane: Lane, overall: float | None, rank: int | None) -> Standing:
    interval = None if overall is None else (overall - 3, overall + 3)
    return Standing(
        model=slug,
        lane=lane,
        category_scores={},
        estimated={},
        overall=overall,
        interval=interval,
        coverage=1.0,
        measured_categories=3,
        live_categories=3,
        counted_benchmarks=5,
        eligible=rank is not None,
        rank=rank,
        rank_range=None if rank is None else (rank, rank),
    )


def test_build_rows_costs_value_and_pages():
    board = Board(
        version=1,
        thresholds=Thresholds(),
        categories={},
        benchmarks={},
        models={"mini": MINI, "unpriced": UNPRICED},
        cells={},
        standings={
            Lane.VERIFIED: {
                "mini": standing("mini", Lane.VERIFIED, 40, None),
                "unpriced": standing("unpriced", Lane.VERIFIED, None, None),
            },
            Lane.PROVISIONAL: {
                "mini": standing("mini", Lane.PROVISIONAL, 48, 1),
                "unpriced": standing("unpriced", Lane.PROVISIONAL, 69, None),
            },
        },
    )
    mini, unpriced = build_rows(board, Lane.PROVISIONAL)
    # 500 x $0.40 + 200 x $1.60 = $0.00052; 5,000 x 0.4 + 1,000 x 1.6 = $0.0036; 50,000 x 0.4
    # + 4,000 x 1.6 = $0.0264. Value: $0.0036 / 48, the reader's (provisional) lane.
    assert mini.typical == pytest.approx((0.00052, 0.0036, 0.0264))
    assert mini.overall == 48 and mini.value == pytest.approx(0.000075)
    assert mini.pages == 1_396  # 1,047,576 / 750, rounded down
    assert unpriced.typical == (None, None, None) and unpriced.value is None
    assert unpriced.overall == 69 and unpriced.pages is None
    # The verified lane reads the verified figures: one lane per page, never a mix.
    mini, unpriced = build_rows(board, Lane.VERIFIED)
    assert mini.overall == 40 and unpriced.overall is None
