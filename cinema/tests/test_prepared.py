"""Reads and inserts compiled once (cinema/prepared.py) give what the ORM gives."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, F, Value

from bookings.models import Booking
from bookings.selectors import SESSION_ROW, session_row
from cinema import prepared as compiled
from cinema.prepared import CompiledRow, Prepared, insert
from movies.models import Genre
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


def test_instances_are_what_a_raw_query_gives_annotations_and_conversions_included():
    showtimes = [ShowtimeFactory(), ShowtimeFactory()]
    query = (
        Showtime.objects.filter(pk__in=[showtime.pk for showtime in showtimes])
        .annotate(next_version=F("seats_version") + 1, bookings_made=Count("bookings"), label=Value("x"))
        .order_by("pk")
    )
    prepared = Prepared.of(query)

    # Twice: the second run reads through the mapping the first one worked out.
    for _run in range(2):
        read = prepared.instances()
        raw = list(Showtime.objects.raw(prepared.sql, prepared.params))
        assert [(s.pk, s.starts_at, s.next_version, s.bookings_made, s.label) for s in read] == [
            (s.pk, s.starts_at, s.next_version, s.bookings_made, s.label) for s in raw
        ]
        assert [s.starts_at for s in read] == [showtime.starts_at for showtime in showtimes]
        assert all(s.starts_at.tzinfo is not None and s._state.db == DEFAULT_DB_ALIAS for s in read)


def test_instances_work_out_a_statements_mapping_once():
    genre = Genre.objects.create(name="Drama", slug="drama")
    statement = Prepared(f"SELECT id, slug FROM {Genre._meta.db_table}", (), DEFAULT_DB_ALIAS, Genre)
    with (
        mock.patch.dict(compiled._readers, clear=True),
        mock.patch.object(compiled._RowReader, "of", wraps=compiled._RowReader.of) as work_out,
    ):
        first, second = statement.instances(), statement.instances()

    assert work_out.call_count == 1
    assert [(g.pk, g.slug) for g in first] == [(g.pk, g.slug) for g in second] == [(genre.pk, "drama")]


def test_instances_take_each_column_to_its_field_in_any_order():
    genre = Genre.objects.create(name="Drama", slug="drama")
    table = Genre._meta.db_table
    statements = [
        f"SELECT slug, name, id FROM {table} WHERE id = %s",  # every field, out of order
        f"SELECT slug, 7 AS shelf, id FROM {table} WHERE id = %s",  # some, and an annotation
    ]

    full, partial = (Prepared(sql, (genre.pk,), DEFAULT_DB_ALIAS, Genre).instances() for sql in statements)

    assert [(g.pk, g.name, g.slug) for g in full] == [(genre.pk, "Drama", "drama")]
    [only] = partial
    assert (only.pk, only.slug, only.shelf) == (genre.pk, "drama", 7)
    assert only.get_deferred_fields() == {"name"}


def test_instances_of_a_statement_without_the_primary_key_are_refused():
    with pytest.raises(ValueError, match="primary key"):
        Prepared(f"SELECT name FROM {Genre._meta.db_table}", (), DEFAULT_DB_ALIAS, Genre).instances()


def test_an_insert_is_what_bulk_create_writes_with_what_the_database_returns(
    customer, django_assert_num_queries
):
    showtime = ShowtimeFactory()

    def new_booking(code: str) -> Booking:
        return Booking(user=customer, showtime=showtime, code=code, total_price=Decimal("9.50"))

    for code in ("AAAA1111", "BBBB2222"):  # the second insert reuses the first one's SQL
        with django_assert_num_queries(1):
            [booking] = insert([new_booking(code)])

        stored = Booking.objects.get(code=code)
        assert booking.pk == stored.pk and not booking._state.adding
        # A database default comes back from the insert; a field's own default is written.
        assert booking.sequence == stored.sequence == 0
        assert booking.created_at == stored.created_at is not None
        assert (stored.status, stored.total_price, stored.language) == ("confirmed", Decimal("9.50"), "")


def test_an_insert_builds_its_sql_once_per_shape():
    with (
        mock.patch.dict(compiled._insert_shapes, clear=True),
        mock.patch.object(compiled, "_insert_shape", wraps=compiled._insert_shape) as build,
    ):
        insert([Genre(name="Drama", slug="drama")])
        insert([Genre(name="Comedy", slug="comedy")])
        assert build.call_count == 1
        insert([Genre(name="Horror", slug="horror"), Genre(name="Western", slug="western")])

    assert build.call_count == 2  # two rows are another shape
    assert Genre.objects.count() == 4


def test_an_insert_of_several_rows_gives_each_its_own_id():
    genres = insert([Genre(name=name, slug=name.lower()) for name in ("Drama", "Comedy", "Horror")])

    assert [(genre.pk, genre.slug) for genre in genres] == list(
        Genre.objects.filter(pk__in=[genre.pk for genre in genres]).order_by("pk").values_list("pk", "slug")
    )


def test_an_insert_of_nothing_sends_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert([]) == []


def test_an_insert_refuses_instances_it_cannot_write_alike(customer):
    showtime = ShowtimeFactory()
    saved = Genre.objects.create(name="Drama", slug="drama")
    with pytest.raises(ValueError, match="without primary keys"):
        insert([saved])
    with pytest.raises(ValueError, match="of one model"):
        insert([Genre(name="Comedy", slug="comedy"), Booking(user=customer, showtime=showtime)])
    with pytest.raises(ValueError, match="database default"):
        insert(
            [
                Booking(user=customer, showtime=showtime, code="CCCC3333", total_price=1),
                Booking(user=customer, showtime=showtime, code="DDDD4444", total_price=1, sequence=2),
            ]
        )
    assert not Booking.objects.exists()
    assert list(Genre.objects.values_list("slug", flat=True)) == ["drama"]
