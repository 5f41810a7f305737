"""Every published score as pages show it, one model's made on first use.

A board holds one cell per score: 350,000 at a hundred times the starter catalogue. Making them
all when a board is built took longer than fitting every figure, while a page reads the cells
of one to six models (the benchmark and category pages read theirs once per board). So the
board keeps the rows as the database returned them, grouped by model with one numpy sort, and
makes a model's cells the first time a page asks for them.

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


class Cells(Mapping[str, Mapping[str, ScoreCell]]):
    """Model slug -> {benchmark slug: cell}, for the models with at least one score.

    ``fields`` holds each score's cell fields (a row may carry more in front of them: ``skip``
    says how many), ``owner`` and ``bench`` each score's model and benchmark position, in the
    order of ``models`` and ``benchmarks``. ``replaced`` overrides whole models (an edit's
    incremental board shares the rows of the board before it)."""

    __slots__ = ("_bench", "_benchmarks", "_fields", "_made", "_models", "_order", "_owner")
    __slots__ += ("_position", "_replaced", "_skip", "_starts")

    def __init__(
        self,
        fields: Sequence[tuple],
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
        column = self._skip + AS_OF
        dates = [row[column] for row in self._fields if row[column] is not None]
        dates += [c.as_of for cells in self._replaced.values() for c in cells.values() if c.as_of]
        return max(dates, default=None)

    def __getstate__(self) -> tuple:
        """Column by column: pickling 350,000 small tuples one by one is several times slower."""
        skip = self._skip
        columns = list(zip(*(row[skip : skip + FIELDS] for row in self._fields), strict=True))
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
        fields = list(zip(*columns, strict=True)) if columns else []
        self.__init__(fields, owner, bench, models, benchmarks, replaced=replaced)
