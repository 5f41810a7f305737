"""``/changes/``: every change to the catalogue between two days, newest first, fifty a page."""

from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from comparisons import asof, scoreboard
from comparisons.models import ChangeEvent
from comparisons.views.paged import HTMX_VARY, page_of

DEFAULT_DAYS = 30
COUNT_KEY = "changes:count:{version}:{since}:{until}"
COUNT_SECONDS = 24 * 3600  # a new version makes a new key; the old ones just expire


def cache_get_or_set(key: str, count: Callable[[], int]) -> int:
    """The cached count, else ``count()``, kept for the next request (the cache answers None and
    keeps nothing while Redis is away: each request then counts, as without it)."""
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, COUNT_SECONDS)
    return found


class ChangesForm(forms.Form):
    since = forms.DateField(required=False, label="Changes after the end of")
    until = forms.DateField(required=False, label="Up to the end of")

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end day must be on or after the start day.")
        return data


class Counted:
    """A query as a sequence for ``paging``: one COUNT for its length, one query per slice.

    The COUNT is kept in the cache under ``key`` (the range and the data version, which every
    catalogue write raises with its change events): an import of a whole catalogue puts hundreds
    of thousands of events in one range, and counting them again for each page and each query
    string would cost a tenth of a second a request.
    """

    def __init__(self, queryset, key: str) -> None:
        self.queryset = queryset
        self.count = cache_get_or_set(key, queryset.count)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: slice) -> list:
        return list(self.queryset[index])


def changes(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ChangesForm(request.GET)
    form.is_valid()
    data = form.cleaned_data if not form.errors else {}
    until = min(data.get("until") or today, today)
    since = data.get("since") or until - timedelta(days=DEFAULT_DAYS)
    events = (
        ChangeEvent.objects.listed()
        .filter(created_at__gte=asof.end_of(since), created_at__lt=asof.end_of(until))
        .select_related(None)
    )
    params = [("since", since.isoformat()), ("until", until.isoformat())]
    key = COUNT_KEY.format(version=scoreboard.current_version(), since=since, until=until)
    page, pager = page_of(request, Counted(events, key), params)
    template = "comparisons/changes.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#changes-list"
    response = render(
        request,
        template,
        {
            "form": form,
            "since": since,
            "until": until,
            "today": today,
            "page": page,
            "pager": pager,
            "events": page.items,
        },
        status=400 if form.errors else 200,
    )
    patch_vary_headers(response, HTMX_VARY)
    return response
