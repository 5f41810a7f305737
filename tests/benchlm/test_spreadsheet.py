"""Spreadsheet formulas in CSV cells: neutralised on the way out, restored exactly on the way in."""

from hypothesis import given
from hypothesis import strategies as st

from benchlm.spreadsheet import TRIGGERS, cell, neutralise, restore


def test_every_trigger_gets_an_apostrophe():
    for trigger in TRIGGERS:
        assert neutralise(f"{trigger}HYPERLINK(1)") == f"'{trigger}HYPERLINK(1)"
    assert neutralise("GPT-4.1") == "GPT-4.1"
    assert neutralise("") == ""


def test_an_apostrophe_already_there_is_kept_by_a_second_one():
    assert neutralise("'=x") == "''=x" and restore("''=x") == "'=x"
    assert neutralise("'quoted") == "''quoted" and restore("''quoted") == "'quoted"
    # A cell a person typed with one apostrophe before plain text is left as typed.
    assert restore("'quoted") == "'quoted"


def test_numbers_pass_through_untouched():
    assert cell(-5) == -5 and cell(12.5) == 12.5 and cell(None) is None
    assert cell("-5") == "'-5"  # text that looks like a number is still text


@given(st.text())
def test_restore_undoes_neutralise_for_any_text(text):
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(TRIGGERS)
