"""Pages of a long list: which rows a page shows, and the pager under it.

Pure (no request, no ORM). Every list page that grows with the catalogue (leaderboard, pricing,
benchmark and category pages) sorts and filters its whole list first, then shows one page of it,
so a page weighs the same at 37 models and at 3,700.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

PAGE_SIZE = 50  # rows per page: a screenful or two on a desktop, and well under 200 KB of HTML
WINDOW = 2  # page numbers shown on each side of the current one, besides the first and last


def parse_page(value: str | None) -> int:
    """The page a query string asks for. Anything that is not a positive whole number (``abc``,
    ``0``, ``-3``, ``2.5``) is page 1: a hand-edited link lands on the list, never on an error."""
    text = (value or "").strip()
    if not text.isdecimal():
        return 1
    return 10**9 if len(text) > 9 else max(1, int(text))  # past the end: the last page


@dataclass(frozen=True, slots=True)
class Page[T]:
    items: Sequence[T]
    number: int  # 1-based, always an existing page (1 when the list is empty)
    count: int  # rows in the whole (filtered) list
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def start(self) -> int:
        """The first row's position in the whole list, 0-based."""
        return (self.number - 1) * self.size

    @property
    def first(self) -> int:
        """The first row's position, 1-based, as the "Showing" line prints it (0 when empty)."""
        return self.start + 1 if self.count else 0

    @property
    def last(self) -> int:
        return self.start + len(self.items)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def paged(self) -> bool:
        return self.pages > 1

    def numbers(self) -> list[int | None]:
        """The page numbers the pager shows: the first, the last, and ``WINDOW`` on each side of
        the current one; None where numbers are left out (printed as an ellipsis)."""
        shown = {1, self.pages, *range(self.number - WINDOW, self.number + WINDOW + 1)}
        out: list[int | None] = []
        for n in sorted(n for n in shown if 1 <= n <= self.pages):
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out


def paginate[T](rows: Sequence[T], number: int, size: int | None = None) -> Page[T]:
    """Page ``number`` of ``rows``. A number past the end shows the last page: a link kept from
    a larger catalogue or a wider filter still shows rows, and the pager says where it is."""
    size = size or PAGE_SIZE
    pages = max(1, -(-len(rows) // size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return Page(rows[start : start + size], number, len(rows), size)


@dataclass(frozen=True, slots=True)
class PagerLink:
    number: int | None  # None: an ellipsis
    url: str
    current: bool


@dataclass(frozen=True, slots=True)
class Pager:
    """The pager's links, built by the view (it knows how its URLs keep the reader's state)."""

    page: Page
    links: tuple[PagerLink, ...]
    previous_url: str
    next_url: str


def pager(page: Page, url_for: Callable[[int], str]) -> Pager:
    links = tuple(PagerLink(n, url_for(n) if n else "", n == page.number) for n in page.numbers())
    return Pager(
        page,
        links,
        url_for(page.number - 1) if page.has_previous else "",
        url_for(page.number + 1) if page.has_next else "",
    )
