"""Every published score as pages show it, one model's made on first use.

A board holds one cell per score: 350,000 at a hundred times the starter catalogue. Making them
all when a board is built took longer than fitting every figure, while a page reads the cells
of one to six models (the benchmark and category pages read theirs once per board). So the
board keeps the rows as the database returned them, grouped by model with one numpy sort, and
makes a model's cells the first time a page asks for them.

Pickled (the board is shared through the cache), the rows become columns: numbers as numpy
arrays, dates, URLs and notes as positions in one list of their distinct values, which repeat
across thousands of scores. A board read back keeps the columns and makes cells from them.

Pure Python and numpy, no ORM.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
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
        fields: Sequence[tuple] | Columns,
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
        if isinstance(self._fields, Columns):
            return self._fields.cells(np.asarray(indices, dtype=np.intp))
        make, rows, skip = ScoreCell._make, self._fields, self._skip
        if skip:
            return [make(rows[i][skip : skip + FIELDS]) for i in indices]
        return [make(rows[i]) for i in indices]

    def __getitem__(self, slug: str) -> Mapping[str, ScoreCell]:
        made = self._made.get(slug)
        if made is not None:
            return made
        if slug in self._replaced:
            found = self._replaced[slug]
        else:
            position = self._position.get(slug)
            rows = self._rows(position) if position is not None else ()
            names = self._benchmarks
            found = {
                names[self._bench[i]]: cell for i, cell in zip(rows, self._make(rows), strict=True)
            }
        if not found:
            raise KeyError(slug)
        self._made[slug] = found
        return found

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
        found = [
            (self._models[self._owner[i]], cell)
            for i, cell in zip(indices, self._make(indices), strict=True)
            if self._models[self._owner[i]] not in self._replaced
        ]
        for slug, cells in self._replaced.items():
            if name in cells:
                found.append((slug, cells[name]))
        return found

    def newest(self) -> date | None:
        """The latest "as of" date of any score."""
        if isinstance(self._fields, Columns):
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
        if not isinstance(columns, Columns):
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
