"""The scoreboard: every derived figure of the catalogue, computed once per data version.

Pages read a ``Board`` (plain dataclasses, no model instances) instead of querying: it holds the
published models, the benchmark matrix with sources, and both lanes' standings and ranks. It is
built with a fixed number of queries, stored in the cache under the current data version, and
kept in process memory too, so a warm request costs one cache read of the version number.

Any catalogue write bumps the version (``comparisons.changes``), so the next request rebuilds.
When the cache is unreachable the board is simply computed from the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, transaction

from benchlm.cache import raise_to
from comparisons import pricing, scoring
from comparisons.scoring import Lane

logger = logging.getLogger(__name__)

VERSION_KEY = "catalogue:version"
BOARD_KEY = "catalogue:board:{version}"


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    slug: str
    name: str
    label: str
    weight: float
    order: int
    description: str


@dataclass(frozen=True, slots=True)
class BenchmarkInfo:
    slug: str
    name: str
    category: str
    weight: float
    description: str
    url: str

    @property
    def counted(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True, slots=True)
class ScoreCell:
    value: float
    verified: bool
    as_of: date | None
    source_url: str
    note: str


@dataclass(frozen=True, slots=True)
class ModelCard:
    """What listing and comparison pages show about a model."""

    slug: str
    name: str
    provider: str
    provider_slug: str
    family: str
    family_slug: str
    release_date: date | None
    reasoning: bool
    open_weights: bool
    context_window: int | None
    max_output_tokens: int | None
    prices: pricing.Prices
    output_speed: float | None
    ttft: float | None
    knowledge_cutoff: str
    input_modalities: str
    parameters: str
    last_updated: datetime
    price_confirmed_at: datetime | None = None  # by the price feed or an editor
    variant_note: str = ""  # what exactly the figures describe; never part of the name


@dataclass
class Board:
    version: int
    thresholds: scoring.Thresholds
    categories: dict[str, CategoryInfo]
    benchmarks: dict[str, BenchmarkInfo]
    models: dict[str, ModelCard]
    cells: dict[str, dict[str, ScoreCell]]
    standings: dict[Lane, dict[str, scoring.Standing]] = field(default_factory=dict)
    reports: dict[Lane, scoring.FitReport] = field(default_factory=dict)
    # Displayed figures, built per model on first use (comparisons.presenter); never pickled
    # with content, since the board is cached right after it is built.
    presented: dict = field(default_factory=dict)

    @cached_property
    def scoring_categories(self) -> list[scoring.Category]:
        return [
            scoring.Category(c.slug, c.name, c.weight, c.order) for c in self.categories.values()
        ]

    @cached_property
    def scoring_benchmarks(self) -> list[scoring.Benchmark]:
        return [
            scoring.Benchmark(b.slug, b.name, b.category, b.weight)
            for b in self.benchmarks.values()
        ]

    @cached_property
    def counted_categories(self) -> list[CategoryInfo]:
        """Categories with at least one counted benchmark: the columns worth a reader's space."""
        used = {b.category for b in self.benchmarks.values() if b.counted}
        return [c for c in self.categories.values() if c.slug in used]

    def live_categories(self, lane: Lane) -> list[CategoryInfo]:
        """Categories that carry weight in ``lane``: weight above 0 and a counted benchmark with a
        score there. Only these enter an overall, and only these have a share of it."""
        return [self.categories[slug] for slug in self._live[lane]]

    @cached_property
    def _live(self) -> dict[Lane, list[str]]:
        scored: dict[Lane, set[str]] = {lane: set() for lane in Lane}
        for model, row in self.cells.items():
            if model not in self.models:
                continue
            for bench, cell in row.items():
                info = self.benchmarks.get(bench)
                if info is None or not info.counted:
                    continue
                scored[Lane.PROVISIONAL].add(info.category)
                if cell.verified:
                    scored[Lane.VERIFIED].add(info.category)
        return {
            lane: [c.slug for c in self.categories.values() if c.slug in found and c.weight > 0]
            for lane, found in scored.items()
        }

    @cached_property
    def providers(self) -> list[tuple[str, str]]:
        """(slug, name) of every provider with a published model, by slug: the filter choices."""
        return sorted({(c.provider_slug, c.provider) for c in self.models.values()})

    @cached_property
    def figures_changed(self) -> datetime | None:
        """When the newest model or score change was saved: what "last changed" reports."""
        return max((c.last_updated for c in self.models.values()), default=None)

    @cached_property
    def newest_score(self) -> date | None:
        """The latest "as of" date of any published score."""
        dates = [cell.as_of for row in self.cells.values() for cell in row.values() if cell.as_of]
        return max(dates, default=None)

    def values(self, slug: str) -> dict[str, float]:
        return {bench: cell.value for bench, cell in self.cells.get(slug, {}).items()}

    def standing(self, slug: str, lane: Lane) -> scoring.Standing:
        return self.standings[lane][slug]

    def ranked_count(self, lane: Lane) -> int:
        return self._ranked_counts[lane]

    @cached_property
    def _ranked_counts(self) -> dict[Lane, int]:
        return {
            lane: sum(1 for s in standings.values() if s.rank is not None)
            for lane, standings in self.standings.items()
        }


def card_prices(m) -> pricing.Prices:
    """A ``LanguageModel``'s price list as the pure pricing functions take it."""
    tier = None
    if m.long_context_threshold is not None:
        tier = pricing.LongContextTier(
            threshold=m.long_context_threshold,
            input=_float(m.long_context_input_price),
            output=_float(m.long_context_output_price),
            cached_input=_float(m.long_context_cached_input_price),
        )
    scheduled = None
    if m.scheduled_price_date is not None:
        scheduled = pricing.ScheduledPrices(
            starts_on=m.scheduled_price_date,
            input=_float(m.scheduled_input_price),
            output=_float(m.scheduled_output_price),
        )
    return pricing.Prices(
        input=_float(m.input_price),
        output=_float(m.output_price),
        cached_input=_float(m.cached_input_price),
        batch_input=_float(m.batch_input_price),
        batch_output=_float(m.batch_output_price),
        cache_write=_float(m.cache_write_price),
        long_context=tier,
        scheduled=scheduled,
    )


def build_board(version: int) -> Board:
    """Load the catalogue in five queries and compute both lanes."""
    from comparisons.models import (
        Benchmark,
        Category,
        LanguageModel,
        MethodologySettings,
        Score,
    )

    methodology = MethodologySettings.load()
    thresholds = scoring.Thresholds(
        category_share=methodology.category_share / 100,
        ranking_coverage=methodology.ranking_coverage / 100,
    )
    categories = {
        c.slug: CategoryInfo(c.slug, c.name, c.label, float(c.weight), c.order, c.description)
        for c in Category.objects.all()
    }
    benchmarks = {
        b.slug: BenchmarkInfo(
            b.slug, b.name, b.category.slug, float(b.weight), b.description, b.url
        )
        for b in Benchmark.objects.select_related("category")
    }
    cells: dict[str, dict[str, ScoreCell]] = {}
    latest: dict[str, datetime] = {}
    for (
        model,
        bench,
        value,
        verified,
        as_of,
        source,
        note,
        updated,
    ) in Score.objects.for_scoreboard():
        cells.setdefault(model, {})[bench] = ScoreCell(float(value), verified, as_of, source, note)
        if model not in latest or updated > latest[model]:
            latest[model] = updated
    models = {}
    for m in LanguageModel.objects.for_scoreboard():
        models[m.slug] = ModelCard(
            slug=m.slug,
            name=m.name,
            provider=m.provider.name,
            provider_slug=m.provider.slug,
            family=m.family.name if m.family else "",
            family_slug=m.family.slug if m.family else "",
            release_date=m.release_date,
            reasoning=m.reasoning,
            open_weights=m.open_weights,
            context_window=m.context_window,
            max_output_tokens=m.max_output_tokens,
            prices=card_prices(m),
            output_speed=m.output_speed,
            ttft=m.ttft,
            knowledge_cutoff=m.knowledge_cutoff,
            input_modalities=m.input_modalities,
            parameters=m.parameters,
            price_confirmed_at=m.price_confirmed_at,
            variant_note=m.variant_note,
            last_updated=max(m.updated_at, latest.get(m.slug, m.updated_at)),
        )
    board = Board(version, thresholds, categories, benchmarks, models, cells)
    scores = [
        scoring.Score(model, bench, cell.value, cell.verified)
        for model, row in cells.items()
        if model in models
        for bench, cell in row.items()
    ]
    reasoning = {slug: card.reasoning for slug, card in models.items()}
    for lane in Lane:
        result = scoring.score_lane(
            models.keys(),
            scores,
            board.scoring_categories,
            board.scoring_benchmarks,
            thresholds,
            lane,
            reasoning,
        )
        board.standings[lane], board.reports[lane] = result.standings, result.report
    return board


# --- versioning -----------------------------------------------------------------------------
#
# PostgreSQL holds the data version (``DataVersion``), raised in the transaction of every edit;
# Redis holds a copy that every request reads (one GET, no SQL). The copy is published after
# each commit, raised and never lowered (``benchlm.cache.raise_to``), and lives VERSION_TTL
# seconds, after which the next reader copies it from the database again. A process that saw
# Redis fail (a read that could not reach it, or a publish that was dropped) reads the database
# and republishes as soon as Redis answers, so an edit made during an outage shows on the first
# request after Redis is back; while Redis is away every request reads the version from the
# database (one primary-key query) and the scoreboard is rebuilt only when it changed.

VERSION_TTL = 60  # seconds


class _Local(threading.local):
    uncommitted: int | None = None  # the version this thread's open transaction wrote
    batching: bool = False  # inside one_bump(): writes are noted, the version is raised once
    wrote: bool = False


_local = _Local()
_resync = False  # Redis may hold a stale version: read the database before trusting it


def stored_version() -> int:
    """The committed data version (or this transaction's own), read from the database."""
    from comparisons.models import DataVersion

    return DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def raise_stored_version() -> int:
    """Raise the database's data version inside the caller's transaction; the new number.

    It becomes visible with the edit that caused it and is rolled back with it.
    """
    from comparisons.models import DataVersion

    table = connection.ops.quote_name(DataVersion._meta.db_table)
    larger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    now = time.time_ns()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET version = {larger}(version + 1, %s) WHERE id = 1 "  # noqa: S608
            "RETURNING version",
            [now],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    with transaction.atomic():
        DataVersion.objects.get_or_create(pk=1, defaults={"version": now})
    return raise_stored_version()


def _publish(version: int | None = None) -> int | None:
    """Copy the database's version to the cache; what the cache then holds, None if down."""
    global _resync
    if version is None:
        version = stored_version()
    held = raise_to(caches["default"], VERSION_KEY, version, VERSION_TTL)
    if held is None:
        _resync = True
        return None
    _resync = False
    return max(held, version)


def _after_commit() -> None:
    _local.uncommitted = None
    _memo.clear()
    version = _publish()
    if version is not None and builds_in_background():
        request_build(version)  # one worker builds the new board for every process


def _writing() -> bool:
    """Whether this thread's open transaction has raised the version (and not yet committed)."""
    conn = transaction.get_connection()
    return (
        _local.uncommitted is not None
        and conn.in_atomic_block
        and any(entry[1] is _after_commit for entry in conn.run_on_commit)
    )


def bump_data_version() -> int | None:
    """Record a catalogue write: a new version in the database, in the write's transaction.

    Inside the transaction this thread reads its own edit (its scoreboard is built under the
    uncommitted number and kept out of the shared cache); other processes see the new version
    once it is committed and published.
    """
    if _local.batching:
        _local.wrote = True
        return None
    writing = _writing()
    version = _local.uncommitted = raise_stored_version()
    _memo.clear()
    if not writing:
        transaction.on_commit(_after_commit)
    return version


@contextmanager
def one_bump() -> Iterator[None]:
    """Writes inside the block raise the data version once, as it ends, and only if one was
    made; a block that raises (a rollback, a dry run) raises none and invalidates nothing.

    For bulk writes (the importer): one version, one scoreboard rebuild, one publish.
    """
    if _local.batching:  # nested: the outer block bumps
        yield
        return
    _local.batching, _local.wrote = True, False
    try:
        yield
    finally:
        _local.batching = False
    if _local.wrote:
        bump_data_version()


def current_version() -> int:
    """The data version a page is built from: the cached copy, else the database's."""
    if _writing():
        return _local.uncommitted
    version = cache.get(VERSION_KEY)
    if version is not None and not _resync:
        return version
    if not getattr(caches["default"], "available", True):
        return _unreachable()
    published = _publish()
    return published if published is not None else _unreachable()


def _unreachable() -> int:
    global _resync
    _resync = True
    return stored_version()


def data_version() -> int:
    """Kept for callers that only want the number."""
    return current_version()


_memo: dict[str, Board] = {}


LATEST_KEY = "catalogue:board:latest"  # the version of the newest board in the cache
BUILDING_KEY = "catalogue:building:{version}"  # held while one process builds that version
BUILD_LOCK_SECONDS = 120
BUILD_GRACE_SECONDS = 30  # a queued build not done by then is built by the next request


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("cache unavailable while reading the scoreboard", exc_info=True)
        return None


def store_board(board: Board) -> None:
    """Share a freshly built board with every process, and mark it the newest."""
    try:
        cache.set(BOARD_KEY.format(version=board.version), board, settings.SCOREBOARD_TIMEOUT)
        cache.set(LATEST_KEY, board.version, settings.SCOREBOARD_TIMEOUT)
    except Exception:
        logger.warning("cache unavailable while storing the scoreboard", exc_info=True)


def build_and_store(version: int) -> Board:
    board = build_board(version)
    store_board(board)
    return board


def builds_in_background() -> bool:
    """Whether a worker builds new boards (production) or the request does (embedded mode)."""
    from benchlm.celery import app

    return not app.conf.task_always_eager


def request_build(version: int) -> bool:
    """Queue one build of ``version`` for all processes; False when the caller should build.

    That is when the task cannot be queued, when the cache is away (no lock to share), and when
    a build queued ``BUILD_GRACE_SECONDS`` ago has still not landed: no worker is taking it, so
    readers must not wait for it longer than that.
    """
    from comparisons.tasks import build_scoreboard

    key = BUILDING_KEY.format(version=version)
    try:
        if cache.add(key, time.time(), BUILD_LOCK_SECONDS):
            build_scoreboard.delay(version)
            return True
        if not getattr(caches["default"], "available", True):
            return False
        queued_at = cache.get(key)
        return queued_at is None or time.time() - queued_at < BUILD_GRACE_SECONDS
    except Exception:
        logger.warning("could not queue a scoreboard build", exc_info=True)
        return False


def get_board() -> Board:
    """The board of the current data version, built once per version for all processes.

    In production a new version is built by a worker (``comparisons.tasks.build_scoreboard``),
    since fitting the capability model is no work for a reader's request: until it lands,
    readers get the newest board there is. Only a process with no board at all, or the embedded
    mode without a worker, builds one itself.
    """
    version = current_version()
    board = _memo.get("board")
    if board is not None and board.version == version:
        return board
    if _writing():  # built from uncommitted rows: for this transaction's eyes only
        board = _memo["board"] = build_board(version)
        return board
    current = _cache_get(BOARD_KEY.format(version=version))
    if current is not None:
        _memo["board"] = current
        return current
    if builds_in_background():
        stale = board
        if stale is None and (latest := _cache_get(LATEST_KEY)) is not None:
            stale = _cache_get(BOARD_KEY.format(version=latest))
        if stale is not None and request_build(version):
            return stale
    board = _memo["board"] = build_and_store(version)
    return board
