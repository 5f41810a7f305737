from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from comparisons.api import leaderboard_csv
from comparisons.leaderboard import build_rows, default_direction, is_valid_sort
from comparisons.scoreboard import get_board
from comparisons.scoring import Lane


class LeaderboardForm(forms.Form):
    lane = forms.ChoiceField(
        choices=[(Lane.PROVISIONAL, "Provisional"), (Lane.VERIFIED, "Verified")], required=False
    )
    sort = forms.CharField(required=False, max_length=40)
    dir = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)


def leaderboard(request: HttpRequest) -> HttpResponse:
    board = get_board()
    form = LeaderboardForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    lane = Lane(data.get("lane") or Lane.PROVISIONAL)
    sort = data.get("sort") or "rank"
    if not is_valid_sort(board, sort):
        sort = "rank"
    direction = data.get("dir") or default_direction(sort)
    rows = build_rows(board, lane, sort, direction)
    if request.GET.get("format") == "csv":
        return leaderboard_csv(rows, board.counted_categories, lane)
    template = "comparisons/leaderboard.html"
    if request.htmx:
        template += "#leaderboard-table"
    response = render(
        request,
        template,
        {
            "board": board,
            "rows": rows,
            "lane": lane,
            "sort": sort,
            "direction": direction,
            "categories": board.counted_categories,
            "ranked_count": board.ranked_count(lane),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
