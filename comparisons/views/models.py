from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from comparisons import asof, presenter, pricing, profile, trends
from comparisons.comparison import compare_with
from comparisons.markup import render_markdown
from comparisons.models import ChangeEvent, LanguageModel
from comparisons.scoreboard import Board, get_board
from comparisons.scoring import Lane

HISTORY_LIMIT = 50


def profile_facts(board: Board, lane: Lane) -> list[profile.Facts]:
    """Every model as the profile reads it, in the reader's lane; memoised on the board.

    The list is put on the board only once complete: a worker's threads share the board, and a
    request must never read another's half-built list.
    """
    key = ("profile", lane)
    memo = board.presented.get(key)
    if memo is not None:
        return memo
    facts = []
    for card in board.models.values():
        headline = presenter.present(board, lane, card.slug)
        facts.append(
            profile.Facts(
                slug=card.slug,
                name=card.name,
                provider=card.provider,
                family=card.family,
                release_date=card.release_date,
                reasoning=card.reasoning,
                open_weights=card.open_weights,
                context_window=card.context_window,
                modalities=card.input_modalities,
                overall=float(headline.overall) if headline.overall is not None else None,
                typical_cost=pricing.request_cost(
                    card.prices, pricing.TYPICAL.input_tokens, pricing.TYPICAL.output_tokens
                ),
                categories={f.name: float(f.value) for f in headline.measured.values()},
            )
        )
    return board.presented.setdefault(key, facts)


def profile_basis(
    board: Board, lane: Lane, slug: str
) -> tuple[profile.Facts, list[profile.Facts], profile.Index]:
    """What ``profile.write_profile`` reads for ``slug``, its orders built once per board."""
    key = ("profile-index", lane)
    basis = board.presented.get(key)
    if basis is None:
        facts = profile_facts(board, lane)
        basis = board.presented[key] = ({f.slug: f for f in facts}, profile.index(facts))
    by_slug, idx = basis
    return by_slug[slug], profile_facts(board, lane), idx


def model_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_board()
    card = board.models.get(slug)
    if card is None:
        raise Http404("No such model.")
    model = LanguageModel.objects.for_detail().filter(slug=slug).first()
    day = asof.current_day.get()
    if model is None and day is None:  # unpublished since the board was built
        raise Http404("No such model.")
    # A past day's page of a model deleted or unpublished since shows that day's figures from
    # the board; its write-up and change list went with the row.
    lane = presenter.reader_lane(request.GET.get("lane"))
    headline = presenter.present(board, lane, slug)
    cells = board.cells.get(slug, {})
    categories = []
    for category in board.categories.values():
        benchmarks = [
            (bench, presenter.score_line(cells[bench.slug], card.prices))
            for bench in board.benchmarks.values()
            if bench.category == category.slug and bench.slug in cells
        ]
        figure = headline.category(category.slug)
        if benchmarks or figure is not None:
            categories.append({"category": category, "figure": figure, "benchmarks": benchmarks})
    history = []
    if model is not None:
        events = ChangeEvent.objects.for_readers().filter(model=model)
        if day is not None:  # the history as it stood then
            events = events.filter(created_at__lt=asof.end_of(day))
        history = list(events.select_related(None)[:HISTORY_LIMIT])
    prices = card.prices
    typical = [
        {
            "shape": shape,
            "cost": pricing.request_cost(prices, shape.input_tokens, shape.output_tokens),
            "cached": pricing.cached_request_cost(prices, shape.input_tokens, shape.output_tokens),
        }
        for shape in pricing.TYPICAL_REQUESTS
    ]
    return render(
        request,
        "comparisons/model_detail.html",
        {
            "board": board,
            "model": model,
            "card": card,
            "lane": lane,
            "headline": headline,
            "thresholds": presenter.thresholds(board),
            "categories": categories,
            "run_costs": any(
                line.run_cost for group in categories for _, line in group["benchmarks"]
            ),
            "history": history,
            "price_history": [e for e in history if e.kind == ChangeEvent.Kind.PRICE_CHANGED],
            "typical": typical,
            "cache_saving": pricing.cache_saving_percent(prices),
            "long_context": pricing.describe_long_context(prices),
            "confirmation_days": settings.PRICE_CONFIRMATION_DAYS,
            "scheduled": pricing.describe_scheduled(prices, timezone.localdate()),
            "context_pages": pricing.context_pages(card.context_window),
            "body": render_markdown(model.body) if model is not None else "",
            "modalities": [m for m in card.input_modalities.split("+") if m],
            "trend_charts": trends.model_charts(board, slug, lane),
            "profile": profile.write_profile(*profile_basis(board, lane, slug)),
            "rivals": [
                (board.models[other], reason) for other, reason in compare_with(board, slug, lane)
            ],
        },
    )
