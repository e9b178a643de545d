"""The one CSV writer: a cell that a spreadsheet would run as a formula is written as text."""

import csv
import io
from decimal import Decimal

import pytest

from core.csv import csv_response, safe_cell, write_rows


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=HYPERLINK(\"http://evil.example\",\"Click\")", "'=HYPERLINK(\"http://evil.example\",\"Click\")"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Zoë O'Brien", "Zoë O'Brien"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (Decimal("-12.50"), "-12.50"),  # a number we wrote is a number, not a formula
        (42, "42"),
    ],
)
def test_it_escapes_cells_a_spreadsheet_would_run(value, written):
    assert safe_cell(value) == written


def test_files_and_downloads_escape_every_cell():
    buffer = io.StringIO()
    write_rows([["name", "total"], ["=cmd|' /C calc'!A0", "12.50"]], buffer)
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["name", "total"],
        ["'=cmd|' /C calc'!A0", "12.50"],
    ]
    response = csv_response(iter([["@evil"], ["fine"]]), "x.csv")
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert b"".join(response.streaming_content).decode() == "'@evil\r\nfine\r\n"


def test_a_download_streams_in_blocks_of_rows_and_keeps_every_row():
    from core.csv import BLOCK_ROWS

    rows = [[n, f"person {n}"] for n in range(BLOCK_ROWS * 2 + 7)]
    chunks = list(csv_response(iter(rows), "x.csv").streaming_content)
    assert len(chunks) == 3
    written = list(csv.reader(io.StringIO(b"".join(chunks).decode())))
    assert written == [[str(n), f"person {n}"] for n, _ in rows]
    assert list(csv_response(iter([]), "empty.csv").streaming_content) == []
