"""Malformed files, through the admin's upload and ``manage.py import_data`` alike.

Each case ends in errors that name a line, nothing written, and no 500 or traceback: a NUL byte
(which PostgreSQL cannot store) included. A file of thousands of bad rows lists the first ones
and counts the rest, so the admin page stays small.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from comparisons.importer import MAX_LISTED_ERRORS, import_catalogue
from tests.comparisons.test_admin import upload
from tests.comparisons.test_importer import (
    BENCHMARKS_CSV,
    MODEL_HEADER,
    MODELS_CSV,
    SCORES_CSV,
    SMALL,
    dump,
    small,  # noqa: F401 (a fixture)
    write_files,
)

pytestmark = pytest.mark.django_db

SCORE_HEADER = "model,benchmark,score,as_of,source_url,note,verified\n"
GOOD_SCORE = "gpt-4-1-mini,swe-bench-verified,23.6,2025-04-14,,,\n"

# (case, file, text, line of the first error)
CASES = [
    (
        "nul in a note",
        "scores.csv",
        SCORES_CSV + "gpt-4-1-mini,swe-bench-verified,2,,,a\x00b,\n",
        5,
    ),
    ("nul in a slug", "scores.csv", SCORES_CSV + "gpt-4-1\x00,swe-bench-verified,2,,,,\n", 5),
    ("nul as a cell", "models.csv", MODELS_CSV + "\x00\n", 4),
    (
        "nul in a number",
        "scores.csv",
        SCORES_CSV + "gpt-4-1-mini,swe-bench-verified,2\x003,,,,\n",
        5,
    ),
    ("nul in a quoted cell", "benchmarks.csv", BENCHMARKS_CSV + 'mmmu,MMMU,x,1,"a\x00\nb",\n', 4),
    ("nul in the header", "scores.csv", "model,bench\x00mark,score\n" + GOOD_SCORE, 1),
    ("nul-only file", "scores.csv", "\x00" * 64, 1),
    (
        "unclosed quote",
        "scores.csv",
        SCORE_HEADER + 'gpt-4-1-mini,"swe-bench-verified,23.6,,,,\n',
        2,
    ),
    ("too few cells", "scores.csv", SCORE_HEADER + "gpt-4-1-mini,swe-bench-verified\n", 2),
    ("too many cells", "scores.csv", SCORE_HEADER + GOOD_SCORE.strip() + ",extra,more\n", 2),
    ("semicolons", "scores.csv", SCORE_HEADER.replace(",", ";") + GOOD_SCORE.replace(",", ";"), 0),
    ("header only, wrong", "models.csv", "slug,name\n", 0),
    ("empty file", "scores.csv", "", 0),
    ("blank header", "scores.csv", "\n\n" + GOOD_SCORE, 0),
    ("duplicate header", "scores.csv", SCORE_HEADER.strip() + ",note\n" + GOOD_SCORE, 0),
    ("unknown file", "prices.csv", "a,b\n1,2\n", 0),
    (
        "huge cell",
        "scores.csv",
        SCORE_HEADER + "gpt-4-1-mini,swe-bench-verified," + "9" * 500_000 + ",,,,\n",
        2,
    ),
    ("huge text", "scores.csv", SCORE_HEADER + "x" * 300_000 + ",swe-bench-verified,2,,,,\n", 2),
    ("binary junk", "scores.csv", SCORE_HEADER + "\x01\x02\x03,\x7f,\x1b[31m,,,,\n", 2),
    ("lone carriage returns", "scores.csv", SCORE_HEADER.replace("\n", "\r") + "x\ry\r", 2),
    ("formula score", "scores.csv", SCORE_HEADER + "gpt-4-1-mini,swe-bench-verified,=1+1,,,,\n", 2),
    ("infinity", "scores.csv", SCORE_HEADER + "gpt-4-1-mini,swe-bench-verified,Infinity,,,,\n", 2),
    ("exponent", "scores.csv", SCORE_HEADER + "gpt-4-1-mini,swe-bench-verified,1e400,,,,\n", 2),
    (
        "bad date",
        "scores.csv",
        SCORE_HEADER + "gpt-4-1-mini,swe-bench-verified,2,2025-13-40,,,\n",
        2,
    ),
    (
        "javascript url",
        "scores.csv",
        SCORE_HEADER + "gpt-4-1-mini,swe-bench-verified,2,,javascript:alert(1),,\n",
        2,
    ),
    ("unknown model", "scores.csv", SCORE_HEADER + "nobody,swe-bench-verified,2,,,,\n", 2),
    (
        "huge integer",
        "models.csv",
        MODELS_CSV + "m-x,M,OpenAI,,,no,no," + "9" * 40 + ",,,,,,,,,,\n",
        4,
    ),
    ("bad slug", "models.csv", MODEL_HEADER + "\n" + "<script>,M,OpenAI,,,no,no,,,,,,,,,,,\n", 2),
]


@pytest.mark.parametrize(
    ("file", "text", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_malformed_file_is_refused_by_line_and_writes_nothing(small, file, text, line):  # noqa: F811
    before = dump()

    report = import_catalogue({**SMALL, file: text})

    assert report.errors, "a malformed file was accepted"
    assert report.errors[0].line == line, report.errors
    assert all(len(e.message) < 400 for e in report.errors)
    assert dump() == before


def test_a_nul_byte_through_the_admin_is_a_line_error_not_a_500(admin_client, small):  # noqa: F811
    before = dump()
    scores = SCORES_CSV + "gpt-4-1-mini,swe-bench-verified,2,,,bad\x00note,\n"
    response = admin_client.post(
        "/admin/comparisons/languagemodel/import/",
        {"scores": upload("scores.csv", scores), "dry_run": ""},
    )
    assert response.status_code == 200
    assert "line 5" in response.content.decode()
    assert "note: contains a NUL byte." in response.content.decode()
    assert dump() == before


def test_a_nul_byte_through_the_command_is_a_line_error(tmp_path, small):  # noqa: F811
    before = dump()
    directory = write_files(
        tmp_path / "in", {"scores.csv": SCORES_CSV + "gpt-4-1-mini,swe-bench-verified,1,,,\x00,\n"}
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="Not imported: 1 error"):
        call_command("import_data", str(directory), stderr=err)
    assert err.getvalue().splitlines() == ["scores.csv:5: note: contains a NUL byte."]
    assert dump() == before


def test_thousands_of_bad_rows_list_the_first_and_count_the_rest(admin_client, tmp_path, small):  # noqa: F811
    bad = SCORE_HEADER + "gpt-4-1-mini,swe-bench-verified,abc" + "x" * 40 + ",,,,\n"
    text = bad + bad.split("\n", 1)[1] * 25_000  # about 2 MB: a bad score and a duplicate a row
    assert 1_500_000 < len(text) < 2 * 1024 * 1024
    total = len(import_catalogue({**SMALL, "scores.csv": text}).errors)
    assert total > 25_000

    response = admin_client.post(
        "/admin/comparisons/languagemodel/import/", {"scores": upload("scores.csv", text)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{total} problems found." in page
    assert page.count("<td>scores.csv</td>") == MAX_LISTED_ERRORS
    assert f"and {total - MAX_LISTED_ERRORS} more, not listed" in page
    assert len(page) < 100_000, len(page)

    directory = write_files(tmp_path / "in", {"scores.csv": text})
    err = io.StringIO()
    with pytest.raises(CommandError, match=f"Not imported: {total} errors"):
        call_command("import_data", str(directory), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == MAX_LISTED_ERRORS + 1
    assert lines[-1] == f"… and {total - MAX_LISTED_ERRORS} more errors not listed."
