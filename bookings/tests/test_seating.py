"""Best seats and orphans on crafted rooms (bookings/seating.py, no database).

A room is drawn as strings from the screen: `o` a seat anyone may take (free,
standard), `x` one they may not (taken, held, blocked, wheelchair or companion),
`.` a gap. Seat ids are row * 100 + column, labels the row letter and column.
"""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from bookings.seating import OpenRow, Place, best_seats, new_orphans, orphan_free_choice, orphans


def room(*lines: str) -> list[OpenRow]:
    rows = []
    for index, line in enumerate(lines):
        seats = [column for column, cell in enumerate(line, 1) if cell != "."]
        places = tuple(
            Place(index * 100 + column, f"{chr(65 + index)}{column}", column)
            for column, cell in enumerate(line, 1)
            if cell == "o"
        )
        rows.append(OpenRow(index=index, centre=(seats[0] + seats[-1]) / 2, places=places))
    return rows


def labels(rows: list[OpenRow], count: int) -> tuple[list[str], bool]:
    best = best_seats(rows, count)
    assert best is not None
    return [place.label for place in best.places], best.together


def ids(*labels: str) -> set[int]:
    return {(ord(label[0]) - 65) * 100 + int(label[1:]) for label in labels}


def test_it_picks_the_centre_of_the_row():
    assert labels(room("ooooooo"), 3) == (["A3", "A4", "A5"], True)


def test_it_picks_the_sweet_spot_row_two_thirds_back():
    rows = room(*["oooooo"] * 7)  # rows A–G: two thirds back is E

    assert labels(rows, 2) == (["E3", "E4"], True)


def test_an_aisle_breaks_adjacency():
    # Four free seats span the aisle in the middle row: the row behind has them together.
    rows = room("xxxxxxxxx", "xxoo.ooxx", "xxxxxxxxx", "oooo.xxxx")

    assert labels(rows, 4) == (["D1", "D2", "D3", "D4"], True)


def test_taken_seats_break_adjacency():
    # B2–B4 would be nearer the centre, but B3 is taken.
    rows = room("xxxxxxxx", "ooxooooo", "xxxxxxxx")

    assert labels(rows, 3) == (["B4", "B5", "B6"], True)


def test_a_row_it_can_fill_beats_the_sweet_spot_when_that_would_strand_a_seat():
    # Three of row B's four free seats leave one alone; the short front row takes three whole.
    rows = room("..ooo..", "ooxoooo", "xxxxxxx")

    assert labels(rows, 3) == (["A3", "A4", "A5"], True)


def test_it_avoids_leaving_a_single_seat_when_it_can():
    # Four of row B's five strand B1 or B5; in row A the centre A2–A5 would strand A1
    # and A6, so A1–A4 (as near the centre as A3–A6: the left wins).
    rows = room("oooooo", "ooooo", "xxxxx")

    assert labels(rows, 4) == (["A1", "A2", "A3", "A4"], True)


def test_it_splits_into_the_fewest_most_even_groups_in_neighbouring_rows():
    rows = room("xxoooxx", "xxooxxx", "xxxxxxx", "oxoxoxo")

    best, together = labels(rows, 5)
    assert not together
    assert sorted(best) == ["A3", "A4", "A5", "B3", "B4"]


def test_it_says_when_there_are_not_enough_seats():
    assert best_seats(room("ooxx", "xxo."), 4) is None
    assert best_seats(room("oooo"), 0) is None


def test_it_is_deterministic():
    rows = room("oooooooo", "oooooooo", "oooooooo")

    assert len({tuple(labels(rows, 2)[0]) for _ in range(20)}) == 1
    assert labels(rows, 2) == (["B4", "B5"], True)  # two thirds back of three rows is B


def test_a_lone_seat_between_taken_seats_gaps_or_row_ends_is_an_orphan():
    rows = room("oxo.oxoo", "xox")

    assert orphans(rows) == ids("A1", "A3", "A5", "B2")


def test_taking_seats_that_strand_one_is_a_new_orphan_and_taking_an_orphan_is_not():
    rows = room("oooo.ox")

    assert new_orphans(rows, ids("A2", "A3")) == ids("A1", "A4")
    assert new_orphans(rows, ids("A1", "A2")) == set()
    assert new_orphans(rows, ids("A6")) == set()  # it was alone already
    assert new_orphans(rows, ids("A3")) == ids("A4")  # the gap ends the run


def test_an_orphan_free_choice_exists_unless_every_choice_strands_one():
    assert orphan_free_choice(room("ooo"), 2) is None  # 2 of 3 always leaves one
    assert orphan_free_choice(room("ooo", "xoo"), 2) is not None  # B2–B3
    assert orphan_free_choice(room("oo.oo"), 3) is None
    assert orphan_free_choice(room("ooo.ooo"), 4) is not None  # A1 and A5–A7
    choice = orphan_free_choice(room("ooooo", "oxoxo"), 3)
    assert choice is not None and not new_orphans(room("ooooo", "oxoxo"), {p.pk for p in choice})


def test_when_every_choice_strands_one_it_still_offers_the_best():
    assert labels(room("ooo"), 2) == (["A1", "A2"], True)


cells = st.sampled_from("oox.")
rooms = st.lists(
    st.text(cells, min_size=1, max_size=7).filter(lambda line: line.strip(".")), min_size=1, max_size=3
)


@settings(max_examples=300, deadline=None)
@given(lines=rooms, count=st.integers(min_value=1, max_value=4))
def test_best_seats_never_picks_a_seat_not_open_nor_an_avoidable_orphan(lines, count):
    rows = room(*lines)
    open_ids = {place.pk for row in rows for place in row.places}
    best = best_seats(rows, count)

    if len(open_ids) < count:
        assert best is None
        return
    assert best is not None
    chosen = {place.pk for place in best.places}
    assert len(chosen) == count and chosen <= open_ids  # never taken, held, blocked or accessible
    if new_orphans(rows, chosen):
        # Unavoidable: every choice of that many strands a seat (checked the long way).
        assert all(new_orphans(rows, set(other)) for other in combinations(sorted(open_ids), count))
