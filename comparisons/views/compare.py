import json

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url

from comparisons import charts, pricing
from comparisons.comparison import (
    TYPICAL_IN,
    TYPICAL_OUT,
    build_comparison,
    deep_dive,
    related_pairs,
)
from comparisons.presenter import reader_lane
from comparisons.scoreboard import Board, get_board
from comparisons.scoring import Lane
from comparisons.verdict import write_verdict
from comparisons.views.prices import calculator_form

MAX_PAIR_LENGTH = 170  # two 80-character slugs and "-vs-"


def canonical_pair(a: str, b: str) -> tuple[str, str]:
    """The one order used by canonical links and the sitemap: alphabetical by slug."""
    return (a, b) if a <= b else (b, a)


def pair_url(a: str, b: str, lane: Lane = Lane.PROVISIONAL) -> str:
    """The pair page, in the reader's lane (the default lane needs no query string)."""
    url = reverse("compare", args=[f"{a}-vs-{b}"])
    return f"{url}?lane=verified" if lane == Lane.VERIFIED else url


def parse_pair(pair: str, board: Board) -> tuple[str, str] | str | None:
    """Split "a-vs-b": a tuple of two known slugs, the lower-cased pair to redirect to, or None.

    Model slugs never contain "-vs-" (a database constraint), so the split is unambiguous.
    """
    if len(pair) > MAX_PAIR_LENGTH:
        return None
    if pair != pair.lower():
        return pair.lower()
    parts = pair.split("-vs-")
    if len(parts) != 2 or not all(part in board.models for part in parts):
        return None
    return parts[0], parts[1]


def picker_groups(board: Board) -> list[tuple[str, list]]:
    """Models grouped by provider, for the two pickers."""
    groups: dict[str, list] = {}
    for card in sorted(board.models.values(), key=lambda c: (c.provider.casefold(), c.name)):
        groups.setdefault(card.provider, []).append(card)
    return list(groups.items())


def faq_json_ld(faq) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": item.question,
                "acceptedAnswer": {"@type": "Answer", "text": item.answer},
            }
            for item in faq
        ],
    }
    # Escape what could close the <script> element, as json_script does.
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003C")
        .replace(">", "\\u003E")
        .replace("&", "\\u0026")
    )


def pair_calculator(request: HttpRequest, c) -> dict:
    """The calculator for the two compared models: each one's month and the gap between them."""
    form, workload = calculator_form(request)
    if workload is None:
        return {"form": form}
    a_cost = pricing.monthly_cost(c.a.prices, workload)
    b_cost = pricing.monthly_cost(c.b.prices, workload)
    ratio = pricing.price_ratio(a_cost and a_cost.total, b_cost and b_cost.total)
    return {
        "form": form,
        "a": a_cost,
        "b": b_cost,
        "a_notes": pricing.monthly_cost_notes(c.a.prices, a_cost, workload) if a_cost else [],
        "b_notes": pricing.monthly_cost_notes(c.b.prices, b_cost, workload) if b_cost else [],
        "difference": abs(a_cost.total - b_cost.total) if a_cost and b_cost else None,
        "sentence": pricing.describe_ratio(c.a.name, c.b.name, ratio) if ratio else "",
    }


def render_comparison(request: HttpRequest, board: Board, a: str, b: str) -> HttpResponse:
    lane = reader_lane(request.GET.get("lane"))
    c = build_comparison(board, a, b, lane)
    verdict = write_verdict(c)
    template = "comparisons/compare.html"
    fragment = request.htmx and not request.htmx.history_restore_request
    if fragment:
        template += (
            "#pair-calculator" if request.htmx.target == "pair-calculator" else "#comparison-body"
        )
    response = render(
        request,
        template,
        {
            "board": board,
            "c": c,
            "verdict": verdict,
            "faq_json_ld": faq_json_ld(verdict.faq),
            "canonical_url": pair_url(*canonical_pair(a, b)),
            "swap_url": pair_url(b, a, lane),
            "groups": picker_groups(board),
            "radar": charts.radar_chart(
                [(r.slug, c.category_names[r.slug]) for r in c.categories],
                c.a.category_scores,
                c.b.category_scores,
                c.a.name,
                c.b.name,
            ),
            "deep_dive": deep_dive(board, a, b),
            "related": related_pairs(board, a, b, lane),
            "calc": pair_calculator(request, c),
            "cost_extras": {
                "cache_a": pricing.cache_saving_percent(c.a.prices),
                "cache_b": pricing.cache_saving_percent(c.b.prices),
                "cache_write_a": pricing.cache_write_cost(c.a.prices, TYPICAL_IN, TYPICAL_OUT),
                "cache_write_b": pricing.cache_write_cost(c.b.prices, TYPICAL_IN, TYPICAL_OUT),
                "long_a": pricing.describe_long_context(c.a.prices),
                "long_b": pricing.describe_long_context(c.b.prices),
                "value_a": pricing.value_per_point(c.a.typical_cost, c.a.overall),
                "value_b": pricing.value_per_point(c.b.typical_cost, c.b.overall),
                "pages_a": pricing.context_pages(c.a.context_window),
                "pages_b": pricing.context_pages(c.b.context_window),
                "speed": pricing.describe_speed(
                    c.a.name, c.b.name, c.a.output_speed, c.b.output_speed
                ),
            },
            "price_sentence": pricing.describe_ratio(c.a.name, c.b.name, c.price_ratio)
            if c.price_ratio
            else "",
            "typical": [
                {
                    "shape": shape,
                    "a": pricing.request_cost(c.a.prices, shape.input_tokens, shape.output_tokens),
                    "b": pricing.request_cost(c.b.prices, shape.input_tokens, shape.output_tokens),
                }
                for shape in pricing.TYPICAL_REQUESTS
            ],
        },
    )
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def compare(request: HttpRequest, pair: str) -> HttpResponse:
    board = get_board()
    parsed = parse_pair(pair, board)
    if parsed is None:
        raise Http404("No such comparison.")
    if isinstance(parsed, str):
        return redirect(reverse("compare", args=[parsed]), permanent=True)
    a, b = parsed
    if a == b:
        return redirect(reverse("model_detail", args=[a]) + _lane_query(request))
    return render_comparison(request, board, a, b)


def _lane_query(request: HttpRequest) -> str:
    return "?lane=verified" if reader_lane(request.GET.get("lane")) == Lane.VERIFIED else ""


class PairForm(forms.Form):
    a = forms.SlugField(max_length=80)
    b = forms.SlugField(max_length=80)


def compare_select(request: HttpRequest) -> HttpResponse:
    """The pickers' target. Without JavaScript: a redirect to the pair URL. With htmx: the new
    comparison fragment, and the pair URL pushed to the address bar."""
    board = get_board()
    form = PairForm(request.GET)
    if not form.is_valid():
        raise Http404("Pick two models.")
    a, b = form.cleaned_data["a"], form.cleaned_data["b"]
    if a not in board.models or b not in board.models:
        raise Http404("No such model.")
    lane = reader_lane(request.GET.get("lane"))
    if a == b:
        return redirect(reverse("model_detail", args=[a]) + _lane_query(request))
    if not request.htmx:
        return redirect(pair_url(a, b, lane))
    return push_url(render_comparison(request, board, a, b), pair_url(a, b, lane))
