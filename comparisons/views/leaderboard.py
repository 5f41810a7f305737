from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import push_url

from comparisons import asof, past, presenter
from comparisons.api import leaderboard_csv
from comparisons.leaderboard import (
    Filters,
    Row,
    default_direction,
    filtered_rows,
    is_valid_sort,
)
from comparisons.scoreboard import Board, get_board
from comparisons.scoring import Lane
from comparisons.views.paged import HTMX_VARY, canonical_query, page_of, rendered_row
from comparisons.views.paged import page_url as pager_url
from comparisons.widgets import LongSelect, provider_choices

YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class LeaderboardForm(forms.Form):
    """The query string of the leaderboard. Invalid fields are reported and ignored."""

    q = forms.CharField(required=False, max_length=80, label="Search")
    provider = forms.ChoiceField(required=False, widget=LongSelect)
    category = forms.ChoiceField(required=False, label="Has a score in")
    open_weights = forms.ChoiceField(choices=YES_NO, required=False, label="Open weights")
    reasoning = forms.ChoiceField(choices=YES_NO, required=False, label="Reasoning")
    max_price = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=100_000,
        max_digits=10,
        decimal_places=4,
        label="Max output price ($/1M)",
    )
    lane = forms.ChoiceField(
        choices=[(Lane.PROVISIONAL, "Provisional"), (Lane.VERIFIED, "Verified")], required=False
    )
    sort = forms.CharField(required=False, max_length=40)
    dir = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = provider_choices(board)
        self.fields["category"].choices = [("", "Any category")] + [
            (c.slug, c.name) for c in board.counted_categories
        ]

    def filters(self) -> Filters:
        data = self.cleaned_data
        flag = {"yes": True, "no": False}
        return Filters(
            q=data.get("q") or "",
            provider=data.get("provider") or "",
            category=data.get("category") or "",
            open_weights=flag.get(data.get("open_weights") or ""),
            reasoning=flag.get(data.get("reasoning") or ""),
            max_price=float(data["max_price"]) if data.get("max_price") is not None else None,
        )


def row_html(board: Board, lane: Lane, row: Row, categories: list) -> str:
    """A model's row of the table: its figures in the lane, once per board and lane."""
    query = presenter.lane_query(lane)
    return rendered_row(
        board,
        ("leaderboard-row", lane, query, row.model.slug),
        ROW_TEMPLATE,
        lambda: {
            "row": row,
            # The category columns looked up here, once, not by a filter per cell.
            "figures": [(c.label, row.headline.category(c.slug)) for c in categories],
            "lane_query": query,
        },
    )


ROW_TEMPLATE = "comparisons/leaderboard.html#leaderboard-row"


def leaderboard(request: HttpRequest) -> HttpResponse:
    board = get_board()
    form = LeaderboardForm(request.GET, board=board)
    form.is_valid()  # cleaned_data keeps the valid fields; errors are shown next to the others
    data = form.cleaned_data
    lane = Lane(data.get("lane") or Lane.PROVISIONAL)
    sort = data.get("sort") or "rank"
    if not is_valid_sort(board, sort):
        sort = "rank"
    direction = data.get("dir") or default_direction(sort)
    filters = form.filters()
    rows = filtered_rows(board, lane, sort, direction, filters)
    categories = board.live_categories(lane)
    if request.GET.get("format") == "csv":  # the whole view, every page of it
        return leaderboard_csv(rows, categories, lane)
    # The tidy form of the state: no empty fields, no defaults; pager links and the address bar.
    defaults = {"lane": Lane.PROVISIONAL, "sort": "rank", "dir": default_direction(sort)}
    params = [
        (key, value)
        for key, value in request.GET.items()
        if value and defaults.get(key) != value and (key in form.fields or key == asof.PARAM)
    ]
    page, pager = page_of(request, rows, params)
    template = "comparisons/leaderboard.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#leaderboard-table"
    response = render(
        request,
        template,
        {
            "board": board,
            "form": form,
            "filters": filters,
            "rows": [(row, row_html(board, lane, row, categories)) for row in page.items],
            "page": page,
            "pager": pager,
            "canonical_query": canonical_query(page),
            "total": len(board.models),
            "lane": lane,
            "sort": sort,
            "direction": direction,
            "categories": categories,
            "ranked_count": board.ranked_count(lane),
            "thresholds": presenter.thresholds(board),
            "history": past.picker_bounds(),
        },
    )
    patch_vary_headers(response, HTMX_VARY)
    if request.htmx:
        # The address bar gets the tidy state and the page actually shown.
        response = push_url(response, pager_url(request, page.number, params))
    return response
