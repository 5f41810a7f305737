"""Every published score as pages show it, one model's made on first use.

A board holds one cell per score: 440,000 at a hundred times the starter catalogue, while a
page reads the cells of one to six models (the benchmark page reads one benchmark's once per
board). So cells are made per model the first time a page asks for them, from one of:

* ``Figures``: each score's value and verified flag as numpy columns, and a function that reads
  the rest (date, source, note, what the run used) of a few models or of one benchmark from
  where it is stored. Today's board is built from these: the details of 440,000 scores were a
  third of a cold build, and no figure depends on them.
* rows (a past day's board, replayed from the change log with every field), grouped by model
  with one numpy sort; pickled as ``Columns``: numbers as numpy arrays, dates, URLs and notes
  as positions in one list of their distinct values, which repeat across thousands of scores.

Pure Python and numpy, no ORM: the function that reads details is handed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray


class ScoreCell(NamedTuple):
    """One published score as pages show it."""

    value: float
    verified: bool
    as_of: date | None
    source_url: str
    note: str
    # What the evaluation run used, where its publisher says (None: not published).
    run_input_tokens: int | None = None
    run_output_tokens: int | None = None
    run_tasks: int | None = None


FIELDS = len(ScoreCell._fields)
AS_OF = ScoreCell._fields.index("as_of")
NO_COUNT = -1  # a run's tokens or tasks that were not published, in an integer column


class Measured(NamedTuple):
    """A score's figure alone: what the category page lists and the scoring reads."""

    value: float
    verified: bool


# (model ids, benchmark id) -> rows of (model id, benchmark id, as of, source, note, run input
# tokens, run output tokens, run tasks): the scores of those models, or of that benchmark.
DetailReader = Callable[[Sequence[int] | None, int | None], Iterable[tuple]]
NO_DETAILS = (None, "", "", None, None, None)  # a score deleted after the board was built


class Figures(NamedTuple):
    """Every score's figure as columns, and where the rest of each cell is read from."""

    value: NDArray[np.float64]
    verified: NDArray[np.bool_]
    model_ids: NDArray[np.int64]  # the database id of the model at each position
    benchmark_ids: NDArray[np.int64]  # the database id of the benchmark at each position
    details: DetailReader  # a module-level function, so the board pickles by reference
    newest: date | None  # the latest "as of" date of any score, found with the figures

    def cells(
        self,
        indices: NDArray[np.intp],
        owner: NDArray[np.intp],
        bench: NDArray[np.intp],
        found: Iterable[tuple],
    ) -> list[ScoreCell]:
        """The cells of the scores at ``indices`` (``owner`` and ``bench``: each score's model
        and benchmark position), their details from the rows ``found``."""
        details = {(row[0], row[1]): row[2:] for row in found}
        models, benchmarks = self.model_ids[owner[indices]], self.benchmark_ids[bench[indices]]
        return [
            ScoreCell(value, verified, *details.get((m, b), NO_DETAILS))
            for value, verified, m, b in zip(
                self.value[indices].tolist(),
                self.verified[indices].tolist(),
                models.tolist(),
                benchmarks.tolist(),
                strict=True,
            )
        ]


class Columns(NamedTuple):
    """Every score's cell fields, a column each (``Cells`` pickled)."""

    value: NDArray[np.float64]
    verified: NDArray[np.bool_]
    # Positions in ``distinct``: the dates (None included), URLs and notes, each stored once.
    as_of: NDArray[np.int32]
    source_url: NDArray[np.int32]
    note: NDArray[np.int32]
    distinct: list
    run_input_tokens: NDArray[np.int64]  # NO_COUNT where not published
    run_output_tokens: NDArray[np.int64]
    run_tasks: NDArray[np.int64]

    @classmethod
    def of(cls, rows: Sequence[tuple], skip: int = 0) -> Columns:
        """The columns of ``rows`` (a row's cell fields start after its first ``skip``)."""
        count = len(rows)
        if not count:
            none = np.zeros(0, dtype=np.int32)
            return cls(np.zeros(0), np.zeros(0, bool), none, none, none, [], *[none] * 3)
        columns = list(zip(*rows, strict=True))[skip : skip + FIELDS]
        positions: dict = {}

        def factor(values: tuple) -> NDArray[np.int32]:
            put = positions.setdefault
            return np.fromiter((put(v, len(positions)) for v in values), np.int32, count)

        def counts(values: tuple) -> NDArray[np.int64]:
            return np.fromiter(
                (NO_COUNT if v is None else v for v in values), dtype=np.int64, count=count
            )

        value, verified, as_of, url, note, run_in, run_out, tasks = columns
        return cls(
            np.array(value, dtype=float),
            np.array(verified, dtype=bool),
            factor(as_of),
            factor(url),
            factor(note),
            list(positions),
            counts(run_in),
            counts(run_out),
            counts(tasks),
        )

    def cells(self, indices) -> list[ScoreCell]:
        distinct = self.distinct

        def texts(column: NDArray[np.int32]) -> list:
            return [distinct[i] for i in column[indices].tolist()]

        def counts(column: NDArray[np.int64]) -> list[int | None]:
            return [None if n == NO_COUNT else n for n in column[indices].tolist()]

        return list(
            map(
                ScoreCell._make,
                zip(
                    self.value[indices].tolist(),
                    self.verified[indices].tolist(),
                    texts(self.as_of),
                    texts(self.source_url),
                    texts(self.note),
                    counts(self.run_input_tokens),
                    counts(self.run_output_tokens),
                    counts(self.run_tasks),
                    strict=True,
                ),
            )
        )

    def newest(self) -> date | None:
        dates = [self.distinct[i] for i in np.unique(self.as_of).tolist()]
        return max((d for d in dates if d is not None), default=None)


class Cells(Mapping[str, Mapping[str, ScoreCell]]):
    """Model slug -> {benchmark slug: cell}, for the models with at least one score.

    ``fields`` holds each score's cell fields, as rows (a row may carry more in front of them:
    ``skip`` says how many) or as ``Columns``; ``owner`` and ``bench`` each score's model and
    benchmark position, in the order of ``models`` and ``benchmarks``. ``replaced`` overrides
    whole models (an edit's incremental board shares the rows of the board before it)."""

    __slots__ = ("_bench", "_benchmarks", "_fields", "_made", "_models", "_order", "_owner")
    __slots__ += ("_position", "_replaced", "_skip", "_starts")

    def __init__(
        self,
        fields: Sequence[tuple] | Columns | Figures,
        owner: NDArray[np.intp],
        bench: NDArray[np.intp],
        models: Sequence[str],
        benchmarks: Sequence[str],
        *,
        skip: int = 0,
        replaced: Mapping[str, Mapping[str, ScoreCell]] | None = None,
    ) -> None:
        self._fields, self._skip = fields, skip
        self._owner, self._bench = owner, bench
        self._models, self._benchmarks = list(models), list(benchmarks)
        self._position = {slug: i for i, slug in enumerate(self._models)}
        self._order = np.argsort(owner, kind="stable")
        counts = np.bincount(owner, minlength=len(self._models))
        self._starts = np.concatenate([[0], np.cumsum(counts)])
        self._replaced = dict(replaced or {})
        self._made: dict[str, dict[str, ScoreCell]] = {}

    @classmethod
    def empty(cls) -> Cells:
        none = np.zeros(0, dtype=np.intp)
        return cls([], none, none, [], [])

    def _rows(self, position: int) -> NDArray[np.intp]:
        return self._order[self._starts[position] : self._starts[position + 1]]

    def _make(self, indices) -> list[ScoreCell]:
        if isinstance(self._fields, Figures):
            indices = np.asarray(indices, dtype=np.intp)
            models = np.unique(self._owner[indices])
            found = self._fields.details(self._fields.model_ids[models].tolist(), None)
            return self._fields.cells(indices, self._owner, self._bench, found)
        if isinstance(self._fields, Columns):
            return self._fields.cells(np.asarray(indices, dtype=np.intp))
        make, rows, skip = ScoreCell._make, self._fields, self._skip
        if skip:
            return [make(rows[i][skip : skip + FIELDS]) for i in indices]
        return [make(rows[i]) for i in indices]

    def __getitem__(self, slug: str) -> Mapping[str, ScoreCell]:
        made = self._made.get(slug)
        if made is None:
            self.load([slug])
            made = self._made.get(slug)
        if not made:
            raise KeyError(slug)
        return made

    def load(self, slugs: Iterable[str]) -> None:
        """Make the cells of the models ``slugs`` not made yet, their details read at once."""
        wanted = [slug for slug in dict.fromkeys(slugs) if slug not in self._made]
        rows, owners = [], []
        for slug in wanted:
            if slug in self._replaced:
                self._made[slug] = dict(self._replaced[slug])
                continue
            position = self._position.get(slug)
            if position is None:
                self._made[slug] = {}
                continue
            found = self._rows(position)
            rows.append(found)
            owners.append(slug)
        if not rows:
            return
        indices = np.concatenate(rows)
        made = iter(self._make(indices) if len(indices) else [])
        names = self._benchmarks
        for slug, found in zip(owners, rows, strict=True):
            self._made[slug] = {names[self._bench[i]]: next(made) for i in found.tolist()}

    def measured(self, slug: str) -> dict[str, Measured]:
        """Benchmark slug -> the value and verified flag of each of ``slug``'s scores, without
        reading their details."""
        if slug in self._made or slug in self._replaced or not isinstance(self._fields, Figures):
            return {b: Measured(c.value, c.verified) for b, c in self.get(slug, {}).items()}
        position = self._position.get(slug)
        if position is None:
            return {}
        found = self._rows(position)
        names, figures = self._benchmarks, self._fields
        return {
            names[b]: Measured(v, f)
            for b, v, f in zip(
                self._bench[found].tolist(),
                figures.value[found].tolist(),
                figures.verified[found].tolist(),
                strict=True,
            )
        }

    def __contains__(self, slug: object) -> bool:
        if slug in self._replaced:
            return bool(self._replaced[slug])  # type: ignore[index]
        position = self._position.get(slug)  # type: ignore[arg-type]
        return position is not None and self._starts[position + 1] > self._starts[position]

    def __iter__(self) -> Iterator[str]:
        return (slug for slug in self._models if slug in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def replace(self, models: Mapping[str, Mapping[str, ScoreCell]]) -> Cells:
        """These cells with whole models' cells replaced ({} for a model left with none)."""
        other = object.__new__(Cells)
        for name in self.__slots__:
            setattr(other, name, getattr(self, name))
        other._replaced = {**self._replaced, **models}
        other._made = {}
        return other

    def of_benchmark(self, position: int) -> list[tuple[str, ScoreCell]]:
        """(model slug, cell) of every score on the benchmark at ``position``."""
        name = self._benchmarks[position]
        indices = np.flatnonzero(self._bench == position)
        if isinstance(self._fields, Figures):
            figures = self._fields
            benchmark = int(figures.benchmark_ids[position])
            read = figures.details(None, benchmark) if len(indices) else ()
            made = figures.cells(indices, self._owner, self._bench, read)
        else:
            made = self._make(indices)
        found = [
            (self._models[self._owner[i]], cell)
            for i, cell in zip(indices, made, strict=True)
            if self._models[self._owner[i]] not in self._replaced
        ]
        for slug, cells in self._replaced.items():
            if name in cells:
                found.append((slug, cells[name]))
        return found

    def newest(self) -> date | None:
        """The latest "as of" date of any score."""
        if isinstance(self._fields, Figures):
            dates = [d for d in [self._fields.newest] if d is not None]
        elif isinstance(self._fields, Columns):
            dates = [d for d in [self._fields.newest()] if d is not None]
        else:
            column = self._skip + AS_OF
            dates = [row[column] for row in self._fields if row[column] is not None]
        dates += [c.as_of for cells in self._replaced.values() for c in cells.values() if c.as_of]
        return max(dates, default=None)

    def __getstate__(self) -> tuple:
        """Column by column: at 440,000 scores the rows took 530 ms to pickle and 200 ms (and
        then a transposition) to read back; the columns take a few milliseconds each way."""
        columns = self._fields
        if not isinstance(columns, Columns | Figures):
            columns = Columns.of(columns, self._skip)
        return (
            columns,
            self._owner,
            self._bench,
            self._models,
            self._benchmarks,
            self._replaced,
        )

    def __setstate__(self, state: tuple) -> None:
        columns, owner, bench, models, benchmarks, replaced = state
        self.__init__(columns, owner, bench, models, benchmarks, replaced=replaced)
