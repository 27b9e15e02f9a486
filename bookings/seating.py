"""Best seats and orphans, without the database (docs/design.md "Best seats and orphans").

A room is read as `OpenRow`s: per row from the screen, the seats anyone may pick
by themselves now — free, standard, not blocked — by column. Everything else
(taken, held, blocked, wheelchair and companion seats, gaps, row ends) bounds
them alike. An orphan is an open seat with no open neighbour in its row.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import NamedTuple


class Place(NamedTuple):
    pk: int
    label: str
    column: int


@dataclass(frozen=True)
class OpenRow:
    index: int  # from the screen, 0 first
    centre: float  # the column midway between the row's first and last seat
    places: tuple[Place, ...]  # its open seats, by column


@dataclass(frozen=True)
class BestSeats:
    places: tuple[Place, ...]
    together: bool


def _runs(places: Iterable[Place]) -> list[list[Place]]:
    """Open seats side by side (consecutive columns): a gap or any other seat ends a run."""
    runs: list[list[Place]] = []
    for place in places:
        if runs and runs[-1][-1].column == place.column - 1:
            runs[-1].append(place)
        else:
            runs.append([place])
    return runs


def orphans(rows: Iterable[OpenRow], taking: Collection[int] = frozenset()) -> frozenset[int]:
    """The open seats left alone in their run once `taking` (ids) are taken."""
    alone = set()
    for row in rows:
        for run in _runs(place for place in row.places if place.pk not in taking):
            if len(run) == 1:
                alone.add(run[0].pk)
    return frozenset(alone)


def new_orphans(rows: list[OpenRow], taking: Collection[int]) -> frozenset[int]:
    return orphans(rows, taking) - orphans(rows)


def _takeable_counts(length: int) -> set[int]:
    # From a run of `length`, taking all, none or up to length - 2 from one end
    # leaves no lone seat; taking length - 1 always does.
    return {0, length, *range(1, length - 1)}


def orphan_free_choice(rows: list[OpenRow], count: int) -> list[Place] | None:
    """Some `count` open seats whose taking leaves no new orphan, or None when every
    choice of that many would (a subset sum over the runs' takeable counts)."""
    runs = [run for row in rows for run in _runs(row.places)]
    # reach[n]: how to take n seats from the runs seen so far, as (run index, taken) pairs.
    reach: dict[int, tuple[tuple[int, int], ...]] = {0: ()}
    for i, run in enumerate(runs):
        step = dict(reach)
        for have, how in reach.items():
            for take in _takeable_counts(len(run)):
                if take and have + take <= count and have + take not in step:
                    step[have + take] = (*how, (i, take))
        reach = step
        if count in reach:
            break
    if count not in reach:
        return None
    return [place for i, take in reach[count] for place in runs[i][:take]]


def _window_key(row: OpenRow, window: list[Place], sweet_spot: float) -> tuple[float, float, int, int]:
    middle = (window[0].column + window[-1].column) / 2
    return (abs(row.index - sweet_spot), abs(middle - row.centre), row.index, window[0].column)


def _windows(row: OpenRow, size: int) -> Iterable[list[Place]]:
    for run in _runs(row.places):
        for start in range(len(run) - size + 1):
            yield run[start : start + size]


def _even_sizes(count: int, groups: int) -> list[int]:
    """`count` seats in `groups` groups as even as can be, largest first: 5 in 2 is [3, 2]."""
    size, extra = divmod(count, groups)
    return [size + 1] * extra + [size] * (groups - extra)


def best_seats(rows: list[OpenRow], count: int) -> BestSeats | None:
    """The best `count` open seats, or None when fewer are open.

    In order: `count` side by side in one row; else the fewest, most even groups,
    one a row in neighbouring rows; else the open seats nearest the sweet spot one by
    one. At each step a choice leaving no new orphan wins, if any choice of that
    many could. Ties go to the row nearest the sweet spot (two thirds back from the
    screen), then nearest the row's centre, then the front and the left: deterministic.
    """
    if count < 1 or sum(len(row.places) for row in rows) < count:
        return None
    sweet_spot = (max((row.index for row in rows), default=0)) * 2 / 3
    avoidable = orphan_free_choice(rows, count) is not None

    def acceptable(places: list[Place]) -> bool:
        return not (avoidable and new_orphans(rows, {place.pk for place in places}))

    together = sorted(
        ((_window_key(row, window, sweet_spot), window) for row in rows for window in _windows(row, count)),
        key=lambda candidate: candidate[0],
    )
    for _key, window in together:
        if acceptable(window):
            return BestSeats(tuple(window), together=True)

    split = _best_split(rows, count, sweet_spot, acceptable)
    if split is not None:
        return BestSeats(tuple(split), together=False)
    if avoidable:
        fallback = orphan_free_choice(rows, count)
        assert fallback is not None
        return BestSeats(tuple(sorted(fallback, key=lambda p: p.label)), together=False)
    nearest = sorted(
        ((row, place) for row in rows for place in row.places),
        key=lambda rp: _window_key(rp[0], [rp[1]], sweet_spot),
    )
    return BestSeats(tuple(place for _row, place in nearest[:count]), together=False)


def _best_split(rows: list[OpenRow], count: int, sweet_spot: float, acceptable) -> list[Place] | None:
    by_index = {row.index: row for row in rows}
    for groups in range(2, count + 1):
        sizes = _even_sizes(count, groups)
        candidates = []
        for first in sorted(by_index):
            block = [by_index.get(first + offset) for offset in range(groups)]
            if any(row is None for row in block):
                continue
            chosen, score = [], [0.0, 0.0]
            for row, size in zip(block, sizes, strict=True):
                assert row is not None
                options = sorted(_windows(row, size), key=lambda w, row=row: _window_key(row, w, sweet_spot))
                if not options:
                    break
                chosen.extend(options[0])
                key = _window_key(row, options[0], sweet_spot)
                score[0] += key[0]
                score[1] += key[1]
            else:
                if acceptable(chosen):
                    candidates.append(((score[0], score[1], first), chosen))
        if candidates:
            return min(candidates, key=lambda candidate: candidate[0])[1]
    return None
