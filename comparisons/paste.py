"""Reading a benchmark table pasted from a model announcement: the admin's "Paste a table" page.

Vendors publish their figures as tables on a web page: copied from a browser they arrive
tab-separated, from a README as Markdown, from a PDF or a terminal as columns aligned with
spaces. Models may be the columns or the rows, percentages may carry "%", bold marks or
footnote signs. This module turns such text into cells, each mapped to a model and a benchmark
of the catalogue, and says how sure each mapping is, so the editor checks only the guesses.

Pure Python, no ORM: the catalogue comes in as lists of (slug, name) pairs, which keeps every
rule testable on real announcement tables (tests/fixtures/paste/).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

# A pasted table larger than this is not an announcement table: refuse it instead of working.
MAX_CHARS = 100_000
MAX_ROWS = 300
MAX_COLUMNS = 60
CENT = Decimal("0.01")

MISSING = {"", "-", "\u2013", "\u2014", "n/a", "na", "n.a.", "?", "x", "/", "none", "null"}
SEPARATOR_CELL = re.compile(r"^:?-+:?$")
NUMBER = re.compile(r"^[<>~≈]?\s*(\d{1,3}(?:[.,]\d+)?)\s*%?$")
# Footnote signs and emphasis that vendors put around a figure: "**87.5**", "61.7*", "90.2†".
DECORATION = re.compile(r"^[*_`]+|[*_`†‡§¹²³⁴⁵⁶⁷⁸⁹]+$")
LEADING_NUMBER = re.compile(r"^[<>~≈]?\s*(\d{1,3}(?:[.,]\d+)?)\s*%?\s*[\s(\[/±+]")
PARENTHETICAL = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*")
# A bracketed qualifier made only of these words is the evaluation setting, not another
# benchmark: "MMLU (5-shot)" and "GPQA Diamond (0-shot CoT)" are sure matches.
SETTING_WORD = re.compile(
    r"^(\d+-?shots?|zero-?shot|few-?shot|cot|em|acc|accuracy|f1|score|correct|prompt|strict|"
    r"loose|pass@\d+|maj@\d+|avg@\d+|pass\^\d+|mean@\d+|metric|%|no|tools|chat|instruct)$"
)
MODEL_HEADERS = {"model", "models", "modelname", "name", "llm", "system"}
# Short names announcements use for one variant of a benchmark the catalogue names in full.
# Matches through them are guesses, so the editor still confirms them.
ALIASES = {
    "gpqa": "gpqa-diamond",
    "swebench": "swe-bench-verified",
    "humanitysexam": "hle",
    "humanityslastexam": "hle",
    "tau2bench": "tau2-telecom",
    "terminalbench": "terminal-bench-2",
    "osworld": "osworld-verified",
}


class Confidence(StrEnum):
    SURE = "sure"  # the label is the name or slug, ignoring case and punctuation
    GUESS = "guess"  # a likely match the editor should check
    NONE = "none"  # nothing in the catalogue resembles the label


@dataclass(frozen=True, slots=True)
class Match:
    slug: str | None
    confidence: Confidence

    @property
    def flagged(self) -> bool:
        return self.confidence != Confidence.SURE


@dataclass(frozen=True, slots=True)
class Value:
    """A figure read from a cell: ``number`` None when empty or unreadable (see ``problem``)."""

    raw: str
    number: Decimal | None
    problem: str = ""  # why the number is missing or doubtful; "" when clean

    @property
    def flagged(self) -> bool:
        return bool(self.problem)


@dataclass(frozen=True, slots=True)
class Label:
    text: str
    match: Match


@dataclass(frozen=True, slots=True)
class Cell:
    model: int  # index into PastedTable.models
    benchmark: int  # index into PastedTable.benchmarks
    value: Value


@dataclass
class PastedTable:
    """The table as models x benchmarks, whichever way round it was pasted."""

    format: str  # "tab", "markdown" or "aligned"
    models_in_columns: bool
    models: list[Label] = field(default_factory=list)
    benchmarks: list[Label] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why nothing could be read, if so

    def cell_flagged(self, cell: Cell) -> bool:
        """Whether the editor must look at this cell: a guessed mapping or a doubtful figure."""
        return (
            cell.value.flagged
            or self.models[cell.model].match.flagged
            or self.benchmarks[cell.benchmark].match.flagged
        )


# --- Splitting text into rows of cells --------------------------------------------------------


def _clean_label(cell: str) -> str:
    """A header or row label without Markdown emphasis, links or footnote marks."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell)  # [text](url) -> text
    text = re.sub(r"<[^>]*>", "", text)  # <br>, <sup>
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return DECORATION.sub("", text.strip()).strip()


def detect_format(lines: Sequence[str]) -> str:
    if any("\t" in line for line in lines):
        return "tab"
    piped = sum(1 for line in lines if line.count("|") >= 2)
    if piped >= max(2, len(lines) // 2):
        return "markdown"
    return "aligned"


def split_rows(text: str) -> tuple[str, list[list[str]]]:
    """The format and the rows of cells, blank lines and Markdown rules dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line.strip()]
    fmt = detect_format(lines)
    rows: list[list[str]] = []
    for line in lines:
        if fmt == "tab":
            cells = line.split("\t")
        elif fmt == "markdown":
            if line.count("|") < 2:
                continue  # prose around the table
            body = line.strip()
            body = body[1:] if body.startswith("|") else body
            body = body[:-1] if body.endswith("|") else body
            cells = body.split("|")
            if all(SEPARATOR_CELL.match(c.strip()) or not c.strip() for c in cells):
                continue
        else:
            cells = re.split(r"\s{2,}", line.strip())
        rows.append([c.strip() for c in cells])
    return fmt, rows


# --- Figures ----------------------------------------------------------------------------------


def parse_value(raw: str) -> Value:
    """A percentage from a cell: "87.5", "87.5%", "**87.5**", "61%*"; a dash is no figure.

    A figure followed by more text ("78.8 (5-shot)", "62.1 / 70.3") keeps its first number and
    is flagged; a figure outside 0 to 100 is not a percentage and is refused.
    """
    text = _clean_label(raw).replace("\u2009", " ").replace("\xa0", " ").strip()
    if text.lower() in MISSING:
        return Value(raw, None)
    problem = ""
    found = NUMBER.match(text)
    if found is None:
        found = LEADING_NUMBER.match(text + " ")
        problem = "more than one figure in the cell: the first was taken"
    if found is None:
        return Value(raw, None, "not a number")
    try:
        number = Decimal(found.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return Value(raw, None, "not a number")
    if number > 100:
        return Value(raw, None, "above 100: not a percentage")
    return Value(raw, number, problem)


def _numeric(cell: str) -> bool:
    value = parse_value(cell)
    return value.number is not None


# --- Names ------------------------------------------------------------------------------------


def normalise(name: str) -> str:
    """Case and punctuation ignored: "GPT-4.1 mini" and "gpt 4.1-Mini" are one name."""
    return re.sub(r"[^0-9a-z]+", "", _clean_label(name).lower())


def _setting_only(label: str) -> bool:
    """Whether every bracketed part of ``label`` names only an evaluation setting."""
    parts = re.findall(r"[(\[]([^)\]]*)[)\]]", label)
    words = [w for part in parts for w in re.split(r"[\s,;/]+", part.lower().strip(" .")) if w]
    return bool(words) and all(SETTING_WORD.match(w.strip(".")) for w in words)


def match_name(label: str, candidates: Sequence[tuple[str, str]]) -> Match:
    """The candidate (slug, name) ``label`` names, and how sure that is.

    Sure: the label equals a name or slug, ignoring case and punctuation, or does once a
    bracketed evaluation setting is dropped ("MMLU (5-shot)"). Guesses, in order: equal once
    another bracketed qualifier is dropped ("LiveCodeBench (1201-0401)"), one name starting
    with the other ("GPQA" ~ "GPQA Diamond"), then a close spelling. A guess is a proposal.
    """
    key = normalise(label)
    if not key:
        return Match(None, Confidence.NONE)
    names = {}
    for slug, name in candidates:
        names.setdefault(normalise(name), slug)
        names.setdefault(normalise(slug), slug)
    if key in names:
        return Match(names[key], Confidence.SURE)
    bare = normalise(PARENTHETICAL.sub(" ", _clean_label(label)))
    if bare and bare in names:
        return Match(names[bare], Confidence.SURE if _setting_only(label) else Confidence.GUESS)
    stem = bare or key
    slugs = {slug for slug, _ in candidates}
    if ALIASES.get(stem) in slugs:
        return Match(ALIASES[stem], Confidence.GUESS)
    # One name starting with the other: the label may leave words out ("GPQA" for "GPQA
    # Diamond", "Qwen2.5 72B-Inst."), or add a date stamp ("GPT-4o 0513"); a label that adds
    # words names another variant ("GPT-4.1 nano" is not "GPT-4.1") and matches nothing here.
    prefixed = [
        (len(name), slug)
        for name, slug in names.items()
        if len(stem) >= 3
        and len(name) >= 3
        and (name.startswith(stem) or (stem.startswith(name) and stem[len(name) :].isdigit()))
    ]
    if prefixed:
        # The closest in length: "GPQA" -> "GPQA Diamond" before a longer "GPQA Diamond Extended".
        return Match(
            min(prefixed, key=lambda p: (abs(p[0] - len(stem)), p[1]))[1], Confidence.GUESS
        )
    close = difflib.get_close_matches(stem, list(names), n=1, cutoff=0.8)
    if close:
        return Match(names[close[0]], Confidence.GUESS)
    return Match(None, Confidence.NONE)


def _match_score(labels: Sequence[str], candidates: Sequence[tuple[str, str]]) -> int:
    """How well labels fit a list: two points a sure match, one a guess."""
    points = {Confidence.SURE: 2, Confidence.GUESS: 1, Confidence.NONE: 0}
    return sum(points[match_name(text, candidates).confidence] for text in labels)


# --- The table --------------------------------------------------------------------------------


def parse_table(
    text: str,
    models: Sequence[tuple[str, str]],
    benchmarks: Sequence[tuple[str, str]],
) -> PastedTable:
    """Read pasted text into models x benchmarks, matched against the catalogue's lists.

    The first row holds the column labels and the first column the row labels. Other columns
    that are mostly words ("Domain", "# Shots") are descriptions and are left out, as are rows
    without any figure ("English", a section heading). Orientation: whichever way round matches
    the catalogue better; on a tie, a corner label "Model" means models are rows, else columns.
    """
    if len(text) > MAX_CHARS:
        return PastedTable("", True, problems=[f"More than {MAX_CHARS:,} characters."])
    fmt, rows = split_rows(text)
    if len(rows) > MAX_ROWS or any(len(row) > MAX_COLUMNS for row in rows):
        return PastedTable(fmt, True, problems=["Too many rows or columns for one table."])
    if len(rows) < 2:
        return PastedTable(fmt, True, problems=["A table needs a header row and a row of figures."])
    header, body = rows[0], rows[1:]
    width = max(len(row) for row in rows)
    if fmt == "aligned" and len(header) == width - 1:
        header = ["", *header]  # an aligned header often leaves the corner empty
    header += [""] * (width - len(header))
    body = [row + [""] * (width - len(row)) for row in body]
    body = [row for row in body if any(_numeric(cell) for cell in row[1:])]
    value_columns = [
        col
        for col in range(1, width)
        if header[col].strip()
        and sum(_numeric(row[col]) for row in body) * 2
        >= sum(bool(row[col].strip()) for row in body)
        and any(_numeric(row[col]) for row in body)
    ]
    if not body or not value_columns:
        return PastedTable(fmt, True, problems=["No figures found under the header row."])
    # The row labels: the fullest column of words left of the figures ("Benchmark", not a
    # section column that names only the first row of each group).
    words = [col for col in range(value_columns[0]) if col not in value_columns]
    label_col = max(
        words or [0], key=lambda col: (sum(bool(row[col].strip()) for row in body), -col)
    )
    column_labels = [_clean_label(header[col]) for col in value_columns]
    row_labels = [_clean_label(row[label_col]) for row in body]
    as_columns = _match_score(column_labels, models) + _match_score(row_labels, benchmarks)
    as_rows = _match_score(row_labels, models) + _match_score(column_labels, benchmarks)
    corner = normalise(header[0])
    if as_columns != as_rows:
        models_in_columns = as_columns > as_rows
    else:
        models_in_columns = corner not in MODEL_HEADERS
    model_texts, bench_texts = (
        (column_labels, row_labels) if models_in_columns else (row_labels, column_labels)
    )
    table = PastedTable(
        fmt,
        models_in_columns,
        models=_one_label_each([Label(t, match_name(t, models)) for t in model_texts]),
        benchmarks=_one_label_each([Label(t, match_name(t, benchmarks)) for t in bench_texts]),
    )
    fractions = _all_fractions([parse_value(row[col]) for row in body for col in value_columns])
    for r, row in enumerate(body):
        for c, col in enumerate(value_columns):
            value = _as_percentage(parse_value(row[col]), fractions)
            if value.number is None and not value.problem:
                continue  # an empty cell: no figure, nothing to import
            m, b = (c, r) if models_in_columns else (r, c)
            table.cells.append(Cell(m, b, value))
    return table


def _all_fractions(values: Sequence[Value]) -> bool:
    """Whether every figure lies between 0 and 1: a table of fractions (0.7149 for 71.49 %)."""
    numbers = [v.number for v in values if v.number is not None]
    return bool(numbers) and all(n <= 1 for n in numbers)


def _tidy(number: Decimal) -> Decimal:
    """Two decimal places at most, as a score is stored, no trailing zeros: 71.4900 is 71.49."""
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    return number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()


def _as_percentage(value: Value, fractions: bool) -> Value:
    """A fraction table is read as percentages, flagged; a lone figure below 1 among
    percentages (bits per byte, a loss) is flagged as no percentage at all. A figure with more
    than two decimals is rounded to two, flagged."""
    if value.number is None:
        return value
    number, problems = value.number, [value.problem] if value.problem else []
    if fractions:
        number *= 100
        problems.append("read as a fraction and multiplied by 100")
    elif 0 < number < 1:
        problems.append("below 1 among percentages: not a percentage?")
    if number != _tidy(number):
        problems.append("rounded to two decimals")
    return Value(value.raw, _tidy(number), "; ".join(problems))


def _one_label_each(labels: list[Label]) -> list[Label]:
    """A catalogue entry proposed for one label only: the surest, else the first. Two columns
    on one benchmark would make the importer refuse the whole paste; the others start unmapped."""
    best: dict[str, int] = {}
    rank = {Confidence.SURE: 0, Confidence.GUESS: 1, Confidence.NONE: 2}
    for index, label in enumerate(labels):
        slug = label.match.slug
        if slug is None:
            continue
        if (
            slug not in best
            or rank[label.match.confidence] < rank[labels[best[slug]].match.confidence]
        ):
            best[slug] = index
    return [
        label
        if label.match.slug is None or best[label.match.slug] == index
        else Label(label.text, Match(None, Confidence.NONE))
        for index, label in enumerate(labels)
    ]


def scores_csv(
    rows: Sequence[tuple[str, str, Decimal]], source_url: str, note: str, as_of: date | None = None
) -> str:
    """The scores.csv text of the import format for (model slug, benchmark slug, value) rows,
    each carrying the source address and the note, unverified until an editor checks it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["model", "benchmark", "score", "as_of", "source_url", "note", "verified"])
    day = as_of.isoformat() if as_of else ""
    for model, benchmark, value in rows:
        writer.writerow([model, benchmark, str(value), day, source_url, note, "no"])
    return out.getvalue()
