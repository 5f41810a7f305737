import json

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect, push_url

from comparisons import asof, charts, model_search, model_set, pair_suggestions, pricing
from comparisons.comparison import (
    TYPICAL_IN,
    TYPICAL_OUT,
    build_comparison,
    deep_dive,
    related_pairs,
    run_cost_rows,
    telling_run_costs,
)
from comparisons.presenter import lane_query, present, reader_lane
from comparisons.scoreboard import Board, ModelCard, get_board
from comparisons.scoring import Lane
from comparisons.verdict import write_verdict
from comparisons.views.paged import HTMX_VARY
from comparisons.views.prices import calculator_form, pair_chart_points

MAX_PAIR_LENGTH = 170  # two 80-character slugs and "-vs-"


def canonical_pair(a: str, b: str) -> tuple[str, str]:
    """The one order used by canonical links and the sitemap: alphabetical by slug."""
    return (a, b) if a <= b else (b, a)


def pair_url(a: str, b: str, lane: Lane = Lane.PROVISIONAL) -> str:
    """The pair page, in the reader's lane (the default lane needs no query string)."""
    return reverse("compare", args=[f"{a}-vs-{b}"]) + lane_query(lane)


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


SIDES = ("a", "b")
# Every picker's name: the pair page's two sides and the "compare many" page's "add" box.
PICKERS = (*SIDES, "add")


def search_entries(board: Board) -> list[model_search.Entry]:
    """The catalogue as the pickers search it, built once per board (one board per data version)."""
    entries = board.presented.get("search_entries")
    if entries is None:
        entries = [
            model_search.Entry(card.slug, card.name, card.provider, card.family)
            for card in board.models.values()
        ]
        board.presented["search_entries"] = entries
    return entries


def model_options(request: HttpRequest) -> HttpResponse:
    """The pickers' listbox: the top matches for what the reader typed, as <li role=option>.

    The combobox asks for ``?side=a&a_q=son`` as the reader types; the answer is a small HTML
    fragment (no JSON, no client templating) that htmx swaps into the listbox.
    """
    board = get_board()
    side = request.GET.get("side")
    side = side if side in PICKERS else "a"
    query = request.GET.get(f"{side}_q", request.GET.get("q", ""))[: model_search.MAX_QUERY_LENGTH]
    found = model_search.search(search_entries(board), query)
    response = render(
        request,
        "includes/model_options.html",
        {"side": side, "options": found, "query": query.strip()},
    )
    response["Cache-Control"] = "max-age=60"
    return response


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


def per_thousand(value: float | None) -> float | None:
    return None if value is None else value * 1000


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
        # Per month: the page's sentence on the typical request already speaks per request.
        "sentence": pricing.describe_ratio(c.a.name, c.b.name, ratio, per="month") if ratio else "",
    }


RUN_COSTS = "run-costs"  # ?all=run-costs: every row of the table of costs per task


def render_comparison(request: HttpRequest, board: Board, a: str, b: str) -> HttpResponse:
    lane = reader_lane(request.GET.get("lane"))
    c = build_comparison(board, a, b, lane)
    verdict = write_verdict(c)
    template = "comparisons/compare.html"
    # ?all=<category> shows every benchmark of that category of the deep dive (it shows the
    # six that say most of each by default); its "Show all" link swaps just that group in.
    unfold = request.GET.get("all", "")
    groups = deep_dive(board, a, b, unfold)
    unfolded = next((g for g in groups if g.category == unfold and not g.folded), None)
    run_costs = run_cost_rows(board, a, b)
    costs_shown = run_costs if unfold == RUN_COSTS else telling_run_costs(board, run_costs)
    kept = [(key, value) for key, value in request.GET.items() if key in ("lane", asof.PARAM)]
    fragment = request.htmx and not request.htmx.history_restore_request
    if fragment:
        target = request.htmx.target or ""
        if target == "pair-calculator":
            template += "#pair-calculator"
        elif unfolded is not None and target == f"deep-{unfold}":
            template += "#deep-dive-group"
        elif unfold == RUN_COSTS and target == RUN_COSTS:
            template += "#run-cost-table"
        else:
            template += "#comparison-body"
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
            "radar": charts.radar_chart(
                [(r.slug, c.category_names[r.slug]) for r in c.categories],
                c.a.category_scores,
                c.b.category_scores,
                c.a.name,
                c.b.name,
            ),
            "deep_dive": [
                (group, f"?{urlencode([*kept, ('all', group.category)])}") for group in groups
            ],
            "group": unfolded,
            "unfold_url": "",
            "run_costs": costs_shown,
            "run_costs_total": len(run_costs),
            "run_costs_more": len(run_costs) - len(costs_shown),
            "run_costs_url": f"?{urlencode([*kept, ('all', RUN_COSTS)])}",
            # The pair calculator's fragment shows no chart: skip drawing one.
            "price_chart": None
            if request.htmx and request.htmx.target == "pair-calculator"
            else charts.price_chart(pair_chart_points(board, lane, a, b), highlight={a, b}),
            "variant_notes": {"a": board.models[a].variant_note, "b": board.models[b].variant_note},
            "related": related_pairs(board, a, b, lane),
            "calc": pair_calculator(request, c),
            "cost_extras": {
                "cache_a": pricing.cache_saving_percent(c.a.prices),
                "cache_b": pricing.cache_saving_percent(c.b.prices),
                "cache_write_a": pricing.cache_write_cost(c.a.prices, TYPICAL_IN, TYPICAL_OUT),
                "cache_write_b": pricing.cache_write_cost(c.b.prices, TYPICAL_IN, TYPICAL_OUT),
                "long_a": pricing.describe_long_context(c.a.prices),
                "long_b": pricing.describe_long_context(c.b.prices),
                # Per point for 1,000 medium requests: one request's $0.0000796 reads as nothing.
                "value_a": per_thousand(pricing.value_per_point(c.a.typical_cost, c.a.overall)),
                "value_b": per_thousand(pricing.value_per_point(c.b.typical_cost, c.b.overall)),
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
    patch_vary_headers(response, [*HTMX_VARY, "HX-Target"])
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
    return lane_query(reader_lane(request.GET.get("lane")))


class PairForm(forms.Form):
    """The two pickers: each a model slug (set by the combobox) and the text in its box.

    Without JavaScript the reader only types, so a text that is not the picked model's name is
    resolved to the model it names best.
    """

    a = forms.CharField(max_length=80, required=False)
    b = forms.CharField(max_length=80, required=False)
    a_q = forms.CharField(max_length=model_search.MAX_QUERY_LENGTH, required=False)
    b_q = forms.CharField(max_length=model_search.MAX_QUERY_LENGTH, required=False)

    def chosen(self, board: Board, side: str) -> str | None:
        return resolve_pick(
            board, self.cleaned_data.get(side) or "", self.cleaned_data.get(f"{side}_q") or ""
        )


def resolve_pick(board: Board, slug: str, text: str) -> str | None:
    """The model a picker names: its slug when the text is still that model's name, else the
    model the text names best (the reader typed without JavaScript), else None."""
    text = text.strip()
    card = board.models.get(slug)
    if card and (not text or text.casefold() == card.name.casefold()):
        return slug
    if text:
        entry = model_search.best(search_entries(board), text)
        return entry.slug if entry else None
    return None


def contenders(board: Board, lane: Lane) -> list[pair_suggestions.Contender]:
    """Every model as the pair suggestions read it, built once per board and lane (and put on
    the board only once complete: a worker's threads share it)."""
    key = ("contenders", lane)
    if key in board.presented:
        return board.presented[key]
    contenders = []
    for card in board.models.values():
        headline = present(board, lane, card.slug)
        overall = float(headline.overall) if headline.overall is not None else None
        contenders.append(
            pair_suggestions.Contender(
                card.slug, card.name, card.provider, card.release_date, overall, headline.rank
            )
        )
    return board.presented.setdefault(key, contenders)


def compare_landing(
    request: HttpRequest, board: Board, form: PairForm | None = None
) -> HttpResponse:
    """/compare/ with no pair yet: the two pickers and pairs worth starting from."""
    lane = reader_lane(request.GET.get("lane"))
    suggestions = board.presented.get(("suggestions", lane))
    if suggestions is None:  # once per board and lane: each list reads the whole catalogue
        models = contenders(board, lane)
        suggestions = board.presented["suggestions", lane] = {
            "top": pair_suggestions.top_pairs(models),
            "newest": pair_suggestions.newest_pairs(models),
            "rivalries": pair_suggestions.provider_rivalries(models),
        }
    # Sets of three or more: the editors' curated ones, linked from here as from the sitemap.
    model_sets = [
        {
            "url": reverse("compare_many", args=[model_set.join_set(slugs)]) + lane_query(lane),
            "names": [board.models[slug].name for slug in slugs],
        }
        for slugs in model_set.curated(settings.CURATED_MODEL_SETS, board.models)
    ]
    # After a failed pick, each picker shows the model its text named, or the text itself.
    picked: dict[str, ModelCard | None] = {"a": None, "b": None}
    typed = {"a": "", "b": ""}
    missing = []
    if form is not None and form.is_valid():
        for side in SIDES:
            slug = form.chosen(board, side)
            picked[side] = board.models.get(slug or "")
            typed[side] = form.cleaned_data[f"{side}_q"]
            if picked[side] is None:
                missing.append(
                    typed[side] or f"an empty {'first' if side == 'a' else 'second'} box"
                )
    return render(
        request,
        "comparisons/compare_landing.html",
        {
            "missing": missing,
            "picked": picked,
            "typed": typed,
            "model_sets": model_sets,
            **suggestions,
        },
        status=404 if missing else 200,
    )


def compare_select(request: HttpRequest) -> HttpResponse:
    """/compare/: the landing page, and the pickers' target. Without JavaScript: a redirect to
    the pair URL. With htmx: the new comparison fragment, and the pair URL pushed to the
    address bar."""
    board = get_board()
    if not any(key in PairForm.base_fields for key in request.GET):
        return compare_landing(request, board)
    form = PairForm(request.GET)
    if not form.is_valid():
        return compare_landing(request, board, form)
    a, b = form.chosen(board, "a"), form.chosen(board, "b")
    if a is None or b is None:
        return compare_landing(request, board, form)
    lane = reader_lane(request.GET.get("lane"))
    if a == b:
        model_url = reverse("model_detail", args=[a]) + _lane_query(request)
        # A whole page must never be swapped into the comparison: the browser goes there.
        return HttpResponseClientRedirect(model_url) if request.htmx else redirect(model_url)
    if not request.htmx:
        return redirect(pair_url(a, b, lane))
    return push_url(render_comparison(request, board, a, b), pair_url(a, b, lane))
