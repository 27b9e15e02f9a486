"""The authentication backend (accounts/backends.py) finds each request's user as Django's does."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend as DjangosModelBackend
from django.urls import reverse

from accounts.backends import ModelBackend
from accounts.tests.factories import UserFactory
from cinema.ids import MAX_ID

pytestmark = pytest.mark.django_db


def test_it_reads_the_user_as_djangos_backend_does_in_one_query(customer, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(customer.pk)

    expected = DjangosModelBackend().get_user(customer.pk)
    assert user == expected
    assert [getattr(user, f.attname) for f in user._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in expected._meta.concrete_fields
    ]
    assert user.get_session_auth_hash() == expected.get_session_auth_hash()


def test_an_inactive_user_is_nobody():
    inactive = UserFactory(is_active=False)

    assert ModelBackend().get_user(inactive.pk) is None


@pytest.mark.parametrize("user_id, queries", [(0, 0), (-1, 0), (MAX_ID, 1), (MAX_ID + 1, 0)])
def test_an_id_of_no_user_is_nobody(user_id, queries, django_assert_num_queries):
    # No id outside the bigint range of ids is sent at all.
    with django_assert_num_queries(queries):
        assert ModelBackend().get_user(user_id) is None


def test_a_session_it_vouched_for_stays_logged_in(client, customer):
    client.force_login(customer, backend="accounts.backends.ModelBackend")

    response = client.get(reverse("bookings:booking-list"))

    assert response.status_code == 200
    assert response.wsgi_request.user == customer
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.ModelBackend"
