"""Leaderboard rows from a scoreboard: which models, in which order, with which figures.

Pure over the ``Board`` dataclasses (no ORM), so the view only parses the query string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from comparisons import pricing
from comparisons.presenter import Headline, present
from comparisons.scoreboard import Board, ModelCard
from comparisons.scoring import Lane, Standing

# Columns a reader can sort by, with the direction a click on the header sorts first.
SORTS: dict[str, str] = {
    "rank": "asc",
    "name": "asc",
    "provider": "asc",
    "overall": "desc",
    "coverage": "desc",
    "input_price": "asc",
    "output_price": "asc",
    "cost": "asc",
    "context": "desc",
    "speed": "desc",
    "released": "desc",
}
CATEGORY_SORT_PREFIX = "cat-"


@dataclass(frozen=True, slots=True)
class Row:
    model: ModelCard
    standing: Standing
    headline: Headline
    typical_cost: float | None

    @property
    def rank(self) -> int | None:
        return self.standing.rank

    @property
    def category_scores(self) -> dict[str, float]:
        """Measured category scores only: filters and category sorts never rest on estimates."""
        return self.standing.category_scores


def is_valid_sort(board: Board, key: str) -> bool:
    if key.startswith(CATEGORY_SORT_PREFIX):
        return key.removeprefix(CATEGORY_SORT_PREFIX) in board.categories
    return key in SORTS


def default_direction(key: str) -> str:
    return "desc" if key.startswith(CATEGORY_SORT_PREFIX) else SORTS.get(key, "asc")


def _sort_value(key: str) -> Callable[[Row], Any]:
    if key.startswith(CATEGORY_SORT_PREFIX):
        slug = key.removeprefix(CATEGORY_SORT_PREFIX)
        return lambda row: row.category_scores.get(slug)
    return {
        "rank": lambda row: row.rank,
        "name": lambda row: row.model.name.casefold(),
        "provider": lambda row: row.model.provider.casefold(),
        "overall": lambda row: row.standing.overall,
        "coverage": lambda row: row.standing.coverage,
        "input_price": lambda row: row.model.prices.input,
        "output_price": lambda row: row.model.prices.output,
        "cost": lambda row: row.typical_cost,
        "context": lambda row: row.model.context_window,
        "speed": lambda row: row.model.output_speed,
        "released": lambda row: row.model.release_date,
    }[key]


def build_rows(board: Board, lane: Lane, sort: str = "rank", direction: str = "") -> list[Row]:
    """Every published model as a row: the ranked ones first, then the unranked ones, whatever
    the sort, so no sort can put a model without enough measurements among the ranked. Within
    each group unknown values sort last, whatever the direction.
    """
    direction = direction or default_direction(sort)
    rows = [
        Row(
            model=board.models[slug],
            standing=standing,
            headline=present(board, lane, slug),
            typical_cost=pricing.request_cost(
                board.models[slug].prices,
                pricing.TYPICAL.input_tokens,
                pricing.TYPICAL.output_tokens,
            ),
        )
        for slug, standing in board.standings[lane].items()  # leaderboard order
        if slug in board.models
    ]
    value = _sort_value("overall" if sort == "rank" else sort)
    reverse = direction == "desc" if sort != "rank" else direction == "asc"
    ordered: list[Row] = []
    for group in (
        [row for row in rows if row.rank is not None],
        [row for row in rows if row.rank is None],
    ):
        if sort != "rank":
            group.sort(key=lambda row: row.model.name.casefold())
        known = [row for row in group if value(row) is not None]
        unknown = [row for row in group if value(row) is None]
        known.sort(key=value, reverse=reverse)
        ordered += known + unknown
    return ordered


def sorted_rows(board: Board, lane: Lane, sort: str = "rank", direction: str = "") -> list[Row]:
    """``build_rows``, built once per board, lane and order: a request then only filters (when
    it asks to) and slices out its page, whatever the size of the catalogue."""
    direction = direction or default_direction(sort)
    key = ("leaderboard", lane, sort, direction)
    rows = board.presented.get(key)
    if rows is None:
        rows = board.presented[key] = build_rows(board, lane, sort, direction)
    return rows


@dataclass(frozen=True, slots=True)
class Filters:
    """What a reader narrowed the table to; every field optional."""

    q: str = ""
    provider: str = ""  # provider slug
    category: str = ""  # only models with a score in this category
    open_weights: bool | None = None
    reasoning: bool | None = None
    max_price: float | None = None  # USD per 1M output tokens; unknown prices never pass

    @property
    def active(self) -> bool:
        return any((self.q, self.provider, self.category)) or any(
            v is not None for v in (self.open_weights, self.reasoning, self.max_price)
        )


FILTERED_MEMO = 64  # filtered views of the table a board keeps at most (cleared when full)


def filtered_rows(
    board: Board, lane: Lane, sort: str, direction: str, filters: Filters
) -> list[Row]:
    """``sorted_rows`` narrowed to ``filters``, kept per board for the views readers ask again
    (the pager's next page, the same filter from another reader): a filter walks every model."""
    rows = sorted_rows(board, lane, sort, direction)
    if not filters.active:
        return rows
    memo = board.presented.setdefault("leaderboard-filtered", {})
    key = (lane, sort, direction or default_direction(sort), filters)
    found = memo.get(key)
    if found is None:
        if len(memo) >= FILTERED_MEMO:
            memo.clear()
        found = memo[key] = apply_filters(rows, filters)
    return found


def apply_filters(rows: list[Row], filters: Filters) -> list[Row]:
    if not filters.active:
        return rows
    needle = filters.q.casefold().strip()

    def keep(row: Row) -> bool:
        card = row.model
        if needle and needle not in card.name.casefold() and needle not in card.slug:
            return False
        if filters.provider and card.provider_slug != filters.provider:
            return False
        if filters.category and filters.category not in row.category_scores:
            return False
        if filters.open_weights is not None and card.open_weights != filters.open_weights:
            return False
        if filters.reasoning is not None and card.reasoning != filters.reasoning:
            return False
        return filters.max_price is None or (
            card.prices.output is not None and card.prices.output <= filters.max_price
        )

    return [row for row in rows if keep(row)]
