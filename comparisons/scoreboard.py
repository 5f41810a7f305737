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
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.cache import cache

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
            prices=pricing.Prices(
                input=_float(m.input_price),
                output=_float(m.output_price),
                cached_input=_float(m.cached_input_price),
                batch_input=_float(m.batch_input_price),
                batch_output=_float(m.batch_output_price),
            ),
            output_speed=m.output_speed,
            ttft=m.ttft,
            knowledge_cutoff=m.knowledge_cutoff,
            input_modalities=m.input_modalities,
            parameters=m.parameters,
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


def data_version() -> int | None:
    """The current data version, or None when the cache cannot be reached.

    A missing version starts from the clock in nanoseconds, so it can never land on a number
    an older, still cached board was stored under.
    """
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
        return version
    except Exception:  # the cache backend is down: serve from the database
        logger.warning("cache unavailable while reading the data version", exc_info=True)
        return None


def bump_data_version() -> None:
    """Start a new data version; with a worker, have the new board built at once."""
    version = None
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.warning("cache unavailable while bumping the data version", exc_info=True)
    _memo.clear()
    if version is not None and builds_in_background():
        request_build(version)


_memo: dict[str, Board] = {}

# Without the shared cache no process can tell another about an edit. Rather than rebuild the
# scoreboard on every request, each process then rebuilds it every DEGRADED_TTL seconds: pages
# are at most that old while Redis is away (this process's own edits show at once).
DEGRADED_TTL = 10.0


def current_version() -> int:
    """The shared data version; without the cache, a local epoch (negative) that ticks."""
    version = data_version()
    if version is None:
        return -int(time.monotonic() // DEGRADED_TTL) - 1
    return version


LATEST_KEY = "catalogue:board:latest"  # the version of the newest board in the cache
BUILDING_KEY = "catalogue:building:{version}"  # held while one process builds that version
BUILD_LOCK_SECONDS = 120


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
    """Queue one build of ``version`` for all processes; False when it could not be queued."""
    from comparisons.tasks import build_scoreboard

    try:
        if not cache.add(BUILDING_KEY.format(version=version), 1, BUILD_LOCK_SECONDS):
            return True  # another process has queued it already
        build_scoreboard.delay(version)
        return True
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
    if version < 0:
        if board is None or board.version != version:
            board = _memo["board"] = build_board(version)
        return board
    if board is not None and board.version == version:
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
