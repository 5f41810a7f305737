"""The scoreboard: every derived figure of the catalogue, computed once per data version.

Pages read a ``Board`` (plain dataclasses, no model instances) instead of querying: it holds the
published models, the benchmark matrix with sources, and both lanes' standings and ranks. It is
built with a fixed number of queries, stored in the cache under the current data version, and
kept in process memory too, so a warm request costs one cache read of the version number.

Any catalogue write bumps the version (``comparisons.changes``), so the next request rebuilds.
When the cache is unreachable the board is simply computed from the database.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cached_property, lru_cache
from operator import itemgetter
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np
import psycopg
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.db.models import DateTimeField, F, FloatField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Mod
from numpy.typing import NDArray
from psycopg import sql
from threadpoolctl import ThreadpoolController

from benchlm.cache import raise_to
from comparisons import asof, capability, pricing, scoring
from comparisons.cells import Cells, Figures, Measured, ScoreCell
from comparisons.scoring import Lane

logger = logging.getLogger(__name__)

VERSION_KEY = "catalogue:version"
# The format tag changes whenever the layout of a pickled board does (v2: cells kept as rows
# and made per model), so a process of a new release never reads an older release's board.
BOARD_KEY = "catalogue:board:v2:{version}"
SIDE_BY_SIDE_SCORES = 50_000  # from this many scores the two lanes are fitted in two threads


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
    cells: Mapping[str, Mapping[str, ScoreCell]]  # model slug -> benchmark slug -> cell
    standings: dict[Lane, dict[str, scoring.Standing]] = field(default_factory=dict)
    reports: dict[Lane, scoring.FitReport] = field(default_factory=dict)
    # What the next version starts from: each lane's fit (warm start, incremental update, the
    # background check), every score as arrays, and database ids to positions.
    fits: dict[Lane, scoring.LaneFit] = field(default_factory=dict)
    scores: scoring.ScoreArrays | None = None
    model_ids: dict[int, str] = field(default_factory=dict)  # LanguageModel pk -> slug
    benchmark_ids: dict[int, int] = field(default_factory=dict)  # Benchmark pk -> position
    # How the figures were fitted: "full" (every parameter, from cold), "warm" (every parameter,
    # from the previous version's), "incremental" (only the edited models' capabilities, the
    # rest kept from the previous version until the full refit replaces it), "quick" (a cold
    # start's first board, its fit stopped at QUICK_ROUNDS before it settled: the same).
    fit_kind: str = "full"
    seconds: float = 0.0  # time to build, database load included
    # Displayed figures, built per model on first use (comparisons.presenter); never pickled
    # with content, since the board is cached right after it is built.
    presented: dict = field(default_factory=dict)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["presented"] = {}  # made again by each process that reads the board
        return state

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
        infos = list(self.benchmarks.values())
        for lane, counts in self.score_counts.items():
            scored[lane] = {
                info.category for info, n in zip(infos, counts, strict=True) if n and info.counted
            }
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
        if isinstance(self.cells, Cells):
            return self.cells.newest()
        dates = [cell.as_of for row in self.cells.values() for cell in row.values() if cell.as_of]
        return max(dates, default=None)

    @cached_property
    def score_counts(self) -> dict[Lane, list[int]]:
        """How many published scores each benchmark has, in the benchmarks' order, per lane
        (the verified lane counts verified scores only)."""
        n = len(self.benchmarks)
        if self.scores is None:
            return {lane: [0] * n for lane in Lane}
        bench, verified = self.scores.benchmark, self.scores.verified
        return {
            Lane.PROVISIONAL: np.bincount(bench, minlength=n).tolist(),
            Lane.VERIFIED: np.bincount(bench[verified], minlength=n).tolist(),
        }

    def benchmark_cells(self, slug: str) -> list[tuple[str, ScoreCell]]:
        """(model slug, cell) of every published score on one benchmark."""
        if isinstance(self.cells, Cells):
            return self.cells.of_benchmark(list(self.benchmarks).index(slug))
        return [(model, row[slug]) for model, row in self.cells.items() if slug in row]

    def values(self, slug: str) -> dict[str, float]:
        return {bench: m.value for bench, m in self.measured(slug).items()}

    def measured(self, slug: str) -> dict[str, Measured]:
        """Benchmark slug -> value and verified flag of each of the model's scores: what needs
        no date or source reads none."""
        if isinstance(self.cells, Cells):
            return self.cells.measured(slug)
        return {b: Measured(c.value, c.verified) for b, c in self.cells.get(slug, {}).items()}

    def load_cells(self, slugs: list[str]) -> None:
        """Make the cells of the models ``slugs`` together: one read of their details, not one
        per model."""
        if isinstance(self.cells, Cells):
            self.cells.load(slugs)

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


def _thresholds() -> scoring.Thresholds:
    from comparisons.models import MethodologySettings

    methodology = MethodologySettings.load()
    return scoring.Thresholds(
        category_share=methodology.category_share / 100,
        ranking_coverage=methodology.ranking_coverage / 100,
    )


# A model's fields a card is made of besides its price terms (``models.PRICE_TERMS``), read as
# plain values (``_cards``).
CARD_FIELDS = (
    "slug",
    "name",
    "release_date",
    "reasoning",
    "open_weights",
    "context_window",
    "max_output_tokens",
    "output_speed",
    "ttft",
    "knowledge_cutoff",
    "input_modalities",
    "parameters",
    "price_confirmed_at",
    "variant_note",
    "updated_at",
    "published",
)


def _cards(models, newest: bool = True) -> dict[int, tuple[ModelCard, bool]]:
    """pk -> (card, published) of every model of the queryset ``models``, in its order.

    Read as plain values, not model instances: making 3,700 instances (every column, every
    price a Decimal) took 150 ms of each build; their values take 20. ``newest=False`` leaves
    the newest score's time out of ``last_updated`` (the caller brings it: ``_with_saves``).
    """
    from comparisons.models import PRICE_TERMS

    rows = (
        _with_latest_score(models)
        if newest
        else models.annotate(latest_score=Value(None, DateTimeField()))
    )
    rows = rows.values(
        "pk",
        *CARD_FIELDS,
        *PRICE_TERMS,
        "latest_score",
        provider_name=F("provider__name"),
        provider_slug=F("provider__slug"),
        family_name=F("family__name"),
        family_slug=F("family__slug"),
    )
    found = {}
    for row in rows:
        m = SimpleNamespace(**row)
        found[m.pk] = (_card(m, m.latest_score), m.published)
    return found


def _card(m, latest: datetime | None) -> ModelCard:
    """The card of ``m``: any object with the attributes ``CARD_FIELDS`` and ``PRICE_TERMS``
    name, and ``provider_name``, ``provider_slug``, ``family_name`` and ``family_slug``."""
    return ModelCard(
        slug=m.slug,
        name=m.name,
        provider=m.provider_name,
        provider_slug=m.provider_slug,
        family=m.family_name or "",
        family_slug=m.family_slug or "",
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
        last_updated=m.updated_at if latest is None else max(m.updated_at, latest),
    )


# What a page shows beside each figure: a score's cell fields after its value and verified flag.
CELL_DETAILS = ("as_of", "source_url", "note", "run_input_tokens", "run_output_tokens", "run_tasks")
DETAIL_FIELDS = ("model_id", "benchmark_id", *CELL_DETAILS)


def _score_rows(models: list[int]) -> list[tuple]:
    """The published scores of the models with the ids ``models`` (an edit's, for the
    incremental board) as (model id, benchmark id, value, verified, then ``CELL_DETAILS``)."""
    from comparisons.models import Score

    rows = Score.objects.filter(model__published=True, model_id__in=models).order_by()
    return list(
        rows.annotate(number=Cast("value", FloatField())).values_list(
            "model_id", "benchmark_id", "number", "verified", *CELL_DETAILS
        )
    )


def score_details(models: Sequence[int] | None, benchmark: int | None) -> list[tuple]:
    """The scores of the models with the ids ``models``, or of the benchmark ``benchmark``, as
    (model id, benchmark id, as of, source, note, run input tokens, run output tokens, run
    tasks): what a page shows beside each figure, read for the models it shows (``Cells``).
    A score published after the board was built is left out by the board's own figures."""
    from comparisons.models import Score

    rows = Score.objects.order_by()
    if models is not None:
        rows = rows.filter(model_id__in=list(models))
    if benchmark is not None:
        rows = rows.filter(benchmark_id=benchmark)
    return list(rows.values_list(*DETAIL_FIELDS))


SAVED_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # PostgreSQL's: ``ScoreTable.saved`` counts from it
MICROSECOND = timedelta(microseconds=1)


class ScoreTable(NamedTuple):
    """Every published score's figure as columns, by database id: what a board is fitted from."""

    model: NDArray[np.int64]
    benchmark: NDArray[np.int64]
    value: NDArray[np.float64]
    verified: NDArray[np.bool_]
    newest: date | None  # the latest "as of" date of any of them
    saved: NDArray[np.int64]  # when each was last saved: microseconds since 2000-01-01 UTC


def _array(data: bytes | memoryview | None, kind: str) -> np.ndarray:
    """A one-dimensional array without nulls in PostgreSQL's binary form (``array_send``): a
    header, then each element as its length and its big-endian bytes."""
    native = np.dtype(kind).newbyteorder("=")
    if data is None:
        return np.zeros(0, dtype=native)
    data = bytes(data)
    dimensions = int.from_bytes(data[:4], "big")
    if not dimensions:
        return np.zeros(0, dtype=native)
    elements = np.dtype([("length", ">i4"), ("value", kind)])
    return np.frombuffer(data, dtype=elements, offset=12 + 8 * dimensions)["value"].astype(native)


def _score_table(part: int = 0, parts: int = 1, pages: int = 0) -> ScoreTable:
    """Every published score's figure, in one query; with ``parts``, those of part ``part``.

    On PostgreSQL each column comes back as one array, in binary form that numpy reads in
    place: no Python object per score, which at 440,000 scores cost more than the query (as
    tuples, then as arrays, then in the garbage collector's passes over them). A part there
    is a range of the table's ``pages`` (its size when the parts' shared snapshot was taken,
    ``_export_snapshot``), read by a TID range scan: each part reads its own pages, not the
    whole table to keep one row in ``parts``. The last part reads to the table's end, so a
    row stored past ``pages`` is read all the same. Elsewhere a part is the models whose id
    is ``part`` modulo ``parts``."""
    from comparisons.models import Score

    if connection.vendor != "postgresql":
        published = Score.objects.filter(model__published=True).order_by()
        if parts > 1:
            published = published.annotate(part=Mod("model_id", parts)).filter(part=part)
        return _table_of_rows(published)
    first, last = pages * part // parts, pages * (part + 1) // parts
    bounds = [f"({first},0)"] if part else []
    if part < parts - 1:
        bounds.append(f"({last},0)")
    with _binary_cursor() as cursor:
        cursor.execute(_figures_query(bool(part), part < parts - 1), bounds)
        model, benchmark, hundredths, verified, newest, saved = cursor.fetchone()
    return ScoreTable(
        _array(model, ">i8"),
        _array(benchmark, ">i8"),
        _array(hundredths, ">i4") / 100,
        _array(verified, "?"),
        newest,
        _array(saved, ">i8"),  # a timestamp's binary form: microseconds since 2000-01-01 UTC
    )


def _binary_cursor():
    """A cursor of the default connection that reads results in binary form. Django's reads
    them as text, where each array is twice its size in hexadecimal digits: decoding them
    took a quarter of the query's time. Wrapped as Django wraps its own, so the query is
    logged and counted like any other."""
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    raw.format = psycopg.pq.Format.BINARY
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


@lru_cache(maxsize=4)
def _figures_query(from_page: bool = False, to_page: bool = False) -> str:
    """The figures of the published scores as arrays. Values in hundredths, as integers: the
    column holds two decimal places, so each is exact, and hundredths / 100 is the float
    nearest the decimal, as float(value) is (the database turns a decimal into a float by
    way of its text: a third of the query's time at 3,700 models)."""
    from comparisons.models import LanguageModel, Score

    query = sql.SQL(
        "SELECT array_send(array_agg(s.model_id)), array_send(array_agg(s.benchmark_id)), "
        "array_send(array_agg((s.value * 100)::integer)), array_send(array_agg(s.verified)), "
        "max(s.as_of), array_send(array_agg(s.updated_at)) "
        "FROM {scores} s JOIN {models} m ON m.id = s.model_id WHERE m.published"
    ).format(
        scores=sql.Identifier(Score._meta.db_table),
        models=sql.Identifier(LanguageModel._meta.db_table),
    )
    if from_page:
        query += sql.SQL(" AND s.ctid >= %s::tid")
    if to_page:
        query += sql.SQL(" AND s.ctid < %s::tid")
    return query.as_string()


def _table_of_rows(scores) -> ScoreTable:
    """The figures of the queryset ``scores``, read row by row (SQLite has no arrays)."""
    rows = scores.annotate(number=Cast("value", FloatField())).values_list(
        "model_id", "benchmark_id", "number", "verified", "as_of", "updated_at"
    )
    columns = list(zip(*rows, strict=True)) or [(), (), (), (), (), ()]
    return ScoreTable(
        np.array(columns[0], dtype=np.int64),
        np.array(columns[1], dtype=np.int64),
        np.array(columns[2], dtype=float),
        np.array(columns[3], dtype=bool),
        max(filter(None, columns[4]), default=None),
        np.array([(at - SAVED_EPOCH) // MICROSECOND for at in columns[5]], dtype=np.int64),
    )


def _joined(tables: list[ScoreTable]) -> ScoreTable:
    arrays = ("model", "benchmark", "value", "verified", "saved")
    joined = {name: np.concatenate([getattr(t, name) for t in tables]) for name in arrays}
    newest = max((t.newest for t in tables if t.newest is not None), default=None)
    return ScoreTable(**joined, newest=newest)


def _with_saves(
    models: list[tuple[int, ModelCard]], scores: ScoreTable
) -> list[tuple[int, ModelCard]]:
    """Each card's ``last_updated`` brought up to its model's newest score save.

    From the scores' own save times, read with their figures: the cards' query asking the
    database for each model's newest save (a subquery over every score) was the slowest part
    of loading the catalogue at 3,700 models, 0.2 s, and the build waited on it. The cards are
    this build's own, made while the scores were read and seen by nobody yet: each is set in
    place, as a frozen dataclass's ``__post_init__`` would, not copied (3,700 copies of a card
    of twenty fields took 40 ms)."""
    if not len(scores.model):
        return models
    order = np.argsort(scores.model, kind="stable")  # the scores come grouped by model
    ids = scores.model[order]
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    newest = np.maximum.reduceat(scores.saved[order], starts)
    times = (np.datetime64("2000-01-01", "us") + newest.astype("timedelta64[us]")).tolist()
    saved = dict(zip(ids[starts].tolist(), times, strict=True))
    for pk, card in models:
        if (at := saved.get(pk)) is not None and (at := at.replace(tzinfo=UTC)) > card.last_updated:
            object.__setattr__(card, "last_updated", at)
    return models


def _with_latest_score(models):
    """``models`` with ``latest_score``: when each one's newest score was saved, found by the
    database in the same query (not by reading every score's time: a datetime per score cost
    half a second at 3,700 models)."""
    from comparisons.models import Score

    newest = (
        Score.objects.filter(model=OuterRef("pk"))
        .order_by()
        .values("model")
        .annotate(newest=Max("updated_at"))
        .values("newest")
    )
    return models.annotate(latest_score=Subquery(newest))


def _positions(ids: np.ndarray, positions: dict[int, int]) -> np.ndarray:
    """Database ids to positions, by one lookup table instead of a dict lookup per score."""
    if not len(ids):
        return np.zeros(0, dtype=np.intp)
    table = np.full(max(int(ids.max()), max(positions, default=0)) + 1, -1, dtype=np.intp)
    table[list(positions)] = list(positions.values())
    return table[ids]


def _arrays(
    rows: list[tuple], positions: dict[int, int], benchmark_ids: dict[int, int]
) -> scoring.ScoreArrays:
    count = len(rows)
    column = lambda k, kind: np.fromiter(map(itemgetter(k), rows), dtype=kind, count=count)  # noqa: E731
    return scoring.ScoreArrays(
        _positions(column(0, np.int64), positions),
        _positions(column(1, np.int64), benchmark_ids),
        column(2, float),
        column(3, bool),
    )


@dataclass
class CatalogueRows:
    """The catalogue as a board is built from: rows read from the database (``load_rows``) or
    replayed from the change events up to a past day (``comparisons.history``)."""

    thresholds: scoring.Thresholds
    categories: list[CategoryInfo]  # in the categories' order
    benchmarks: list[tuple[int, BenchmarkInfo]]  # (database id, info), in the benchmarks' order
    models: list[tuple[int, ModelCard]]  # published only, (database id, card), by name
    # Published scores: their figures (details read per page), or rows of (model id, benchmark
    # id, value, verified, as of, source, note, run input tokens, output tokens, tasks).
    scores: ScoreTable | list[tuple]


def _read_part(part: int, parts: int, snapshot: str, pages: int) -> ScoreTable:
    """One part of the scores, read in a worker thread on the thread's own connection (closed
    afterwards), in the snapshot ``snapshot``. The parts are the parallelism: PostgreSQL's own
    parallel workers on top of them (it plans two per part once the table has statistics)
    only crowded the two cores: at 3,700 models, three alternating runs of twelve loads gave
    medians of 0.30 to 0.42 s with them and 0.26 to 0.35 s without."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _import_snapshot(cursor, snapshot)
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            return _score_table(part, parts, pages)
    finally:
        connection.close()


def _export_snapshot(cursor) -> tuple[str, int]:
    """Make this transaction see the database as of now and export that for the parts'
    connections; returns the snapshot and the scores' table's size in pages. The first
    statements of the transaction: they fix what it sees."""
    from comparisons.models import Score

    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    cursor.execute(
        "SELECT pg_export_snapshot(), "
        "pg_relation_size(%s) / current_setting('block_size')::integer",
        [Score._meta.db_table],
    )
    return cursor.fetchone()


def _import_snapshot(cursor, snapshot: str) -> None:
    """Make this transaction see the database as of ``snapshot`` (``_export_snapshot``'s)."""
    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    cursor.execute(
        sql.SQL("SET TRANSACTION SNAPSHOT {}")
        .format(sql.Literal(snapshot))
        .as_string(cursor.connection)
    )


SCORE_READS = 2  # connections the scores are read on side by side, outside a transaction


def load_rows() -> CatalogueRows:
    """The catalogue as stored now, in five queries.

    On PostgreSQL, outside a transaction, the scores are read in ``SCORE_READS`` parts, each
    on a connection of its own, while this one reads the rest: every query waits on the
    database, which works on them at once (at 3,700 models the scores' query costs the
    database 0.25 s, and the model cards' newest-score subquery 0.12 s). Every connection reads
    in one snapshot, this one's (two more statements): the parts and the rest are the
    catalogue at one instant, even while an import commits. Inside a transaction other
    connections would not see its writes: five queries on this one then."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            snapshot, pages = _export_snapshot(cursor)
            with ThreadPoolExecutor(max_workers=SCORE_READS) as pool:
                parts = [
                    pool.submit(_read_part, part, SCORE_READS, snapshot, pages)
                    for part in range(SCORE_READS)
                ]
                return _load_rows(lambda: _joined([part.result() for part in parts]))
    return _load_rows(_score_table)


def _load_rows(scores: Callable[[], ScoreTable]) -> CatalogueRows:
    from comparisons.models import Benchmark, Category, LanguageModel

    thresholds = _thresholds()
    categories = [
        CategoryInfo(c.slug, c.name, c.label, float(c.weight), c.order, c.description)
        for c in Category.objects.all()
    ]
    benchmarks = [
        (
            b.pk,
            BenchmarkInfo(b.slug, b.name, b.category.slug, float(b.weight), b.description, b.url),
        )
        for b in Benchmark.objects.select_related("category")
    ]
    published = LanguageModel.objects.published().order_by("name")
    models = [(pk, card) for pk, (card, _) in _cards(published, newest=False).items()]
    table = scores()
    return CatalogueRows(thresholds, categories, benchmarks, _with_saves(models, table), table)


def build_board(
    version: int, previous: Board | None = None, *, quick: bool = False, rounds: int | None = None
) -> Board:
    """Load the catalogue in five queries and fit both lanes from scratch.

    ``previous`` (the newest board there is) warm-starts the fit. The leave-one-out check is
    not run here (``fit_reports``): only /methodology/ shows it, and no page waits for it.
    ``quick``: when the fit starts from cold (no previous board, or one of other models), a
    large catalogue's fit stops at ``QUICK_ROUNDS``; if a lane had not settled by then the
    board is "quick", and a refit continues it (``refit``). ``rounds`` caps the point fits'
    rounds (``scoring.fit_lane``).
    """
    started = time.perf_counter()
    with collector_paused():
        return board_from_rows(
            version, load_rows(), previous, started=started, quick=quick, rounds=rounds
        )


# The first board of a cold start, readers waiting: a catalogue that shows structure settles
# well within these rounds (the starter data in 18, a 3,700-model one shaped like a real
# catalogue in 10); one that does not, such as scores drawn at random, never settles, and its
# 60 rounds would keep the first readers waiting twice as long.
QUICK_ROUNDS = 15
QUICK_SCORES = 100_000  # from this many scores a cold start's first board may be quick


def _by_lane[R](work: Callable[[Lane], R], scores: int) -> dict[Lane, R]:
    """``work`` for each lane. The lanes share nothing, and numpy releases the interpreter lock
    for its array work: on a large catalogue, side by side they take little more than the
    larger one alone on two cores. On a small one the arrays are tiny, the work is mostly the
    interpreter's, and two threads would only trade the lock back and forth."""
    if scores < SIDE_BY_SIDE_SCORES:
        return {lane: work(lane) for lane in Lane}
    with one_blas_thread(), ThreadPoolExecutor(max_workers=len(Lane)) as pool:
        return dict(zip(Lane, pool.map(work, Lane), strict=True))


@lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager:
    """The linear algebra library on one thread each while the lanes are fitted side by side.

    OpenBLAS runs each matrix product on every core, its threads spinning while they wait: two
    lanes doing so on two cores fought over them, and the 3,700-model fit took 0.57 to 0.80 s
    instead of 0.35 s."""
    return _blas().limit(limits=1, user_api="blas")


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a board is built or a catalogue imported.

    Rows read or parsed by the hundred thousand (an import's, a past day's replayed board's)
    make millions of objects, none of them in a cycle, and each few hundred of them set off a
    collection that walks the ones made so far: 150 to 250 ms of a 1.5 s build at 3,700 models
    when a board still read its scores as rows, a sixth of a dry-run import. Reference
    counting still frees everything meanwhile; the collector runs again once the work is
    done."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def board_from_rows(
    version: int,
    catalogue: CatalogueRows,
    previous: Board | None = None,
    *,
    started: float | None = None,
    quick: bool = False,
    rounds: int | None = None,
) -> Board:
    """Every figure of a catalogue, from its rows alone (no query): today's board and any past
    day's are built by this one function. ``quick`` and ``rounds`` as for ``build_board``."""
    started = time.perf_counter() if started is None else started
    thresholds = catalogue.thresholds
    categories = {c.slug: c for c in catalogue.categories}
    benchmarks: dict[str, BenchmarkInfo] = {}
    benchmark_ids: dict[int, int] = {}
    for pk, info in catalogue.benchmarks:
        benchmark_ids[pk] = len(benchmarks)
        benchmarks[info.slug] = info
    models: dict[str, ModelCard] = {}
    model_ids: dict[int, str] = {}
    for pk, card in catalogue.models:
        model_ids[pk] = card.slug
        models[card.slug] = card
    rows = catalogue.scores
    positions = {pk: i for i, pk in enumerate(model_ids)}
    if isinstance(rows, ScoreTable):
        arrays = scoring.ScoreArrays(
            _positions(rows.model, positions),
            _positions(rows.benchmark, benchmark_ids),
            rows.value,
            rows.verified,
        )
        figures = Figures(
            rows.value,
            rows.verified,
            np.fromiter(model_ids, dtype=np.int64, count=len(model_ids)),
            np.fromiter(benchmark_ids, dtype=np.int64, count=len(benchmark_ids)),
            score_details,
            rows.newest,
        )
        cells = Cells(figures, arrays.model, arrays.benchmark, list(models), list(benchmarks))
    else:
        arrays = _arrays(rows, positions, benchmark_ids)
        cells = Cells(rows, arrays.model, arrays.benchmark, list(models), list(benchmarks), skip=2)
    board = Board(version, thresholds, categories, benchmarks, models, cells)
    board.scores, board.model_ids, board.benchmark_ids = arrays, model_ids, benchmark_ids
    reasoning = np.array([card.reasoning for card in models.values()], dtype=bool)
    slugs = tuple(models)
    earlier = {lane: None if previous is None else previous.fits.get(lane) for lane in Lane}
    warm = any(before is not None and before.models == slugs for before in earlier.values())
    quick = quick and not warm and len(arrays.value) >= QUICK_SCORES
    if quick:
        rounds = QUICK_ROUNDS

    def fit(lane: Lane) -> scoring.LaneResult:
        return scoring.fit_lane(
            slugs,
            arrays,
            board.scoring_categories,
            board.scoring_benchmarks,
            thresholds,
            lane,
            reasoning,
            previous=earlier[lane],
            check=False,
            rounds=rounds,
        )

    results = _by_lane(fit, len(arrays.value))
    for lane, result in results.items():
        board.standings[lane], board.reports[lane] = result.standings, result.report
        board.fits[lane] = result.fit
    board.fit_kind = "warm" if warm else "full"
    if quick and not all(result.fit.point.settled for result in results.values()):
        board.fit_kind = "quick"
    board.seconds = time.perf_counter() - started
    return board


INCREMENTAL_MODELS = 50  # an edit touching more models than this is fitted in full


def update_board(previous: Board, version: int, touched: set[int]) -> Board | None:
    """The board of ``version`` from ``previous``, when the edits between them touched only the
    models with the ids ``touched`` (their scores or their own fields): two queries and a refit
    of those models' capabilities, the benchmarks' parameters and everyone else's kept.

    None when the edit reaches further (a model published or unpublished, renamed, a score on
    a benchmark the previous board does not know, a benchmark's first or last score): the
    caller then builds in full. A full refit queued behind it replaces this board later.
    """
    from comparisons.models import LanguageModel

    started = time.perf_counter()
    if previous.scores is None or not previous.fits or len(touched) > INCREMENTAL_MODELS:
        return None
    ids = sorted(touched)
    changed = _cards(LanguageModel.objects.filter(pk__in=ids).order_by())
    for pk in ids:
        card, published = changed.get(pk, (None, False))
        was = previous.model_ids.get(pk)
        now = card.slug if card is not None and published else None
        if was != now:  # added, removed, published, unpublished or renamed
            return None
    ids = [pk for pk in ids if pk in previous.model_ids]
    if not ids:
        return None
    rows = _score_rows(ids)
    if any(r[1] not in previous.benchmark_ids for r in rows):
        return None
    positions = {pk: i for i, pk in enumerate(previous.model_ids)}
    new = _arrays(rows, positions, previous.benchmark_ids)
    old = previous.scores
    keep = ~np.isin(old.model, [positions[pk] for pk in ids])
    arrays = scoring.ScoreArrays(
        np.concatenate([old.model[keep], new.model]),
        np.concatenate([old.benchmark[keep], new.benchmark]),
        np.concatenate([old.value[keep], new.value]),
        np.concatenate([old.verified[keep], new.verified]),
    )
    slugs = [previous.model_ids[pk] for pk in ids]
    models = dict(previous.models)
    for pk, slug in zip(ids, slugs, strict=True):
        models[slug] = changed[pk][0]
    fresh = Cells(rows, new.model, new.benchmark, list(models), list(previous.benchmarks), skip=2)
    cells = previous.cells
    if isinstance(cells, Cells):
        cells = cells.replace({slug: fresh.get(slug, {}) for slug in slugs})
    else:
        cells = {**cells, **{slug: fresh[slug] for slug in slugs if slug in fresh}}
        for slug in slugs:
            if slug not in fresh:
                cells.pop(slug, None)
    reasoning = np.array([card.reasoning for card in models.values()], dtype=bool)
    board = Board(
        version,
        previous.thresholds,
        previous.categories,
        previous.benchmarks,
        models,
        cells,
    )
    board.scores, board.model_ids = arrays, previous.model_ids
    board.benchmark_ids = previous.benchmark_ids
    benchmarks = previous.scoring_benchmarks

    def update(lane: Lane) -> scoring.LaneResult | None:
        before = scoring.LaneResult(
            previous.standings[lane], previous.reports[lane], previous.fits[lane]
        )
        return scoring.update_lane(before, arrays, benchmarks, reasoning, slugs)

    results = _by_lane(update, len(arrays.value))
    for lane, result in results.items():
        if result is None:
            return None
        board.standings[lane], board.reports[lane] = result.standings, result.report
        board.fits[lane] = result.fit
    board.fit_kind = "incremental"
    board.seconds = time.perf_counter() - started
    return board


def what_if(
    board: Board, changes: dict[tuple[str, str], float], lane: Lane = Lane.PROVISIONAL
) -> dict[str, scoring.Standing]:
    """``lane``'s standings were the scores ``changes`` ((model slug, benchmark slug) to a value,
    unverified) on ``board``: the admin's paste preview.

    Computed as an edit's new version is (``update_board``): the changed models' capabilities
    refitted, every benchmark's parameters held, so a preview of a few models costs
    milliseconds at any catalogue size, and says what readers see right after the import. An
    edit that reaches further (a benchmark's first score, many models) is fitted in full,
    without the leave-one-out check only /methodology/ reads.
    """
    fitted, arrays = board.fits.get(lane), board.scores
    models = list(board.models)
    position = {slug: i for i, slug in enumerate(models)}
    bench_position = {slug: j for j, slug in enumerate(board.benchmarks)}
    wanted = {
        (position[m], bench_position[b]): value
        for (m, b), value in changes.items()
        if m in position and b in bench_position
    }
    if fitted is None or arrays is None or not wanted:
        return board.standings[lane]
    value, verified = arrays.value.copy(), arrays.verified.copy()
    moved: set[int] = set()
    for k in np.flatnonzero(np.isin(arrays.model, sorted({i for i, _ in wanted}))):
        key = (int(arrays.model[k]), int(arrays.benchmark[k]))
        if key not in wanted:
            continue
        new_value = wanted.pop(key)
        # Provisional counts every score; the verified lane loses one that was verified.
        if new_value != value[k] if lane == Lane.PROVISIONAL else verified[k]:
            moved.add(key[0])
        value[k], verified[k] = new_value, False
    added = list(wanted.items())
    if lane == Lane.PROVISIONAL:
        moved.update(i for (i, _), _ in added)
    if not moved:
        return board.standings[lane]
    rows = sorted(moved)
    new = scoring.ScoreArrays(
        np.concatenate([arrays.model, np.array([i for (i, _), _ in added], dtype=np.intp)]),
        np.concatenate([arrays.benchmark, np.array([j for (_, j), _ in added], dtype=np.intp)]),
        np.concatenate([value, np.array([v for _, v in added], dtype=float)]),
        np.concatenate([verified, np.zeros(len(added), dtype=bool)]),
    )
    reasoning = np.array([card.reasoning for card in board.models.values()], dtype=bool)
    before = scoring.LaneResult(board.standings[lane], board.reports[lane], fitted)
    slugs = [models[i] for i in rows]
    result = None
    if len(rows) <= INCREMENTAL_MODELS:
        result = scoring.update_lane(before, new, board.scoring_benchmarks, reasoning, slugs)
    if result is None:
        result = scoring.fit_lane(
            tuple(models),
            new,
            board.scoring_categories,
            board.scoring_benchmarks,
            board.thresholds,
            lane,
            reasoning,
            previous=fitted,
            check=False,
        )
    return result.standings


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
    follows: int | None = None  # the committed version that transaction's first bump followed

    def __init__(self) -> None:
        # The models (ids) whose scores or fields the open transaction wrote; None: something
        # else (a benchmark, a category, the methodology), which every model's figures use.
        self.touched: set[int] | None = set()

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
    return _raise_stored_version()[0]


def _raise_stored_version() -> tuple[int, int | None]:
    """(the new version, the committed version it follows). The row is locked first, so the
    version it follows is the last one committed: edits form one chain of versions, and a board
    knows exactly which edits lie between it and a newer version."""
    from comparisons.models import DataVersion

    table = connection.ops.quote_name(DataVersion._meta.db_table)
    postgres = connection.vendor == "postgresql"
    larger = "GREATEST" if postgres else "MAX"
    lock = " FOR UPDATE" if postgres else ""
    now = time.time_ns()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE id = 1{lock}")  # noqa: S608
        before = cursor.fetchone()
        cursor.execute(
            f"UPDATE {table} SET version = {larger}(version + 1, %s) WHERE id = 1 "  # noqa: S608
            "RETURNING version",
            [now],
        )
        row = cursor.fetchone()
    if row is not None:
        return row[0], None if before is None else before[0]
    with transaction.atomic():
        DataVersion.objects.get_or_create(pk=1, defaults={"version": now})
    return _raise_stored_version()


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


DELTA_KEY = "catalogue:delta:{version}"  # (version it follows, model ids touched or None)


def _after_commit() -> None:
    committed, follows, touched = _local.uncommitted, _local.follows, _local.touched
    _local.uncommitted = _local.follows = None
    _local.touched = set()
    _memo.clear()
    if committed is not None:
        _record_delta(committed, follows, touched)
    version = _publish()
    if version is not None and builds_in_background():
        request_build(version)  # one worker builds the new board for every process


def _record_delta(version: int, follows: int | None, touched: set[int] | None) -> None:
    """What ``version`` changed since the version it follows: the builder of the next board
    updates the previous one from it instead of refitting everything (``build_next``)."""
    try:
        cache.set(
            DELTA_KEY.format(version=version),
            (follows, None if touched is None else frozenset(touched)),
            settings.SCOREBOARD_TIMEOUT,
        )
    except Exception:
        logger.warning("cache unavailable while recording a change", exc_info=True)


def note_change(model: int | None = None) -> None:
    """Record what the open transaction writes: one model's scores or fields (its id), or
    anything else (None). Over-reporting is harmless (a few more models refitted)."""
    if model is None or _local.touched is None:
        _local.touched = None
    else:
        _local.touched.add(model)


def _writing() -> bool:
    """Whether this thread's open transaction has raised the version (and not yet committed)."""
    conn = transaction.get_connection()
    return (
        _local.uncommitted is not None
        and conn.in_atomic_block
        and any(entry[1] is _after_commit for entry in conn.run_on_commit)
    )


def bump_data_version(model: int | None = None) -> int | None:
    """Record a catalogue write: a new version in the database, in the write's transaction.

    ``model`` is the id of the one model whose scores or fields were written, None for any
    other write. Inside the transaction this thread reads its own edit (its scoreboard is built
    under the uncommitted number and kept out of the shared cache); other processes see the new
    version once it is committed and published.
    """
    if _local.batching:
        note_change(model)
        _local.wrote = True
        return None
    _forget_rolled_back()
    note_change(model)
    return _raise_version()


def _forget_rolled_back() -> None:
    """Start a transaction's notes afresh. A transaction rolled back (a failed save, a dry-run
    import) never reaches ``_after_commit``, and its notes would otherwise pass to the next
    one: a dry run's "everything changed" turned the next one-score edit into a full refit."""
    if not _writing():
        _local.touched = set()
        _local.uncommitted = _local.follows = None


def _raise_version() -> int:
    writing = _writing()
    version, follows = _raise_stored_version()
    _local.uncommitted = version
    if not writing:
        _local.follows = follows
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
    _forget_rolled_back()
    _local.batching, _local.wrote = True, False
    try:
        yield
    finally:
        _local.batching = False
    if _local.wrote:
        _local.wrote = False
        _raise_version()


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
SETTLE_SCORES = 50_000  # from this many scores a held board is moved out of the collector's way


def _hold(board: Board) -> Board:
    """Keep ``board`` as this process's board; a large one is then frozen out of the cyclic
    garbage collector's reach (``gc.freeze``), together with everything else held so far.

    A full collection walks every tracked object: at 3,700 models some 230,000, 140 ms on the
    2-core machine, and a page's own allocations set one off every few requests (the pricing
    page's p50 was 46 ms, 27 ms with the board frozen). Frozen objects are still freed by
    reference counting; unfreezing and collecting first frees whatever cycles the previous
    board left, once per board a process takes up."""
    previous = _memo.get("board")
    _memo["board"] = board
    large = board.scores is not None and len(board.scores.value) >= SETTLE_SCORES
    if large and board is not previous:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
    return board


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
        if board.fit_kind not in PROVISIONAL:  # a process holding a provisional one swaps it
            cache.set(REFITTED_KEY.format(version=board.version), 1, settings.SCOREBOARD_TIMEOUT)
    except Exception:
        logger.warning("cache unavailable while storing the scoreboard", exc_info=True)


CHAIN_LIMIT = 50  # versions walked back to the previous board before building in full


def changes_since(base: int, version: int) -> set[int] | None:
    """The models touched by the edits between the board of ``base`` and ``version``, from the
    change records each commit leaves (``DELTA_KEY``); None when anything else changed or a
    record is missing (evicted, or written while the cache was away)."""
    touched: set[int] = set()
    current = version
    for _ in range(CHAIN_LIMIT):
        if current == base:
            return touched
        record = _cache_get(DELTA_KEY.format(version=current))
        if record is None:
            return None
        follows, models = record
        if follows is None or models is None or follows < base:
            return None
        touched |= models
        current = follows
    return None


def _newest_board() -> Board | None:
    board = _memo.get("board")
    latest = _cache_get(LATEST_KEY)
    if latest is not None and (board is None or latest > board.version):
        board = _cache_get(BOARD_KEY.format(version=latest)) or board
    return board


def build_next(version: int, incremental: bool | None = None) -> Board:
    """The board of ``version``, from the newest board there is.

    When the edits since that board touched a few models only, their figures are updated
    (``update_board``: milliseconds) and a full refit is queued to replace the board later;
    otherwise every parameter is refitted, warm-started from the previous board's. By default
    only with a worker: without one the refit would run on a request right after.
    """
    if incremental is None:
        incremental = builds_in_background()
    previous = _newest_board()
    if (
        previous is not None
        and previous.version == version
        and previous.fit_kind not in PROVISIONAL
    ):
        return previous
    if incremental and previous is not None and previous.version < version:
        touched = changes_since(previous.version, version)
        if touched:
            board = update_board(previous, version, touched)
            if board is not None:
                return board
    return build_board(version, previous, quick=incremental)


def build_and_store(version: int) -> Board:
    board = build_next(version)
    store_board(board)
    held = _memo.get("board")
    if held is None or held.version <= board.version:
        _hold(board)  # a worker's next build starts from it without a cache read
    if builds_in_background():
        if board.fit_kind in PROVISIONAL:
            request_refit(board.version)
        else:
            request_check(board.version)
    return board


REFIT_KEY = "catalogue:refit:{version}"
REFITTED_KEY = "catalogue:refitted:{version}"  # set once a full fit of that version is stored
CHECK_KEY = "catalogue:check:{version}"  # the leave-one-out reports of that version
CHECK_LATEST_KEY = "catalogue:check:latest"
CHECKING_KEY = "catalogue:checking:{version}"


def refit(version: int) -> Board | None:
    """Replace the provisional board of ``version`` with a full fit, warm-started from it: an
    edit's update, or a cold start's quick board (continued for the rounds a fit from cold
    would have had)."""
    board = _cache_get(BOARD_KEY.format(version=version))
    if board is None or board.fit_kind not in PROVISIONAL:
        return None
    rounds = capability.ROUNDS - QUICK_ROUNDS if board.fit_kind == "quick" else None
    full = build_board(version, board, rounds=rounds)
    store_board(full)
    if _memo.get("board") is not None and _memo["board"].version == version:
        _hold(full)
    if builds_in_background():
        request_check(version)
    return full


def _queue_once(key: str, task, version: int) -> None:
    try:
        if cache.add(key.format(version=version), time.time(), BUILD_LOCK_SECONDS):
            task.delay(version)
    except Exception:
        logger.warning("could not queue %s", task.name, exc_info=True)


def request_refit(version: int) -> None:
    from comparisons.tasks import refit_scoreboard

    _queue_once(REFIT_KEY, refit_scoreboard, version)


def request_check(version: int) -> None:
    from comparisons.tasks import check_scoreboard

    _queue_once(CHECKING_KEY, check_scoreboard, version)


def check_board(board: Board) -> dict[Lane, scoring.FitReport]:
    """Run the leave-one-out check of both lanes and share it; only /methodology/ shows it."""
    reports = {lane: scoring.check_lane(fit) for lane, fit in board.fits.items()}
    try:
        cache.set(CHECK_KEY.format(version=board.version), reports, settings.SCOREBOARD_TIMEOUT)
        cache.set(CHECK_LATEST_KEY, board.version, settings.SCOREBOARD_TIMEOUT)
    except Exception:
        logger.warning("cache unavailable while storing the fit check", exc_info=True)
    return reports


def fit_reports(board: Board) -> dict[Lane, scoring.FitReport]:
    """Each lane's fit report with its leave-one-out check, for /methodology/.

    The check runs in the background after each full build; until it lands the page shows the
    newest check there is (an earlier version's, a close figure) with this board's counts. In
    the embedded mode, without a worker, the first request that asks runs it.
    """
    found = _cache_get(CHECK_KEY.format(version=board.version))
    if found is not None:
        return found
    if not builds_in_background():
        return check_board(board) if board.fits else board.reports
    request_check(board.version)
    latest = _cache_get(CHECK_LATEST_KEY)
    older = None if latest is None else _cache_get(CHECK_KEY.format(version=latest))
    if not older:
        return board.reports
    return {
        lane: replace(
            report,
            loo_mae=older[lane].loo_mae,
            loo_within5=older[lane].loo_within5,
            loo_cells=older[lane].loo_cells,
        )
        if lane in older
        else report
        for lane, report in board.reports.items()
    }


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
    if (day := asof.current_day.get()) is not None:  # a page of a past day (``?as_of=``)
        from comparisons.past import past_board

        return past_board(day)
    version = current_version()
    board = _memo.get("board")
    if board is not None and board.version == version:
        if board.fit_kind in PROVISIONAL and _cache_get(REFITTED_KEY.format(version=version)):
            if _reads_ahead(board, version):  # the refit landed: taken up off the request's path
                _read_ahead(version)
            elif (refitted := _cache_get(BOARD_KEY.format(version=version))) is not None:
                board = _hold(refitted)
        return _served(board, version)
    if _writing():  # built from uncommitted rows: for this transaction's eyes only
        board = _memo["board"] = build_board(version, board)
        return board
    stored = board is not None and _reads_ahead(board, version)
    if stored and _cache_get(LATEST_KEY) == version:  # taken up off the request's path
        _read_ahead(version)
        return _served(board, version)
    current = _cache_get(BOARD_KEY.format(version=version))
    if current is not None:
        return _served(_hold(current), version)
    if builds_in_background():
        stale = board
        if stale is None and (latest := _cache_get(LATEST_KEY)) is not None:
            stale = _cache_get(BOARD_KEY.format(version=latest))
        if stale is not None and request_build(version):
            return _served(stale, version)
    return _served(_hold(build_and_store(version)), version)


READ_AHEAD_SCORES = 50_000  # from this many scores, a process takes up a new board in a thread
_read_lock = threading.Lock()
_reading: set[int] = set()  # versions being read in the background
_unread: set[int] = set()  # versions whose board the background read did not find


def _reads_ahead(board: Board, version: int) -> bool:
    """Whether the board of ``version`` may be taken up in the background: in a page's request
    (whose page is then marked provisional; a digest or an edit's preview waits for the
    board) with a worker building boards, for a large board, unless the reader thread has
    already looked for it in vain."""
    return (
        version not in _unread
        and _watched.get()
        and builds_in_background()
        and board.scores is not None
        and len(board.scores.value) >= READ_AHEAD_SCORES
    )


@lru_cache(maxsize=1)
def _reader() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="board-reader")


def _read_ahead(version: int) -> None:
    """Take up the stored board of ``version`` in this process's reader thread, while requests
    go on with the board held.

    At 3,700 models reading a board back from Redis takes half a second and taking it up
    (``_hold``) a sixth more: each process's first reader after every new version waited for
    both. Now it gets the board held meanwhile, its page marked provisional like any page of
    an earlier version's board (``watching_boards``), and the next request the new one."""
    with _read_lock:
        if version in _reading:
            return
        _reading.add(version)
    _reader().submit(_take_up, version)


def _take_up(version: int) -> None:
    try:
        board = _cache_get(BOARD_KEY.format(version=version))
        with _read_lock:
            if board is None:
                _unread.add(version)  # evicted: the next request reads (or builds) it itself
                return
            held = _memo.get("board")
            if held is None or _standing(held) < _standing(board):
                _hold(board)
    except Exception:
        logger.exception("could not take up the scoreboard of version %s", version)
    finally:
        with _read_lock:
            _reading.discard(version)


def _standing(board: Board) -> tuple[int, bool]:
    """Newer versions first; within a version, its final board before a provisional one."""
    return board.version, board.fit_kind not in PROVISIONAL


def read_ahead_done() -> None:
    """Wait for the reader thread's queued work (tests, and a process shutting down)."""
    _reader().submit(lambda: None).result()


# Boards that a full fit of their own version replaces later: an edit's update, a cold start's
# first board. A page made from one of them, or from an earlier version's board while the
# current one builds, is not the page of its version.
PROVISIONAL = frozenset({"incremental", "quick"})
_provisional_served: ContextVar[bool] = ContextVar("provisional_served", default=False)
_watched: ContextVar[bool] = ContextVar("boards_watched", default=False)


def _served(board: Board, version: int) -> Board:
    if board.version != version or board.fit_kind in PROVISIONAL:
        _provisional_served.set(True)
    return board


@contextmanager
def watching_boards() -> Iterator[Callable[[], bool]]:
    """Within: a function telling whether ``get_board`` has handed out a board that is not the
    final one of the current version (``PROVISIONAL``, or an earlier version's). Ask it inside
    the block. The page cache keeps no such page and gives it no validator: a page is the same
    bytes for everyone only once it comes from the version's own final board."""
    token, watched = _provisional_served.set(False), _watched.set(True)
    try:
        yield _provisional_served.get
    finally:
        _provisional_served.reset(token)
        _watched.reset(watched)
