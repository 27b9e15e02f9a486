"""The showtimes list's date hierarchy (`starts_at`) with dates outside the calendar:
the unfiltered list (`?e=1`), never a 500.

Passes once theaters/admin.py's ShowtimeAdmin takes the kernel's mixin
(`class ShowtimeAdmin(SafeDateHierarchy, admin.ModelAdmin)`, from cinema.admin);
until then it is an expected failure, and `strict` makes the marker's removal due
the moment the mixin is applied.
"""

from __future__ import annotations

import pytest
from django.contrib import admin

from cinema.admin import SafeDateHierarchy
from theaters.models import Showtime
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/theaters/showtime/"
APPLIED = isinstance(admin.site._registry[Showtime], SafeDateHierarchy)


@pytest.mark.xfail(not APPLIED, reason="ShowtimeAdmin does not take SafeDateHierarchy yet", strict=True)
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
