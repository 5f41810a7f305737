"""CSV cells a spreadsheet would run as a formula, neutralised and restored exactly.

OWASP's rule for CSV injection: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is a formula to Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` in a
model's name would be a live link in an editor's sheet). A leading apostrophe makes such a cell
plain text in every one of them, and is the spreadsheet's own marker for "this is text".

To keep an export importable back to identical data, the importer undoes exactly what the
exporter did: ``neutralise`` also prefixes a cell that already starts with an apostrophe, and
``restore`` takes one apostrophe off a cell that starts with one followed by a trigger or by
another apostrophe. Numbers are written as numbers by the callers and never pass through here.
"""

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MARK = "'"


def neutralise(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet evaluates."""
    if text.startswith(TRIGGERS) or text.startswith(MARK):
        return MARK + text
    return text


def restore(cell: str) -> str:
    """The inverse of ``neutralise``: ``restore(neutralise(t)) == t`` for every string ``t``."""
    if cell.startswith(MARK) and cell[1:].startswith((*TRIGGERS, MARK)):
        return cell[1:]
    return cell


def cell(value: object) -> object:
    """A value for ``csv.writer``: text neutralised; numbers, None and the rest as they are."""
    return neutralise(value) if isinstance(value, str) else value
