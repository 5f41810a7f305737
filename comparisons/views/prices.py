"""/pricing/: the price table, the monthly cost calculator and the intelligence-vs-price chart."""

import heapq
import json
import re
import threading
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django_htmx.http import push_url

from comparisons import asof, charts, price_table, pricing
from comparisons.presenter import lane_query, present, reader_lane
from comparisons.scoreboard import Board, ModelCard, get_board
from comparisons.scoring import Lane
from comparisons.views.paged import HTMX_VARY, canonical_query, page_of, rendered_row
from comparisons.widgets import LongSelect, provider_choices

MAX_TOKENS = 10_000_000
MAX_REQUESTS = 1_000_000_000
HTML_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")  # a valid floating-point number
CONTEXT_CHOICES = [
    ("", "Any size"),
    ("32000", "32K or more"),
    ("128000", "128K or more"),
    ("200000", "200K or more"),
    ("1000000", "1M or more"),
]
# The price table's columns (key, header, class); the typical request sizes go after "batch".
COLUMNS = [
    ("name", "Model", "sticky"),
    ("provider", "Provider", ""),
    ("input", "Input", "num"),
    ("output", "Output", "num"),
    ("cached", "Cached input", "num"),
    ("batch", "Batch in / out", "num"),
    ("value", "$ per point", "num"),
    ("context", "Context", "num"),
]


class NumberInput(forms.NumberInput):
    """A number box that leaves out a value it cannot hold ("abc", "NaN"): browsers blank such a
    value anyway, and it is invalid HTML. The error message still quotes the reader's input."""

    def format_value(self, value):
        value = super().format_value(value)
        return value if value is None or HTML_NUMBER.fullmatch(value) else None


class PresetSelect(forms.Select):
    """The preset menu; each option carries its token counts, so the page's script can fill the
    token fields the moment a preset is chosen (static/js/calculator.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if preset := pricing.PRESETS.get(str(value)):
            option["attrs"]["data-input-tokens"] = preset.input_tokens
            option["attrs"]["data-output-tokens"] = preset.output_tokens
        return option


class CalculatorForm(forms.Form):
    """The calculator's state, all in the query string so a link reproduces the answer.

    The token fields always hold the figures the costs are computed from: a preset fills them
    (``resolve_preset``), and typed tokens that differ from the preset turn it into "Custom".
    """

    preset = forms.ChoiceField(
        choices=[("", "Custom")] + [(p.slug, p.name) for p in pricing.PRESETS.values()],
        required=False,
        widget=PresetSelect,
        label="Workload preset",
    )
    # The preset the token fields were last filled from: tells a newly chosen preset (it fills
    # the fields) from a kept one the reader has typed over (the typed tokens win).
    applied = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    input_tokens = forms.IntegerField(
        min_value=0,
        max_value=MAX_TOKENS,
        initial=5_000,
        widget=NumberInput,
        label="Input tokens per request",
    )
    output_tokens = forms.IntegerField(
        min_value=0,
        max_value=MAX_TOKENS,
        initial=1_000,
        widget=NumberInput,
        label="Output tokens per request",
    )
    requests = forms.IntegerField(
        min_value=1,
        max_value=MAX_REQUESTS,
        initial=100_000,
        widget=NumberInput,
        label="Requests per month",
    )
    cached = forms.IntegerField(
        min_value=0, max_value=100, initial=0, widget=NumberInput, label="Cached input share (%)"
    )
    batch = forms.BooleanField(required=False, label="Use batch prices where offered")

    def workload(self) -> pricing.Workload:
        data = self.cleaned_data
        return pricing.Workload(
            input_tokens=data["input_tokens"],
            output_tokens=data["output_tokens"],
            requests_per_month=data["requests"],
            cached_share=data["cached"] / 100,
            batch=data["batch"],
        )


@dataclass(frozen=True, slots=True)
class CostRow:
    model: ModelCard
    cost: pricing.MonthlyCost | None
    notes: tuple[str, ...] = ()  # which prices the figure used (long-context, batch, cache)


def cost_row(card: ModelCard, workload: pricing.Workload) -> CostRow:
    cost = pricing.monthly_cost(card.prices, workload)
    return CostRow(card, cost, tuple(pricing.monthly_cost_notes(card.prices, cost, workload)))


CALCULATOR_ROWS = 8  # the cheapest models for the workload; the table below has them all
CALCULATOR_MEMO = 32  # workloads whose answer a board keeps (the default one always among them)


_calculator_lock = threading.Lock()


def calculator_rows(board: Board, workload: pricing.Workload) -> list[CostRow]:
    """The ``CALCULATOR_ROWS`` cheapest models for ``workload`` (unknown prices never among them).

    Any workload can be asked, so finding the cheapest reads every model's prices once; the
    answer is kept on the board for the last few workloads, so the page as it loads (the default
    workload) and a shared link cost a lookup.
    """
    memo = board.presented.setdefault("calculator", {})
    rows = memo.get(workload)
    if rows is None:
        costs = [
            (cost.total, card.name, card)
            for card in board.models.values()
            if (cost := pricing.monthly_cost(card.prices, workload)) is not None
        ]
        cheapest = heapq.nsmallest(CALCULATOR_ROWS, costs, key=lambda c: (c[0], c[1]))
        rows = [cost_row(card, workload) for _, _, card in cheapest]
        with _calculator_lock:  # a worker's threads share the board: one evicts at a time
            while len(memo) >= CALCULATOR_MEMO:
                memo.pop(next(iter(memo)))
            memo[workload] = rows
    return rows


def chart_points(board: Board, lane: Lane) -> list[charts.PricePoint]:
    """Every priced model with an overall, at the overall the leaderboard prints in ``lane``;
    built once per board and lane, cheapest first. Charts draw a bounded choice of them."""
    key = ("chart-points", lane)
    points = board.presented.get(key)
    if points is None:
        points = []
        for card in board.models.values():
            cost = pricing.request_cost(
                card.prices, pricing.TYPICAL.input_tokens, pricing.TYPICAL.output_tokens
            )
            overall = present(board, lane, card.slug).overall
            if cost and cost > 0 and overall is not None:
                points.append(
                    charts.PricePoint(card.slug, card.name, card.provider, cost, float(overall))
                )
        points.sort(key=lambda p: (p.cost, -p.score, p.name))
        board.presented[key] = points
    return points


CHART_TOP = 40  # the pricing chart: the best-scoring models, plus the whole frontier
CHART_NEIGHBOURS = 3  # a comparison chart: each compared model's neighbours on either side


def chart_basis(board: Board, lane: Lane) -> dict:
    """What the charts choose their dots from, once per board and lane: the frontier, the top
    scores and each model's place in the cost order."""
    key = ("chart-basis", lane)
    basis = board.presented.get(key)
    if basis is None:
        points = chart_points(board, lane)
        frontier = charts.pareto_frontier(points)
        top = sorted(points, key=lambda p: (-p.score, p.cost, p.name))[:CHART_TOP]
        basis = board.presented[key] = {
            "points": points,
            "frontier": frontier,
            "top": top,
            "index": {p.slug: i for i, p in enumerate(points)},
        }
    return basis


def _unique(points: list[charts.PricePoint]) -> list[charts.PricePoint]:
    seen: set[str] = set()
    return [p for p in points if not (p.slug in seen or seen.add(p.slug))]


def pricing_chart(board: Board, lane: Lane) -> charts.PriceChart:
    """The /pricing/ chart: the ``CHART_TOP`` best scores and the cost/quality frontier, drawn
    once per board and lane (a chart of 3,700 dots is a blot, and a heavy page)."""
    key = ("pricing-chart", lane)
    chart = board.presented.get(key)
    if chart is None:
        basis = chart_basis(board, lane)
        chart = board.presented[key] = charts.price_chart(
            _unique([*basis["frontier"], *basis["top"]])
        )
    return chart


def pair_chart_points(board: Board, lane: Lane, a: str, b: str) -> list[charts.PricePoint]:
    """A comparison's chart: the frontier, the two models and their nearest neighbours by cost,
    a few dozen dots whatever the size of the catalogue."""
    basis = chart_basis(board, lane)
    chosen = list(basis["frontier"])
    for slug in (a, b):
        index = basis["index"].get(slug)
        if index is not None:
            chosen.append(basis["points"][index])
            chosen += charts.nearest_by_cost(basis["points"], index, CHART_NEIGHBOURS)
    return _unique(chosen)


DEFAULT_WORKLOAD = {"input_tokens": 5_000, "output_tokens": 1_000, "requests": 100_000, "cached": 0}


def _same_number(text: str | None, number: int) -> bool:
    try:
        return int(text or "") == number
    except ValueError:
        return False


def resolve_preset(data: QueryDict) -> QueryDict:
    """The calculator's fields as the page must show them (``data`` is changed and returned).

    A preset that was just chosen (not the one the fields were filled from) sets both token
    counts; a kept preset whose counts the reader has typed over becomes "Custom", so the typed
    tokens win. Either way the fields on screen are the figures the costs use.
    """
    preset = pricing.PRESETS.get(data.get("preset") or "")
    if preset and data.get("applied") != preset.slug:
        data["input_tokens"] = str(preset.input_tokens)
        data["output_tokens"] = str(preset.output_tokens)
    elif preset and not (
        _same_number(data.get("input_tokens"), preset.input_tokens)
        and _same_number(data.get("output_tokens"), preset.output_tokens)
    ):
        data["preset"] = ""
    data["applied"] = data["preset"] if data.get("preset") in pricing.PRESETS else ""
    return data


def calculator_form(request: HttpRequest) -> tuple[CalculatorForm, pricing.Workload | None]:
    """The calculator as the query string sets it. A field the link leaves out takes its default
    (``?preset=chat`` or ``?batch=on`` alone are whole calculations); a bare URL gets the medium
    request."""
    data = request.GET.copy()
    if not any(key in CalculatorForm.base_fields for key in data):
        data = QueryDict(mutable=True)
    for name, value in DEFAULT_WORKLOAD.items():
        data.setdefault(name, str(value))
    form = CalculatorForm(resolve_preset(data))
    return form, (form.workload() if form.is_valid() else None)


def shown_calculator_state(request: HttpRequest, form: CalculatorForm) -> list[tuple[str, str]]:
    """The calculator fields the request set, with the values the form shows (a preset's tokens,
    a preset typed over dropped): what the other form carries and the address bar gets."""
    return [
        (name, value)
        for name, field in CalculatorForm.base_fields.items()
        if name != "applied"
        and name in request.GET
        and ((value := form.data.get(name, "")) or field.required)
    ]


class PriceTableForm(forms.Form):
    """The price table's filters, in the query string. Invalid fields are reported and ignored.

    Their names differ from the calculator's (``has_batch``, not ``batch``), so one query string
    carries the whole page. The sort is read apart from the form: a bad one is simply ignored.
    """

    provider = forms.ChoiceField(required=False, widget=LongSelect)
    max_output = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=100_000,
        max_digits=10,
        decimal_places=4,
        label="Max output price ($/1M)",
        widget=NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    min_context = forms.TypedChoiceField(
        choices=CONTEXT_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        label="Context window",
    )
    has_batch = forms.BooleanField(required=False, label="Has a batch price")

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = provider_choices(board)

    def filters(self) -> price_table.PriceFilters:
        data = self.cleaned_data  # only the valid fields
        return price_table.PriceFilters(
            provider=data.get("provider") or "",
            max_output=float(data["max_output"]) if data.get("max_output") is not None else None,
            min_context=data.get("min_context"),
            has_batch=bool(data.get("has_batch")),
        )


def carried(request: HttpRequest, form_class: type[forms.Form]) -> list[tuple[str, str]]:
    """The form's fields as the query string has them, to carry through the other form as hidden
    inputs and into the address bar. Values stay as the reader sent them (even invalid ones, so
    a link shows the same message); an empty optional field is dropped, as it means nothing,
    but an empty required one is kept, as it is an error to show."""
    return [
        (name, value)
        for name, field in form_class.base_fields.items()
        if name in request.GET and ((value := request.GET[name]) or field.required)
    ]


def sort_params(sort: price_table.Sort) -> list[tuple[str, str]]:
    return [] if sort == price_table.DEFAULT_SORT else [("sort", sort.param)]


def page_url(path: str, params: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def sort_columns(path: str, state: list[tuple[str, str]], sort: price_table.Sort) -> list[dict]:
    """Every column header of the table: its link (the page as it is, sorted by that column),
    the value htmx sends for ``sort``, and how the column is sorted now."""
    shapes = [
        (s.name, f"{s.name.capitalize()} ({s.input_tokens:,} / {s.output_tokens:,})", "num")
        for s in pricing.TYPICAL_REQUESTS
    ]
    columns = []
    for key, label, cls in [*COLUMNS[:6], *shapes, *COLUMNS[6:]]:
        target = price_table.next_sort(sort, key)
        current = sort.key == key
        columns.append(
            {
                "label": label,
                "cls": cls,
                "url": page_url(path, [*state, *sort_params(target)]),
                "vals": json.dumps({"sort": target.param}),
                "aria_sort": ("descending" if sort.descending else "ascending") if current else "",
                "arrow": ("▼" if sort.descending else "▲") if current else "",
            }
        )
    return columns


def price_row_html(board: Board, lane: Lane, row: price_table.PriceRow) -> str:
    """A model's row of the price table, rendered once per board, lane and process: it
    depends on the model's prices and figures alone, never on the calculator, filters, sort or
    page around it (only on whether its price is past the confirmation window, which moves
    with the clock and is part of the key)."""
    query = lane_query(lane)
    days = settings.PRICE_CONFIRMATION_DAYS
    late = pricing.price_unconfirmed(row.model.price_confirmed_at, timezone.now(), days)
    return rendered_row(
        board,
        ("price-row", lane, query, row.model.slug, late),
        PRICE_ROW,
        lambda: {"row": row, "lane_query": query, "confirmation_days": days, "unconfirmed": late},
    )


PRICE_ROW = "comparisons/prices.html#price-row"


def pricing_page(request: HttpRequest) -> HttpResponse:
    board = get_board()
    form, workload = calculator_form(request)
    table_form = PriceTableForm(request.GET, board=board)
    table_form.is_valid()  # cleaned_data keeps the valid fields; the others get a message
    sort = price_table.parse_sort(request.GET.get("sort", "")) or price_table.DEFAULT_SORT
    filters = table_form.filters()
    lane = reader_lane(request.GET.get("lane"))
    rows = price_table.apply_filters(price_table.sorted_rows(board, lane, sort), filters)
    lane_state = [("lane", lane.value)] if lane == Lane.VERIFIED else []
    if (day := asof.current_day.get()) is not None:  # a past day's page keeps its day
        lane_state.append((asof.PARAM, day.isoformat()))
    calculator_state = shown_calculator_state(request, form)
    filter_state = carried(request, PriceTableForm)
    state = [*lane_state, *calculator_state, *filter_state, *sort_params(sort)]
    page, pager = page_of(request, rows, state)
    page_state = [("page", str(page.number))] if page.number > 1 else []
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    table_target = fragment and request.htmx.target == "price-table"
    template = "comparisons/prices.html"
    if fragment:
        template += "#price-table" if table_target else "#calculator-results"
    response = render(
        request,
        template,
        {
            "board": board,
            "confirmation_days": settings.PRICE_CONFIRMATION_DAYS,
            "form": form,
            "rows": calculator_rows(board, workload) if workload else [],
            "table_form": table_form,
            "filters": filters,
            "prices": [(row, price_row_html(board, lane, row)) for row in page.items],
            "page": page,
            "pager": pager,
            "canonical_query": canonical_query(page),
            "total": len(board.models),
            "sort": sort,
            "columns": sort_columns(
                request.path, [*lane_state, *calculator_state, *filter_state], sort
            ),
            "clear_url": page_url(
                request.path, [*lane_state, *calculator_state, *sort_params(sort)]
            ),
            # Each form carries the other's state as hidden inputs, so either keeps the page;
            # a fragment refreshes them out of band, and a calculator fragment the price table
            # too, so that its links (sort headers, "Show all") carry the new calculator state.
            # The calculator keeps the table's page too: a new workload is no new table order.
            "calculator_carries": [*filter_state, *sort_params(sort), *page_state],
            "filters_carry": [*calculator_state, *sort_params(sort)],
            "fragment": fragment,
            "table_target": table_target,
            "table_oob": fragment and not table_target,
            "chart": None if fragment else pricing_chart(board, lane),
            "chart_top": min(CHART_TOP, len(chart_points(board, lane))),
        },
    )
    patch_vary_headers(response, [*HTMX_VARY, "HX-Target"])
    if fragment:
        # The address bar gets the tidy form of the whole page's state: no empties, no defaults.
        response = push_url(response, page_url(request.path, [*state, *page_state]))
    return response
