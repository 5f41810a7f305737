"""The read-only JSON API (``/api/v1/``) and the CSV exports.

Every response is built from the scoreboard, so it costs no SQL query on a warm cache and
always agrees with the pages. Unknown figures are ``null``, never 0.
"""

import csv
import io

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from benchlm import spreadsheet
from comparisons import pricing
from comparisons.comparison import Comparison, Side, build_comparison
from comparisons.exporter import export_catalogue
from comparisons.scoreboard import Board, ModelCard, get_board
from comparisons.scoring import Lane, round1
from comparisons.verdict import write_verdict
from comparisons.views.compare import parse_pair

API_CACHE_SECONDS = 300


def _r(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def _json(data: dict | list, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = f"public, max-age={API_CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _model_summary(
    request: HttpRequest, board: Board, card: ModelCard, lane: Lane | None = None
) -> dict:
    """A model's figures in ``lane``; by default the lane its page shows (verified if ranked)."""
    lane = lane or board.display_lane(card.slug)
    standing = board.standing(card.slug, lane)
    return {
        "slug": card.slug,
        "name": card.name,
        "url": request.build_absolute_uri(reverse("model_detail", args=[card.slug])),
        "provider": card.provider,
        "family": card.family or None,
        "release_date": card.release_date.isoformat() if card.release_date else None,
        "reasoning": card.reasoning,
        "open_weights": card.open_weights,
        "overall": _r(standing.overall),
        "coverage": _r(standing.coverage * 100),
        "lane": lane.value,
        "rank": standing.rank,
        "ranks": {ln.value: board.standing(card.slug, ln).rank for ln in Lane},
        "category_scores": {k: _r(v) for k, v in standing.category_scores.items()},
        "input_price": card.prices.input,
        "output_price": card.prices.output,
        "cached_input_price": card.prices.cached_input,
        "batch_input_price": card.prices.batch_input,
        "batch_output_price": card.prices.batch_output,
        "context_window": card.context_window,
        "context_pages": pricing.context_pages(card.context_window),
        "max_output_tokens": card.max_output_tokens,
        "output_speed": card.output_speed,
        "ttft": card.ttft,
        "knowledge_cutoff": card.knowledge_cutoff or None,
        "input_modalities": card.input_modalities.split("+") if card.input_modalities else [],
    }


@require_safe
def model_list(request: HttpRequest) -> JsonResponse:
    """The leaderboard as data, in one lane (``?lane=verified``; provisional by default)."""
    board = get_board()
    lane = Lane.VERIFIED if request.GET.get("lane") == Lane.VERIFIED else Lane.PROVISIONAL
    models = sorted(
        board.models.values(),
        key=lambda c: (
            board.standing(c.slug, lane).rank or 10**9,
            -(board.standing(c.slug, lane).overall or -1),
            c.name,
        ),
    )
    return _json(
        {
            "lane": lane.value,
            "count": len(models),
            "models": [_model_summary(request, board, c, lane) for c in models],
        }
    )


@require_safe
def model_detail(request: HttpRequest, slug: str) -> JsonResponse:
    board = get_board()
    card = board.models.get(slug)
    if card is None:
        return _json({"error": "not_found", "detail": f"No published model “{slug}”."}, status=404)
    data = _model_summary(request, board, card)
    data["scores"] = [
        {
            "benchmark": bench,
            "benchmark_name": board.benchmarks[bench].name,
            "category": board.benchmarks[bench].category,
            "counted": board.benchmarks[bench].counted,
            "score": cell.value,
            "verified": cell.verified,
            "as_of": cell.as_of.isoformat() if cell.as_of else None,
            "source_url": cell.source_url or None,
            "note": cell.note or None,
        }
        for bench, cell in sorted(board.cells.get(slug, {}).items())
    ]
    data["last_updated"] = card.last_updated.isoformat()
    return _json(data)


def _side(side: Side, c: Comparison) -> dict:
    return {
        "slug": side.slug,
        "name": side.name,
        "overall": _r(side.overall),
        "lane": c.lane.value,
        "rank": side.rank,
        "category_scores": {k: _r(v) for k, v in side.category_scores.items()},
        "input_price": side.prices.input,
        "output_price": side.prices.output,
        "cached_input_price": side.prices.cached_input,
        "context_window": side.context_window,
        "context_pages": pricing.context_pages(side.context_window),
        "output_speed": side.output_speed,
        "ttft": side.ttft,
        "reasoning": side.reasoning,
    }


def comparison_data(c: Comparison) -> dict:
    winner = {"a": c.a.slug, "b": c.b.slug, None: None}
    verdict = write_verdict(c)
    return {
        "a": _side(c.a, c),
        "b": _side(c.b, c),
        "lane": c.lane.value,
        "siblings": c.siblings,
        "categories": [
            {
                "slug": r.slug,
                "a": _r(r.a),
                "b": _r(r.b),
                "difference": round1(r.difference),
                "winner": winner[r.winner],
            }
            for r in c.categories
        ],
        "categories_won": {"a": c.wins[0], "b": c.wins[1]},
        "biggest_swing": None
        if c.swing is None
        else {
            "benchmark": c.swing.benchmark,
            "a": c.swing.a,
            "b": c.swing.b,
            "difference": c.swing.difference,
        },
        "typical_requests": [
            {
                "name": shape.name,
                "input_tokens": shape.input_tokens,
                "output_tokens": shape.output_tokens,
                "a_cost": _r(
                    pricing.request_cost(c.a.prices, shape.input_tokens, shape.output_tokens), 6
                ),
                "b_cost": _r(
                    pricing.request_cost(c.b.prices, shape.input_tokens, shape.output_tokens), 6
                ),
            }
            for shape in pricing.TYPICAL_REQUESTS
        ],
        "cache_savings": {
            "a": _r(pricing.cache_saving_percent(c.a.prices)),
            "b": _r(pricing.cache_saving_percent(c.b.prices)),
        },
        "value_per_point": {
            "a": _r(pricing.value_per_point(c.a.typical_cost, c.a.overall), 8),
            "b": _r(pricing.value_per_point(c.b.typical_cost, c.b.overall), 8),
        },
        "output_cost_ratio": _r(c.output_cost_ratio, 3),
        "speed_difference_percent": _r(
            pricing.speed_difference_percent(c.a.output_speed, c.b.output_speed)
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
    return _json(comparison_data(build_comparison(board, a, b)))


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def scores_csv(request: HttpRequest) -> HttpResponse:
    """Every published model's scores in the importer's own format, so a download imports back.

    The export covers drafts too; readers only get what the site publishes.
    """
    published = get_board().models
    reader = csv.reader(io.StringIO(export_catalogue()["scores.csv"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = next(reader)
    writer.writerow(header)
    writer.writerows(row for row in reader if row[header.index("model")] in published)
    return _csv_response(buffer.getvalue(), "scores.csv")


def leaderboard_csv(rows, categories, lane: Lane) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["rank", "model", "name", "provider", "lane", "overall", "coverage"]
        + [c.slug for c in categories]
        + ["input_price", "output_price", "typical_request_cost", "context_window", "output_speed"]
    )
    for row in rows:
        # Names and providers are editors' text: neutralised; figures stay numbers.
        cells = (
            [
                row.rank or "",
                row.model.slug,
                row.model.name,
                row.model.provider,
                lane.value,
                "" if row.standing.overall is None else round1(row.standing.overall),
                round1(row.standing.coverage * 100),
            ]
            + [
                "" if (v := row.category_scores.get(c.slug)) is None else round1(v)
                for c in categories
            ]
            + [
                "" if row.model.prices.input is None else row.model.prices.input,
                "" if row.model.prices.output is None else row.model.prices.output,
                "" if row.typical_cost is None else round(row.typical_cost, 6),
                row.model.context_window or "",
                row.model.output_speed or "",
            ]
        )
        writer.writerow([spreadsheet.cell(value) for value in cells])
    return _csv_response(buffer.getvalue(), f"benchlm-leaderboard-{lane.value}.csv")
