"""Every CSV file the site makes is written here, so no cell can become a spreadsheet formula.

A contributor's name or a project's title typed as "=HYPERLINK(...)" or "@SUM(...)" would run
as a formula when finance open the file in Excel, LibreOffice or Google Sheets (CSV injection).
Text starting with =, +, -, @, a tab or a carriage return is written with a leading apostrophe,
which spreadsheets show as text. Numbers we write ourselves are left as they are.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(row: Iterable) -> list[str]:
    return [safe_cell(value) for value in row]


class _Echo:
    """A file that hands back what is written, so rows stream without being held in memory."""

    def write(self, value):
        return value


def write_rows(rows: Iterable[Iterable], file) -> None:
    writer = csv.writer(file)
    for row in rows:
        writer.writerow(safe_row(row))


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    """A download streamed row by row, so a file of any size starts at once."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(safe_row(row)) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
