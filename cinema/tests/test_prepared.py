"""Reads compiled once (cinema/prepared.py) give what the ORM gives."""

from __future__ import annotations

import pytest

from bookings.selectors import SESSION_ROW, session_row
from cinema.prepared import CompiledRow
from theaters.models import Showtime
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db


def test_the_session_row_is_the_orms_row_converted_alike():
    showtime = ShowtimeFactory()

    row = session_row(showtime.pk)

    # Times come back aware and prices as Decimal, as the ORM converts them.
    assert row == Showtime.objects.filter(pk=showtime.pk).values_list(*SESSION_ROW).get()
    assert session_row(showtime.pk + 1000) is None


def test_it_reads_each_call_afresh_with_one_query(django_assert_num_queries):
    first, second = ShowtimeFactory(), ShowtimeFactory()
    read = CompiledRow.of(Showtime.objects.filter(pk=0).values_list("pk", "seats_version"))
    Showtime.objects.filter(pk=first.pk).update(seats_version=41)

    with django_assert_num_queries(1):
        assert read.first(first.pk) == (first.pk, 41)
    assert read.first(second.pk) == (second.pk, second.seats_version)


def test_it_refuses_a_wrong_number_of_parameters():
    read = CompiledRow.of(Showtime.objects.filter(pk=0).values_list("pk"))

    with pytest.raises(TypeError):
        read.first(1, 2)
