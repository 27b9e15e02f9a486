"""The showtimes list's date hierarchy (`starts_at`) with dates outside the calendar:
the unfiltered list (`?e=1`), never a 500."""

from __future__ import annotations

import pytest

from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/theaters/showtime/"


@pytest.mark.parametrize(
    "query",
    [
        "starts_at__year=99999999999999999999",
        "starts_at__year=9999",
        "starts_at__year=9999&starts_at__month=12&starts_at__day=31",
    ],
)
def test_an_out_of_range_start_shows_the_unfiltered_list(client, staff, query):
    ShowtimeFactory(movie__title="Dune")
    client.force_login(staff)

    response = client.get(f"{CHANGELIST}?{query}", follow=True)

    assert response.redirect_chain == [(f"{CHANGELIST}?e=1", 302)]
    assert response.context["cl"].result_count == 1
    assert "Dune" in response.content.decode()
