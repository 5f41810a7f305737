"""/pricing/: the price table, the monthly cost calculator and the intelligence-vs-price chart."""

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from comparisons import charts, pricing
from comparisons.scoreboard import Board, ModelCard, get_board

MAX_TOKENS = 10_000_000
MAX_REQUESTS = 1_000_000_000


class CalculatorForm(forms.Form):
    """The calculator's state, all in the query string so a link reproduces the answer."""

    preset = forms.ChoiceField(
        choices=[("", "Custom")] + [(p.slug, p.name) for p in pricing.PRESETS.values()],
        required=False,
    )
    input_tokens = forms.IntegerField(
        min_value=0, max_value=MAX_TOKENS, initial=5_000, label="Input tokens per request"
    )
    output_tokens = forms.IntegerField(
        min_value=0, max_value=MAX_TOKENS, initial=1_000, label="Output tokens per request"
    )
    requests = forms.IntegerField(
        min_value=1, max_value=MAX_REQUESTS, initial=100_000, label="Requests per month"
    )
    cached = forms.IntegerField(
        min_value=0, max_value=100, initial=0, label="Cached input share (%)"
    )
    batch = forms.BooleanField(required=False, label="Use batch prices where offered")

    def clean(self):
        data = super().clean()
        preset = pricing.PRESETS.get(data.get("preset") or "")
        if preset:  # a preset fills the token counts; the reader can still edit them after
            data["input_tokens"], data["output_tokens"] = preset.input_tokens, preset.output_tokens
        return data

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


def calculator_rows(board: Board, workload: pricing.Workload) -> list[CostRow]:
    """Every published model's monthly cost, cheapest first, unknown prices last."""
    rows = [
        CostRow(card, pricing.monthly_cost(card.prices, workload)) for card in board.models.values()
    ]
    return sorted(rows, key=lambda r: (r.cost is None, r.cost.total if r.cost else 0, r.model.name))


def price_rows(board: Board) -> list[dict]:
    rows = []
    for card in sorted(
        board.models.values(), key=lambda c: (c.prices.output is None, c.prices.output or 0, c.name)
    ):
        standing = board.standing(card.slug, board.display_lane(card.slug))
        typical = [
            pricing.request_cost(card.prices, s.input_tokens, s.output_tokens)
            for s in pricing.TYPICAL_REQUESTS
        ]
        rows.append(
            {
                "model": card,
                "typical": typical,
                "value": pricing.value_per_point(typical[1], standing.overall),
                "overall": standing.overall,
                "pages": pricing.context_pages(card.context_window),
            }
        )
    return rows


def chart_points(board: Board) -> list[charts.PricePoint]:
    points = []
    for card in board.models.values():
        cost = pricing.request_cost(
            card.prices, pricing.TYPICAL.input_tokens, pricing.TYPICAL.output_tokens
        )
        overall = board.standing(card.slug, board.display_lane(card.slug)).overall
        if cost and cost > 0 and overall is not None:
            points.append(charts.PricePoint(card.slug, card.name, card.provider, cost, overall))
    return points


DEFAULT_WORKLOAD = {"input_tokens": 5_000, "output_tokens": 1_000, "requests": 100_000, "cached": 0}


def calculator_form(request: HttpRequest) -> tuple[CalculatorForm, pricing.Workload | None]:
    """The calculator as the query string sets it; a bare URL gets the medium request."""
    fields = set(CalculatorForm.base_fields)
    if any(key in fields for key in request.GET):
        form = CalculatorForm(request.GET)
    else:
        form = CalculatorForm(DEFAULT_WORKLOAD)
    return form, (form.workload() if form.is_valid() else None)


def pricing_page(request: HttpRequest) -> HttpResponse:
    board = get_board()
    form, workload = calculator_form(request)
    template = "comparisons/prices.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#calculator-results"
    response = render(
        request,
        template,
        {
            "board": board,
            "form": form,
            "rows": calculator_rows(board, workload) if workload else [],
            "prices": price_rows(board),
            "typical_requests": pricing.TYPICAL_REQUESTS,
            "chart": charts.price_chart(chart_points(board)),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
