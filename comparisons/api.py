"""The read-only JSON API (``/api/v1/``) and the CSV exports.

Every response is built from the scoreboard, so it costs no SQL query on a warm cache and
always agrees with the pages. Unknown figures are ``null``, never 0.
"""

import csv
import io

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from benchlm import spreadsheet
from comparisons import asof, many, model_set, pricing
from comparisons.comparison import (
    TYPICAL_IN,
    TYPICAL_OUT,
    Comparison,
    RunCostRow,
    Side,
    build_comparison,
    run_cost_rows,
)
from comparisons.exporter import board_scores, export_catalogue
from comparisons.formatting import (
    as_number,
    figure_cost,
    figure_latency,
    figure_percent,
    figure_price,
    figure_ratio,
    figure_score,
    figure_speed,
)
from comparisons.presenter import (
    lane_query,
    present,
    reader_lane,
    run_cost_data,
    run_cost_figure,
)
from comparisons.scoreboard import Board, ModelCard, get_board
from comparisons.scoring import Lane
from comparisons.verdict import write_verdict
from comparisons.views.compare import parse_pair
from comparisons.views.prices import MAX_TOKENS

API_CACHE_SECONDS = 300


def _price(value: float | None) -> int | float | None:
    return as_number(figure_price(value))


def _json(data: dict | list, status: int = 200) -> JsonResponse:
    if isinstance(data, dict) and (day := asof.current_day.get()) is not None:
        data = {"as_of": day.isoformat(), **data}  # the catalogue as it stood that day
    response = JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
    return _api_headers(response)


def _api_headers[R: HttpResponse](response: R) -> R:
    response["Cache-Control"] = f"public, max-age={API_CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def price_terms(prices: pricing.Prices) -> dict:
    """Cache-write price, long-context tier and scheduled change; null when there is none."""
    tier, scheduled = prices.long_context, prices.scheduled
    return {
        "cache_write_price": _price(prices.cache_write),
        "long_context": None
        if tier is None
        else {
            "threshold_tokens": tier.threshold,
            "input_price": _price(tier.input),
            "output_price": _price(tier.output),
            "cached_input_price": _price(tier.cached_input),
        },
        "scheduled_price": None
        if scheduled is None
        else {
            "starts_on": scheduled.starts_on.isoformat(),
            "input_price": _price(scheduled.input),
            "output_price": _price(scheduled.output),
        },
    }


def request_costs(c: Comparison, input_tokens: int, output_tokens: int) -> dict:
    """One request's cost for both models, with the tier each is billed at."""
    out = {"input_tokens": input_tokens, "output_tokens": output_tokens}
    for key, side in (("a", c.a), ("b", c.b)):
        out[f"{key}_cost"] = _cost(pricing.request_cost(side.prices, input_tokens, output_tokens))
        out[f"{key}_tier"] = (
            "long_context" if pricing.in_long_context(side.prices, input_tokens) else "standard"
        )
    return out


def _model_summary(request: HttpRequest, board: Board, card: ModelCard, lane: Lane) -> dict:
    """A model's figures in the reader's ``lane``, exactly as its page prints them."""
    url = reverse("model_detail", args=[card.slug])
    url += lane_query(lane)
    return {
        "slug": card.slug,
        "name": card.name,
        "url": request.build_absolute_uri(url),
        "provider": card.provider,
        "family": card.family or None,
        "release_date": card.release_date.isoformat() if card.release_date else None,
        "reasoning": card.reasoning,
        "open_weights": card.open_weights,
        **present(board, lane, card.slug).as_data(),
        "input_price": _price(card.prices.input),
        "output_price": _price(card.prices.output),
        "cached_input_price": _price(card.prices.cached_input),
        "batch_input_price": _price(card.prices.batch_input),
        "batch_output_price": _price(card.prices.batch_output),
        **price_terms(card.prices),
        "price_confirmed_at": card.price_confirmed_at.isoformat()
        if card.price_confirmed_at
        else None,
        "price_unconfirmed": pricing.price_unconfirmed(
            card.price_confirmed_at, timezone.now(), settings.PRICE_CONFIRMATION_DAYS
        ),
        "context_window": card.context_window,
        "context_pages": pricing.context_pages(card.context_window),
        "max_output_tokens": card.max_output_tokens,
        "output_speed": as_number(figure_speed(card.output_speed)),
        "ttft": as_number(figure_latency(card.ttft)),
        "knowledge_cutoff": card.knowledge_cutoff or None,
        "input_modalities": card.input_modalities.split("+") if card.input_modalities else [],
    }


@require_safe
def model_list(request: HttpRequest) -> HttpResponse:
    """The leaderboard as data, in one lane (``?lane=verified``; provisional by default).

    Serialised once per board, lane, host and day (the day: whether a price is unconfirmed):
    at 3,700 models the list is 3.6 MB of JSON and most of a second to write, and a query
    string of a visitor's own, which the page cache keys apart, must not cost that again.
    """
    board = get_board()
    lane = reader_lane(request.GET.get("lane"))
    key = ("api:models", lane, request.scheme, request.get_host(), timezone.localdate())
    content = board.presented.get(key)
    if content is None:
        models = [board.models[slug] for slug in board.standings[lane] if slug in board.models]
        data = {
            "lane": lane.value,
            "count": len(models),
            "models": [_model_summary(request, board, c, lane) for c in models],
        }
        content = board.presented[key] = _json(data).content
    return _api_headers(HttpResponse(content, content_type="application/json"))


@require_safe
def model_detail(request: HttpRequest, slug: str) -> JsonResponse:
    board = get_board()
    card = board.models.get(slug)
    if card is None:
        return _json({"error": "not_found", "detail": f"No published model “{slug}”."}, status=404)
    data = _model_summary(request, board, card, reader_lane(request.GET.get("lane")))
    data["scores"] = [
        {
            "benchmark": bench,
            "benchmark_name": board.benchmarks[bench].name,
            "category": board.benchmarks[bench].category,
            "counted": board.benchmarks[bench].counted,
            "score": as_number(figure_score(cell.value)),
            "verified": cell.verified,
            "as_of": cell.as_of.isoformat() if cell.as_of else None,
            "source_url": cell.source_url or None,
            "note": cell.note or None,
            **run_cost_data(run_cost_figure(card.prices, cell), cell),
        }
        for bench, cell in sorted(board.cells.get(slug, {}).items())
    ]
    data["last_updated"] = card.last_updated.isoformat()
    return _json(data)


def _side(side: Side) -> dict:
    return {
        "slug": side.slug,
        "name": side.name,
        **side.headline.as_data(),
        "input_price": _price(side.prices.input),
        "output_price": _price(side.prices.output),
        "cached_input_price": _price(side.prices.cached_input),
        **price_terms(side.prices),
        "context_window": side.context_window,
        "context_pages": pricing.context_pages(side.context_window),
        "output_speed": as_number(figure_speed(side.output_speed)),
        "ttft": as_number(figure_latency(side.ttft)),
        "reasoning": side.reasoning,
    }


def _cost(value: float | None) -> int | float | None:
    return as_number(figure_cost(value))


def run_costs_data(rows: list[RunCostRow]) -> list[dict]:
    """Each benchmark both runs have a cost for: both scores, and each run's cost and cost per
    task at today's prices (estimates, as the page labels them)."""
    return [
        {
            "benchmark": row.slug,
            "a": {"score": as_number(figure_score(row.a_score)), **row.a.as_data()},
            "b": {"score": as_number(figure_score(row.b_score)), **row.b.as_data()},
        }
        for row in rows
    ]


def comparison_data(c: Comparison) -> dict:
    winner = {"a": c.a.slug, "b": c.b.slug, None: None}
    verdict = write_verdict(c)
    return {
        "a": _side(c.a),
        "b": _side(c.b),
        "lane": c.lane.value,
        "within_noise": c.within_noise,
        "siblings": c.siblings,
        "categories": [
            {
                "slug": r.slug,
                "a": as_number(figure_score(r.a)),
                "b": as_number(figure_score(r.b)),
                "difference": as_number(figure_score(r.difference)),
                "winner": winner[r.winner],
            }
            for r in c.categories
        ],
        "categories_won": {"a": c.wins[0], "b": c.wins[1]},
        "biggest_swing": None
        if c.swing is None
        else {
            "benchmark": c.swing.benchmark,
            "a": as_number(figure_score(c.swing.a)),
            "b": as_number(figure_score(c.swing.b)),
            "difference": as_number(figure_score(c.swing.difference)),
        },
        "typical_requests": [
            {"name": shape.name, **request_costs(c, shape.input_tokens, shape.output_tokens)}
            for shape in pricing.TYPICAL_REQUESTS
        ],
        "cache_write_costs": {
            "a": _cost(pricing.cache_write_cost(c.a.prices, TYPICAL_IN, TYPICAL_OUT)),
            "b": _cost(pricing.cache_write_cost(c.b.prices, TYPICAL_IN, TYPICAL_OUT)),
        },
        "cache_savings": {
            "a": as_number(figure_percent(pricing.cache_saving_percent(c.a.prices))),
            "b": as_number(figure_percent(pricing.cache_saving_percent(c.b.prices))),
        },
        "value_per_point": {
            "a": _cost(pricing.value_per_point(c.a.typical_cost, c.a.overall)),
            "b": _cost(pricing.value_per_point(c.b.typical_cost, c.b.overall)),
        },
        "output_cost_ratio": as_number(figure_ratio(c.output_cost_ratio)),
        "speed_difference_percent": as_number(
            figure_percent(pricing.speed_difference_percent(c.a.output_speed, c.b.output_speed))
        ),
        "verdict": verdict.quick,
        "faq": [{"question": f.question, "answer": f.answer} for f in verdict.faq],
        "last_updated": c.last_updated.isoformat(),
    }


@require_safe
def compare(request: HttpRequest, pair: str) -> HttpResponse:
    board = get_board()
    parsed = parse_pair(pair, board)
    if parsed is None:
        return _json({"error": "not_found", "detail": "Unknown model pair."}, status=404)
    if isinstance(parsed, str):
        return redirect(reverse("api_compare", args=[parsed]), permanent=True)
    a, b = parsed
    if a == b:
        return _json({"error": "same_model", "detail": "Compare two different models."}, status=404)
    lane = reader_lane(request.GET.get("lane"))
    c = build_comparison(board, a, b, lane)
    data = comparison_data(c)
    data["run_costs"] = run_costs_data(run_cost_rows(board, a, b))
    if "input_tokens" in request.GET or "output_tokens" in request.GET:
        tokens = _tokens(request)
        if tokens is None:
            return _json(
                {
                    "error": "bad_request",
                    "detail": f"input_tokens and output_tokens are whole numbers from 0 to "
                    f"{MAX_TOKENS:,}.",
                },
                status=400,
            )
        data["request"] = request_costs(c, *tokens)
    return _json(data)


@require_safe
def compare_many(request: HttpRequest, models: str) -> HttpResponse:
    """The "compare many" page as data: the models, every matrix row with its best, the pairs.

    The set's URL order is the models' order. Duplicates or capitals redirect (301) to the clean
    URL, two models to the pair's JSON; one, more than six or an unknown slug is a 404.
    """
    board = get_board()
    slugs = model_set.split_set(models) if len(models) <= model_set.MAX_SET_LENGTH else []
    if not slugs or len(slugs) > model_set.MAX_MODELS or any(s not in board.models for s in slugs):
        return _json({"error": "not_found", "detail": "Unknown model set."}, status=404)
    lane = reader_lane(request.GET.get("lane"))
    query = lane_query(lane)
    if len(slugs) == 2:
        return redirect(reverse("api_compare", args=["-vs-".join(slugs)]) + query, permanent=True)
    if len(slugs) < model_set.MIN_MODELS:
        detail = f"Compare {model_set.MIN_MODELS} to {model_set.MAX_MODELS} different models."
        return _json({"error": "too_few", "detail": detail}, status=404)
    if model_set.join_set(slugs) != models:
        return redirect(
            reverse("api_compare_many", args=[model_set.join_set(slugs)]) + query, permanent=True
        )
    c = many.build_many(board, slugs, lane)
    page = reverse("compare_many", args=[model_set.join_set(model_set.canonical_set(slugs))])
    return _json(
        {
            "lane": lane.value,
            "canonical_url": request.build_absolute_uri(page),
            "models": [_model_summary(request, board, board.models[s], lane) for s in slugs],
            "rows": [
                {
                    "section": section.key,
                    "key": row.key,
                    "label": row.label,
                    "unit": row.unit,
                    "better": row.better,
                    "values": [as_number(cell.figure) for cell in row.cells],
                    "estimated": [cell.estimated for cell in row.cells],
                    "best": [slugs[i] for i in row.leaders],
                }
                for section in c.sections
                for row in section.rows
            ],
            "radar_categories": [slug for slug, _ in c.radar_axes],
            "pairs": [
                {
                    "a": p.a,
                    "b": p.b,
                    "categories_won": {"a": p.a_wins, "b": p.b_wins},
                    "shared_categories": p.shared,
                    "url": request.build_absolute_uri(
                        reverse("compare", args=[f"{p.a}-vs-{p.b}"]) + query
                    ),
                }
                for p in c.pairs
            ],
            "last_updated": c.last_updated.isoformat(),
        }
    )


def _tokens(request: HttpRequest) -> tuple[int, int] | None:
    """``?input_tokens=&output_tokens=`` as two counts, or None when either is not one."""
    counts = []
    for name in ("input_tokens", "output_tokens"):
        raw = request.GET.get(name, "0")
        if not raw.isdigit() or len(raw) > 9 or int(raw) > MAX_TOKENS:
            return None
        counts.append(int(raw))
    return counts[0], counts[1]


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def scores_csv(request: HttpRequest) -> HttpResponse:
    """Every published model's scores in the importer's own format, so a download imports back.

    The export covers drafts too; readers only get what the site publishes. On a past day
    (``?as_of=``) the scores as they stood at its end, from that day's board: not today's
    rows under the past day's name (a past day's response is cached for good).
    """
    if asof.current_day.get() is not None:
        return _csv_response(board_scores(get_board()), "scores.csv")
    published = get_board().models
    reader = csv.reader(io.StringIO(export_catalogue()["scores.csv"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = next(reader)
    writer.writerow(header)
    writer.writerows(row for row in reader if row[header.index("model")] in published)
    return _csv_response(buffer.getvalue(), "scores.csv")


def leaderboard_csv(rows, categories, lane: Lane) -> HttpResponse:
    """The leaderboard as shown: the same rounded figures, estimates in columns of their own."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["rank", "rank_low", "rank_high", "model", "name", "provider", "lane"]
        + ["overall", "overall_low", "overall_high", "coverage"]
        + [c.slug for c in categories]
        + [f"{c.slug}_estimate" for c in categories]
        + ["input_price", "output_price", "typical_request_cost", "context_window", "output_speed"]
    )

    def cell(value) -> str | int | float:
        return "" if value is None else as_number(value)

    for row in rows:
        h = row.headline
        # Names and providers are editors' text: neutralised; figures stay numbers.
        cells = (
            [h.rank or "", h.rank_low or "", h.rank_high or ""]
            + [row.model.slug, row.model.name, row.model.provider, lane.value]
            + [cell(h.overall), cell(h.low), cell(h.high), cell(h.coverage)]
            + [cell(f.value) if (f := h.measured.get(c.slug)) else "" for c in categories]
            + [cell(f.value) if (f := h.estimated.get(c.slug)) else "" for c in categories]
            + [
                cell(figure_price(row.model.prices.input)),
                cell(figure_price(row.model.prices.output)),
                cell(figure_cost(row.typical_cost)),
                row.model.context_window or "",
                cell(figure_speed(row.model.output_speed)),
            ]
        )
        writer.writerow([spreadsheet.cell(value) for value in cells])
    return _csv_response(buffer.getvalue(), f"benchlm-leaderboard-{lane.value}.csv")
