"""A worker's threads share one board and its memo of displayed figures: a list on the board is
either complete or absent, never half-built where another request can read it."""

import pytest

from comparisons import presenter
from comparisons.scoreboard import get_board
from comparisons.scoring import Lane
from comparisons.views import compare, models
from tests.factories import build_catalogue

pytestmark = pytest.mark.django_db


def interleaved(monkeypatch, read):
    """While the board's list is being built (at its second model), another request reads it."""
    calls = []
    present = presenter.present

    def present_and_interleave(board, lane, slug):
        calls.append(slug)
        if len(calls) == 2:
            read(board, lane)
        return present(board, lane, slug)

    monkeypatch.setattr(presenter, "present", present_and_interleave)
    monkeypatch.setattr(compare, "present", present_and_interleave)


def test_a_model_page_never_reads_another_requests_half_built_profile_list(monkeypatch):
    build_catalogue(12)
    board = get_board()
    last = list(board.models)[-1]
    seen = []
    interleaved(monkeypatch, lambda b, lane: seen.append(models.profile_basis(b, lane, last)[0]))
    facts = models.profile_facts(board, Lane.PROVISIONAL)
    assert [f.slug for f in facts] == list(board.models)
    assert seen and seen[0].slug == last  # the other request found the model it asked for


def test_pair_suggestions_never_read_a_half_built_list_of_contenders(monkeypatch):
    build_catalogue(12)
    board = get_board()
    seen = []
    interleaved(monkeypatch, lambda b, lane: seen.append(len(compare.contenders(b, lane))))
    assert len(compare.contenders(board, Lane.PROVISIONAL)) == len(board.models)
    assert seen == [len(board.models)]
