"""The board's score cells: made per model on first use, replaced per model, pickled by column."""

import pickle
from datetime import date

import numpy as np

from comparisons.cells import Cells, Columns, Figures, Measured, ScoreCell

MODELS = ["alpha", "beta", "gamma"]  # gamma has no score
BENCHMARKS = ["mmlu", "gpqa"]
# As the database returns them: model id, benchmark id, then the cell's fields.
ROWS = [
    (11, 21, 80.0, True, date(2025, 3, 1), "https://example.com/a", "", None, None, None),
    (12, 21, 70.0, False, None, "https://example.com/b", "pass@1", 10, 20, 30),
    (11, 22, 60.0, True, date(2025, 6, 1), "https://example.com/c", "", None, None, None),
]
OWNER = np.array([0, 1, 0])
BENCH = np.array([0, 0, 1])


def cells() -> Cells:
    return Cells(ROWS, OWNER, BENCH, MODELS, BENCHMARKS, skip=2)


def test_a_model_s_cells_are_its_rows_by_benchmark():
    found = cells()
    assert found["alpha"] == {
        "mmlu": ScoreCell(80.0, True, date(2025, 3, 1), "https://example.com/a", ""),
        "gpqa": ScoreCell(60.0, True, date(2025, 6, 1), "https://example.com/c", ""),
    }
    assert found["beta"]["mmlu"].run_tasks == 30
    assert found["alpha"] is found["alpha"]  # made once


def test_only_models_with_a_score_are_in_it():
    found = cells()
    assert list(found) == ["alpha", "beta"] and len(found) == 2
    assert "gamma" not in found and "nobody" not in found
    assert found.get("gamma", {}) == {} and found.get("nobody") is None


def test_a_benchmark_s_cells_and_the_newest_date():
    found = cells()
    assert [(m, c.value) for m, c in found.of_benchmark(0)] == [("alpha", 80.0), ("beta", 70.0)]
    assert [(m, c.value) for m, c in found.of_benchmark(1)] == [("alpha", 60.0)]
    assert found.newest() == date(2025, 6, 1)
    assert Cells.empty().newest() is None and list(Cells.empty()) == []


def test_replacing_models_leaves_the_original_as_it_was():
    before = cells()
    edited = ScoreCell(90.0, True, date(2025, 9, 1), "https://example.com/d", "")
    after = before.replace({"beta": {}, "gamma": {"gpqa": edited}})
    assert list(after) == ["alpha", "gamma"] and "beta" not in after
    assert after["gamma"] == {"gpqa": edited}
    assert [(m, c.value) for m, c in after.of_benchmark(1)] == [("alpha", 60.0), ("gamma", 90.0)]
    assert [m for m, _ in after.of_benchmark(0)] == ["alpha"]
    assert after.newest() == date(2025, 9, 1)
    assert list(before) == ["alpha", "beta"] and before["beta"]["mmlu"].value == 70.0


def test_a_pickled_copy_reads_the_same():
    original = cells().replace({"gamma": {"mmlu": ScoreCell(1.0, False, None, "", "")}})
    copy = pickle.loads(pickle.dumps(original))  # noqa: S301 (pickled by the line itself)
    assert {m: dict(c) for m, c in copy.items()} == {m: dict(c) for m, c in original.items()}
    assert copy.newest() == original.newest()


def test_pickled_cells_store_each_repeated_date_url_and_note_once():
    link = "https://example.com/"
    rows = [  # as the database returns them: an equal URL is a new string on every row
        (i, 21, float(i % 90), i % 2 == 0, date(2025, 3, 1), link + "a", "", None, 5, None)
        for i in range(2_000)
    ]
    owner = np.arange(2_000) % 3
    original = Cells(rows, owner, np.zeros(2_000, dtype=np.intp), MODELS, ["mmlu"], skip=2)
    assert Columns.of(rows, skip=2).distinct == [date(2025, 3, 1), link + "a", ""]
    copy = pickle.loads(pickle.dumps(original))  # noqa: S301 (pickled by the line itself)
    assert copy["beta"]["mmlu"] == original["beta"]["mmlu"]
    assert copy["beta"]["mmlu"]._replace(value=0.0) == ScoreCell(
        0.0, False, date(2025, 3, 1), link + "a", "", None, 5
    )
    assert copy.newest() == date(2025, 3, 1)
    assert list(copy) == ["alpha", "beta", "gamma"]


# Today's board: figures as columns, the rest read by a function when a page asks.
DETAILS = {  # (model id, benchmark id) -> as of, source, note, run tokens and tasks
    (11, 21): (date(2025, 3, 1), "https://example.com/a", "", None, None, None),
    (12, 21): (None, "https://example.com/b", "pass@1", 10, 20, 30),
    (11, 22): (date(2025, 6, 1), "https://example.com/c", "", None, None, None),
}
READS: list[tuple] = []


def read_details(models, benchmark) -> list[tuple]:
    """As ``scoreboard.score_details`` reads them, recording each read."""
    READS.append((None if models is None else sorted(models), benchmark))
    return [
        (m, b, *rest)
        for (m, b), rest in DETAILS.items()
        if (models is None or m in models) and (benchmark is None or b == benchmark)
    ]


def figure_cells() -> Cells:
    READS.clear()
    figures = Figures(
        np.array([80.0, 70.0, 60.0]),
        np.array([True, False, True]),
        np.array([11, 12, 13]),  # model ids by position: alpha, beta, gamma
        np.array([21, 22]),  # benchmark ids by position: mmlu, gpqa
        read_details,
        date(2025, 6, 1),
    )
    return Cells(figures, OWNER, BENCH, MODELS, BENCHMARKS)


def test_figure_cells_read_their_details_once_for_all_the_models_asked():
    found = figure_cells()
    assert READS == []  # nothing read until a page asks
    found.load(["alpha", "beta", "gamma"])
    assert READS == [([11, 12], None)]  # one read, for the models with a score
    assert found["alpha"] == cells()["alpha"] and found["beta"] == cells()["beta"]
    assert found.get("gamma") is None
    found.load(["alpha"])
    assert found["beta"]["mmlu"].run_tasks == 30 and len(READS) == 1  # made once


def test_figure_cells_give_their_figures_without_reading_details():
    found = figure_cells()
    assert found.measured("alpha") == {"mmlu": (80.0, True), "gpqa": (60.0, True)}
    assert found.measured("beta") == {"mmlu": Measured(70.0, False)}
    assert found.measured("gamma") == {} and found.measured("nobody") == {}
    assert list(found) == ["alpha", "beta"] and "gamma" not in found
    assert found.newest() == date(2025, 6, 1)
    assert READS == []


def test_a_benchmark_s_figure_cells_read_that_benchmark_s_details():
    found = figure_cells()
    assert found.of_benchmark(0) == cells().of_benchmark(0)
    assert READS == [(None, 21)]


def test_a_score_deleted_since_the_board_was_built_keeps_its_figure_without_a_source():
    found = figure_cells()
    gone = DETAILS.pop((12, 21))
    try:
        assert found["beta"]["mmlu"] == ScoreCell(70.0, False, None, "", "")
    finally:
        DETAILS[(12, 21)] = gone


def test_pickled_figure_cells_keep_the_reader_and_replaced_models():
    edited = ScoreCell(90.0, True, date(2025, 9, 1), "https://example.com/d", "")
    original = figure_cells().replace({"beta": {"mmlu": edited}})
    copy = pickle.loads(pickle.dumps(original))  # noqa: S301 (pickled by the line itself)
    assert copy["beta"] == {"mmlu": edited} and copy.measured("beta") == {"mmlu": (90.0, True)}
    assert copy["alpha"] == cells()["alpha"]
    assert READS[-1] == ([11], None) and copy.newest() == date(2025, 9, 1)
