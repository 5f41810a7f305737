"""The catalogue's CSV format: columns, cell types and parsing, with no database.

``parse_file`` turns the text of one file into typed rows and ``RowError``s, so every bad cell
of every file is found in one pass before anything is written (``comparisons.importer``), and
``comparisons.exporter`` writes the same columns back. Errors carry the physical line of the row
in its file (the header is line 1; a quoted cell that spans lines counts each of them).
File-level errors (a missing or unknown column, an unreadable or absent file) use line 0.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug

from benchlm.spreadsheet import restore
from comparisons.models import (
    no_vs_validator,
    slug_validator,
)

CSV_FILES = ("benchmarks.csv", "models.csv", "scores.csv")
KINDS = ("benchmarks", "categories", "providers", "families", "models", "scores")

BENCHMARK_COLUMNS = ("slug", "name", "category", "weight", "description", "url")
MODEL_COLUMNS = (
    "slug",
    "name",
    "provider",
    "family",
    "release_date",
    "reasoning",
    "open_weights",
    "context_window",
    "max_output_tokens",
    "input_price",
    "output_price",
    "cached_input_price",
    "output_speed",
    "ttft",
    "knowledge_cutoff",
    "input_modalities",
)
MODEL_OPTIONAL_COLUMNS = (
    "batch_input_price",
    "batch_output_price",
    "cache_write_price",
    "long_context_threshold",
    "long_context_input_price",
    "long_context_output_price",
    "long_context_cached_input_price",
    "scheduled_price_date",
    "scheduled_input_price",
    "scheduled_output_price",
    "genai_provider_id",
    "genai_model_id",
    "prices_pinned",
    "variant_note",
)
SCORE_COLUMNS = ("model", "benchmark", "score", "as_of", "source_url", "note")
SCORE_OPTIONAL_COLUMNS = ("verified", "run_input_tokens", "run_output_tokens", "run_tasks")

# Columns whose cell may not be empty; every other empty cell means "unknown".
REQUIRED_VALUES = {"slug", "name", "provider", "category", "model", "benchmark", "score"}

# A NUL byte is never CSV text (PostgreSQL cannot even store one): a line error like any bad cell.
NUL = "\x00"
MAX_MESSAGE = 300

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
INTEGER_RE = re.compile(r"^\d+$")


@dataclass(frozen=True)
class RowError:
    file: str
    line: int  # physical line in the file, header = 1; 0 for the file as a whole
    message: str

    def __post_init__(self) -> None:
        # Messages quote the bad cell; one of a megabyte is cut to a readable length.
        if len(self.message) > MAX_MESSAGE:
            object.__setattr__(self, "message", f"{self.message[:MAX_MESSAGE]}… (cut)")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


# --- Parsing: CSV text -> typed values, no database ----------------------------------------


def _text(cell: str) -> str:
    return cell


def _check(validator: Callable[[str], None], cell: str) -> str:
    try:
        validator(cell)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from error
    return cell


def _slug(cell: str) -> str:
    return _check(validate_slug, cell)


def _model_slug(cell: str) -> str:
    _check(slug_validator, cell)
    return _check(no_vs_validator, cell)


def _decimal(cell: str) -> Decimal | None:
    if not cell:
        return None
    try:
        value = Decimal(cell)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValueError(f"“{cell}” is not a number.")
    return value


def _price(cell: str) -> Decimal | None:
    value = _decimal(cell)
    if value is not None and value < 0:
        raise ValueError(f"{cell} is negative; a price is 0 or more (USD per 1M tokens).")
    return value


def _weight(cell: str) -> Decimal:
    """An empty weight is the default, 1: a benchmark always counts unless told otherwise."""
    value = _decimal(cell)
    if value is not None and value < 0:
        raise ValueError(f"{cell} is negative; a weight is 0 or more.")
    return Decimal(1) if value is None else value


def _score(cell: str) -> Decimal | None:
    value = _decimal(cell)
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"{cell} is not between 0 and 100; a score is a percentage.")
    return value


def _integer(cell: str) -> int | None:
    if not cell:
        return None
    if not INTEGER_RE.match(cell):
        raise ValueError(f"“{cell}” is not a whole number of 0 or more.")
    return int(cell)


def _tasks(cell: str) -> int | None:
    value = _integer(cell)
    if value == 0:
        raise ValueError("0 tasks; a run has at least one task (leave it empty when unknown).")
    return value


def _float(cell: str) -> float | None:
    value = _decimal(cell)
    if value is not None and value < 0:
        raise ValueError(f"{cell} is negative; use 0 or more.")
    return None if value is None else float(value)


def _yes_no(cell: str) -> bool:
    """Empty is "no", the model's default; anything but yes/no is a typo worth reporting."""
    if cell.lower() in ("", "no"):
        return False
    if cell.lower() == "yes":
        return True
    raise ValueError(f"“{cell}” is neither yes nor no.")


def _date(cell: str) -> date | None:
    if not cell:
        return None
    try:
        if DATE_RE.match(cell):
            return date.fromisoformat(cell)
    except ValueError:
        pass
    raise ValueError(f"“{cell}” is not a date as YYYY-MM-DD.")


def _month(cell: str) -> str:
    if cell and not MONTH_RE.match(cell):
        raise ValueError(f"“{cell}” is not a month as YYYY-MM.")
    return cell


def _modalities(cell: str) -> str:
    return "+".join(part.strip() for part in cell.split("+")) if cell else ""


def _feed_id(cell: str) -> str:
    """A genai-prices id: provider ids and model ids such as "Qwen/Qwen3-8B" or "gpt-4.1"."""
    if cell and not re.match(r"^[A-Za-z0-9][A-Za-z0-9._:/@-]*$", cell):
        raise ValueError(f"“{cell}” is not a price feed id (letters, digits, . _ : / @ -).")
    return cell


Converter = Callable[[str], Any]


@dataclass(frozen=True)
class FileFormat:
    """One file's columns: CSV column -> (model field, converter)."""

    name: str
    columns: dict[str, tuple[str, Converter]]
    optional: tuple[str, ...] = ()

    @property
    def required(self) -> list[str]:
        return [column for column in self.columns if column not in self.optional]


BENCHMARKS = FileFormat(
    "benchmarks.csv",
    {
        "slug": ("slug", _slug),
        "name": ("name", _text),
        "category": ("category", _slug),
        "weight": ("weight", _weight),
        "description": ("description", _text),
        "url": ("url", _text),
    },
)
MODELS = FileFormat(
    "models.csv",
    {
        "slug": ("slug", _model_slug),
        "name": ("name", _text),
        "provider": ("provider", _text),
        "family": ("family", _text),
        "release_date": ("release_date", _date),
        "reasoning": ("reasoning", _yes_no),
        "open_weights": ("open_weights", _yes_no),
        "context_window": ("context_window", _integer),
        "max_output_tokens": ("max_output_tokens", _integer),
        "input_price": ("input_price", _price),
        "output_price": ("output_price", _price),
        "cached_input_price": ("cached_input_price", _price),
        "output_speed": ("output_speed", _float),
        "ttft": ("ttft", _float),
        "knowledge_cutoff": ("knowledge_cutoff", _month),
        "input_modalities": ("input_modalities", _modalities),
        "batch_input_price": ("batch_input_price", _price),
        "batch_output_price": ("batch_output_price", _price),
        "cache_write_price": ("cache_write_price", _price),
        "long_context_threshold": ("long_context_threshold", _integer),
        "long_context_input_price": ("long_context_input_price", _price),
        "long_context_output_price": ("long_context_output_price", _price),
        "long_context_cached_input_price": ("long_context_cached_input_price", _price),
        "scheduled_price_date": ("scheduled_price_date", _date),
        "scheduled_input_price": ("scheduled_input_price", _price),
        "scheduled_output_price": ("scheduled_output_price", _price),
        "genai_provider_id": ("genai_provider_id", _feed_id),
        "genai_model_id": ("genai_model_id", _feed_id),
        "prices_pinned": ("prices_pinned", _yes_no),
        "variant_note": ("variant_note", _text),
    },
    optional=MODEL_OPTIONAL_COLUMNS,
)
SCORES = FileFormat(
    "scores.csv",
    {
        "model": ("model", _text),
        "benchmark": ("benchmark", _text),
        "score": ("value", _score),
        "as_of": ("as_of", _date),
        "source_url": ("source_url", _text),
        "note": ("note", _text),
        "verified": ("verified", _yes_no),
        "run_input_tokens": ("run_input_tokens", _integer),
        "run_output_tokens": ("run_output_tokens", _integer),
        "run_tasks": ("run_tasks", _tasks),
    },
    optional=SCORE_OPTIONAL_COLUMNS,
)
FORMATS = {f.name: f for f in (BENCHMARKS, MODELS, SCORES)}


@dataclass(frozen=True)
class Row:
    """One data row: model field -> value, for the columns the file has.

    ``valid`` is false when a cell was bad; the row then stays known (its slug still resolves
    references, so one bad price does not also make every score of that model "unknown") but
    is never written.
    """

    line: int
    values: dict[str, Any]
    valid: bool


@dataclass
class ParsedFile:
    name: str
    columns: tuple[str, ...] = ()
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse_file(name: str, text: str) -> ParsedFile:
    """Read one CSV file of the import format into rows, reporting every bad cell.

    Cells are stripped; a duplicate key (a slug, or a model and benchmark pair) is an error on
    the later line, naming the first.
    """
    spec = FORMATS[name]
    parsed = ParsedFile(name)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [cell.strip() for cell in next(reader, [])]
        if any(NUL in cell for cell in header):
            message = "The header contains a NUL byte: is this a CSV text file?"
            parsed.errors.append(RowError(name, reader.line_num, message))
            return parsed
        if not any(header):
            parsed.errors.append(RowError(name, 0, "The file is empty: expected a header row."))
            return parsed
        parsed.errors += _header_errors(spec, header)
        parsed.columns = tuple(header)
        # Without a required column no row can be written, but each is still checked.
        writable = all(column in header for column in spec.required)
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                row = _parse_row(spec, header, cells, line, parsed.errors)
                parsed.rows.append(row if writable else Row(line, row.values, valid=False))
    except csv.Error as error:
        parsed.errors.append(RowError(name, reader.line_num, f"Not valid CSV: {error}."))
    _check_duplicates(parsed)
    return parsed


def _header_errors(spec: FileFormat, header: list[str]) -> list[RowError]:
    errors = [
        RowError(spec.name, 0, f"Missing column “{column}”.")
        for column in spec.required
        if column not in header
    ]
    expected = ", ".join(spec.columns)
    errors += [
        RowError(spec.name, 0, f"Unknown column “{column}”; the columns are: {expected}.")
        for column in dict.fromkeys(header)
        if column not in spec.columns
    ]
    errors += [
        RowError(spec.name, 0, f"Column “{column}” appears {count} times.")
        for column, count in Counter(header).items()
        if count > 1
    ]
    return errors


def _parse_row(
    spec: FileFormat, header: list[str], cells: list[str], line: int, errors: list[RowError]
) -> Row:
    found: list[RowError] = []
    if len(cells) != len(header):
        found.append(
            RowError(spec.name, line, f"{len(cells)} cells, but the header has {len(header)}.")
        )
    values: dict[str, Any] = {}
    for column, cell in zip(header, cells, strict=False):
        if column not in spec.columns:
            continue
        target, convert = spec.columns[column]
        # An exported cell that a spreadsheet would have evaluated carries an apostrophe.
        cell = restore(cell.strip())
        if not cell and column in REQUIRED_VALUES:
            found.append(RowError(spec.name, line, f"{column}: required, but empty."))
            continue
        if NUL in cell:
            found.append(RowError(spec.name, line, f"{column}: contains a NUL byte."))
            continue
        try:
            values[target] = convert(cell)
        except ValueError as error:
            found.append(RowError(spec.name, line, f"{column}: {error}"))
    errors += found
    return Row(line, values, valid=not found)


def _key(name: str, row: Row) -> tuple[str, ...] | None:
    if name == SCORES.name:
        key = (row.values.get("model"), row.values.get("benchmark"))
        return key if all(key) else None
    return (row.values["slug"],) if row.values.get("slug") else None


def _check_duplicates(parsed: ParsedFile) -> None:
    first: dict[tuple[str, ...], int] = {}
    for index, row in enumerate(parsed.rows):
        key = _key(parsed.name, row)
        if key is None:
            continue
        if key in first:
            what = f"score for {key[0]} on {key[1]}" if len(key) == 2 else f"slug “{key[0]}”"
            message = f"Duplicate {what}, already on line {first[key]}."
            parsed.errors.append(RowError(parsed.name, row.line, message))
            parsed.rows[index] = Row(row.line, row.values, valid=False)
        else:
            first[key] = row.line
