"""The page of a list a request asks for, with pager links that keep every other parameter."""

from collections.abc import Callable, Sequence

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.http import urlencode

from comparisons import paging
from comparisons.scoreboard import Board

# What an htmx page varies on. A pager link's URL is the URL it pushes, so a browser going Back
# could otherwise answer the history restore with the fragment from its own cache (allowed by
# stale-while-revalidate) and show a page without its header and filters.
HTMX_VARY = ["HX-Request", "HX-History-Restore-Request"]


def page_url(
    request: HttpRequest, number: int, params: Sequence[tuple[str, str]] | None = None
) -> str:
    """The list's URL on page ``number``: the reader's other parameters as they are (``params``
    when the view tidies them), ``page`` replaced; page 1 carries no ``page`` at all."""
    kept = [
        (key, value)
        for key, value in (request.GET.items() if params is None else params)
        if key != "page"
    ]
    if number > 1:
        kept.append(("page", str(number)))
    return f"{request.path}?{urlencode(kept)}" if kept else request.path


def page_of(
    request: HttpRequest, rows: Sequence, params: Sequence[tuple[str, str]] | None = None
) -> tuple[paging.Page, paging.Pager]:
    """The page of ``rows`` the query string asks for (clamped to the last one), and its pager."""
    page = paging.paginate(rows, paging.parse_page(request.GET.get("page")))
    return page, paging.pager(page, lambda n: page_url(request, n, params))


def canonical_query(page: paging.Page) -> str:
    """What a page's canonical link adds to its path: a later page is content of its own."""
    return f"?page={page.number}" if page.number > 1 else ""


def rendered_row(board: Board, key: tuple, template: str, context: Callable[[], dict]) -> str:
    """``template`` rendered with ``context()`` once per board and process, kept under ``key``.

    For table rows that depend on the board alone (and on what ``key`` names: the lane and day
    their links keep), never on the filters, sort or page around them: every view of a table
    shares them. Rendering fifty rows through the template was most of a list page's cost."""
    html = board.presented.get(key)
    if html is None:
        html = board.presented[key] = render_to_string(template, context())
    return html
