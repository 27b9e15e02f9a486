"""The layout text (theaters/layout.py): what it allows, and every fault named."""

from __future__ import annotations

import pytest

from theaters.layout import LayoutError, layout_from_text, layout_lines, parse_layout


def test_it_numbers_seats_from_the_left_skipping_gaps():
    seats = parse_layout(["SS.SS", "WC.SX"])

    assert [(s.row, s.column, s.number) for s in seats] == [
        ("A", 1, 1), ("A", 2, 2), ("A", 4, 3), ("A", 5, 4),
        ("B", 1, 1), ("B", 2, 2), ("B", 4, 3), ("B", 5, 4),
    ]  # fmt: skip
    assert [(s.kind, s.blocked) for s in seats if s.row == "B"] == [
        ("wheelchair", False),
        ("companion", False),
        ("standard", False),
        ("standard", True),
    ]


@pytest.mark.parametrize("bad", ["s", "O", " ", "-", "1", "é", "\t", "*"])
def test_it_names_a_bad_character(bad):
    with pytest.raises(LayoutError) as error:
        parse_layout(["SSS", f"S{bad}S"])

    assert f"row B has “{bad}” (cell 2)" in error.value.message
    assert error.value.code == "invalid_layout" and error.value.field == "layout"


def test_it_names_every_bad_character_of_every_row():
    with pytest.raises(LayoutError) as error:
        parse_layout(["SZS?", "SSS", "QSS"])

    message = error.value.message
    assert "row A has “Z” (cell 2), “?” (cell 4)" in message
    assert "row C has “Q” (cell 1)" in message
    assert "row B" not in message


@pytest.mark.parametrize(
    ("layout", "fault"),
    [
        ([], "1 to 26 rows; this layout has 0"),
        (["S"] * 27, "1 to 26 rows; this layout has 27"),
        (["S" * 51], "row A has 51 cells (at most 50)"),
        (["SS", "", "SS"], "row B is empty"),
        (["SS", "...", "SS"], "row B has no seats"),
    ],
)
def test_it_refuses_layouts_out_of_bounds(layout, fault):
    with pytest.raises(LayoutError) as error:
        parse_layout(layout)

    assert fault in error.value.message


def test_the_largest_room_is_allowed():
    assert len(parse_layout(["S" * 50] * 26)) == 1300


def test_text_drops_blank_lines_around_it_and_spaces_around_rows():
    assert layout_from_text("\n  SS.SS \r\nSSSSS\n\n") == ["SS.SS", "SSSSS"]
    assert layout_from_text("SS\n\nSS") == ["SS", "", "SS"]


def test_a_room_reads_back_as_its_layout_without_trailing_gaps():
    layout = ["..SSSS..", "SSS.SSWC", "XSS.SSSS"]
    seats = [(s.row, s.column, s.kind, s.blocked) for s in parse_layout(layout)]

    assert layout_lines(seats) == ["..SSSS", "SSS.SSWC", "XSS.SSSS"]
