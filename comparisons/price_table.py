"""The price table of /pricing/: its rows, the orders a reader can sort it in, and its filters.

Pure over the ``Board`` dataclasses (no ORM), so the view only parses the query string. A sort
is written the way the query string carries it: ``output`` sorts by output price, cheapest
first; a leading minus reverses it (``-value``: worst value first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from comparisons import pricing
from comparisons.presenter import present
from comparisons.scoreboard import Board, ModelCard
from comparisons.scoring import Lane

# Columns a reader can sort by, and whether a first click on the header sorts them descending.
# small / medium / large are the costs of pricing.TYPICAL_REQUESTS; medium is the typical one.
SORTS: dict[str, bool] = {
    "name": False,
    "provider": False,
    "input": False,
    "output": False,
    "cached": False,
    "batch": False,
    "small": False,
    "medium": False,
    "large": False,
    "value": False,  # dollars per point: lower is better, so best value first
    "context": True,  # the largest window first
}


@dataclass(frozen=True, slots=True)
class Sort:
    key: str
    descending: bool = False

    @property
    def param(self) -> str:
        """The sort as the query string carries it: "output", "-value"."""
        return f"-{self.key}" if self.descending else self.key


DEFAULT_SORT = Sort("output")  # cheapest output tokens first, as the table has always read


def parse_sort(value: str) -> Sort | None:
    """``"output"`` or ``"-output"`` as a Sort; None for anything else (the caller ignores it)."""
    key = value.removeprefix("-")
    return Sort(key, value.startswith("-")) if key in SORTS else None


def next_sort(current: Sort, key: str) -> Sort:
    """What a click on ``key``'s header sorts by: the column the other way round when it is the
    current one, else the column in its natural direction."""
    if current.key == key:
        return Sort(key, not current.descending)
    return Sort(key, SORTS[key])


@dataclass(frozen=True, slots=True)
class PriceRow:
    model: ModelCard
    typical: tuple[float | None, ...]  # one cost per pricing.TYPICAL_REQUESTS shape
    overall: float | None  # the reader's lane, as the leaderboard prints it (whole number)
    value: float | None  # dollars per overall point for the typical request
    pages: int | None  # context window in printed pages


def build_rows(board: Board, lane: Lane) -> list[PriceRow]:
    """Every published model, in the board's order; sort and filter them afterwards."""
    rows = []
    for card in board.models.values():
        shown = present(board, lane, card.slug).overall
        overall = None if shown is None else float(shown)
        typical = tuple(
            pricing.request_cost(card.prices, s.input_tokens, s.output_tokens)
            for s in pricing.TYPICAL_REQUESTS
        )
        medium = typical[pricing.TYPICAL_REQUESTS.index(pricing.TYPICAL)]
        rows.append(
            PriceRow(
                model=card,
                typical=typical,
                overall=overall,
                value=pricing.value_per_point(medium, overall),
                pages=pricing.context_pages(card.context_window),
            )
        )
    return rows


def sorted_rows(board: Board, lane: Lane, sort: Sort) -> list[PriceRow]:
    """Every row in ``sort`` order, built once per board, lane and order: a request only filters
    (when it asks to) and slices out its page."""
    key = ("price-table", lane, sort)
    rows = board.presented.get(key)
    if rows is None:
        built = board.presented.get(("price-table", lane))
        if built is None:
            built = board.presented[("price-table", lane)] = build_rows(board, lane)
        rows = board.presented[key] = sort_rows(built, sort)
    return rows


def _sort_value(key: str) -> Callable[[PriceRow], Any]:
    shapes = {shape.name: i for i, shape in enumerate(pricing.TYPICAL_REQUESTS)}
    if key in shapes:
        return lambda row: row.typical[shapes[key]]
    return {
        "name": lambda row: row.model.name.casefold(),
        "provider": lambda row: row.model.provider.casefold(),
        "input": lambda row: row.model.prices.input,
        "output": lambda row: row.model.prices.output,
        "cached": lambda row: row.model.prices.cached_input,
        # The batch column shows input / output; output dominates the bill, as in "output".
        "batch": lambda row: row.model.prices.batch_output,
        "value": lambda row: row.value,
        "context": lambda row: row.model.context_window,
    }[key]


def sort_rows(rows: list[PriceRow], sort: Sort) -> list[PriceRow]:
    """The rows in ``sort`` order; unknown values always last, whatever the direction.

    Equal values keep alphabetical order by model name, in both directions. A price of 0 is a
    known price (free), never an unknown one.
    """
    value = _sort_value(sort.key)
    by_name = sorted(rows, key=lambda row: row.model.name.casefold())
    known = [row for row in by_name if value(row) is not None]
    unknown = [row for row in by_name if value(row) is None]
    known.sort(key=value, reverse=sort.descending)  # a stable sort, reversed or not
    return known + unknown


@dataclass(frozen=True, slots=True)
class PriceFilters:
    """What a reader narrowed the table to. A filter on a figure drops models where it is unknown:
    an unpublished price is never under a limit, an unknown window never large enough."""

    provider: str = ""  # provider slug
    max_output: float | None = None  # USD per 1M output tokens
    min_context: int | None = None  # tokens
    has_batch: bool = False  # a batch input or output price is published

    @property
    def active(self) -> bool:
        return bool(self.provider or self.has_batch) or any(
            v is not None for v in (self.max_output, self.min_context)
        )


def apply_filters(rows: list[PriceRow], filters: PriceFilters) -> list[PriceRow]:
    if not filters.active:
        return rows

    def keep(row: PriceRow) -> bool:
        card, prices = row.model, row.model.prices
        if filters.provider and card.provider_slug != filters.provider:
            return False
        if filters.max_output is not None and (
            prices.output is None or prices.output > filters.max_output
        ):
            return False
        if filters.min_context is not None and (
            card.context_window is None or card.context_window < filters.min_context
        ):
            return False
        return not filters.has_batch or not (
            prices.batch_input is None and prices.batch_output is None
        )

    return [row for row in rows if keep(row)]
