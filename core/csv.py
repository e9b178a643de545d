"""Every CSV file the site makes is written here, so no cell can become a spreadsheet formula.

A contributor's name or a project's title typed as "=HYPERLINK(...)" or "@SUM(...)" would run
as a formula when finance open the file in Excel, LibreOffice or Google Sheets (CSV injection).
Text starting with =, +, -, @, a tab or a carriage return is written with a leading apostrophe,
which spreadsheets show as text. Numbers we write ourselves are left as they are.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from itertools import islice

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBERS = (int, float, Decimal)


def safe_cell(value) -> str:
    if value.__class__ is str:  # most cells: the fast path (a batch file has thousands)
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, _NUMBERS) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(row: Iterable) -> list[str]:
    # safe_cell's fast path written out: a function call per cell was most of a batch file's cost.
    return [
        ("'" + value if value.startswith(FORMULA_STARTS) else value)
        if value.__class__ is str
        else safe_cell(value)
        for value in row
    ]


BLOCK_ROWS = 100  # rows per streamed chunk: one chunk a row made per-row overhead most of the cost


def write_rows(rows: Iterable[Iterable], file) -> None:
    writer = csv.writer(file)
    for row in rows:
        writer.writerow(safe_row(row))


def csv_blocks(rows: Iterable[Iterable], block_rows: int = BLOCK_ROWS):
    """The file in blocks of `block_rows` rows: memory stays one block, whatever the size."""
    rows = iter(rows)
    while block := list(islice(rows, block_rows)):
        buffer = io.StringIO()
        csv.writer(buffer).writerows([safe_row(row) for row in block])
        yield buffer.getvalue()


def csv_response(rows: Iterable[Iterable], filename: str, *, blocks: Iterable[str] | None = None
                 ) -> StreamingHttpResponse:
    """A download streamed a block of rows at a time, so a file of any size starts at once.
    `blocks`: the file's text already in blocks (from the cache: core/fragments.py)."""
    content = csv_blocks(rows) if blocks is None else blocks
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
