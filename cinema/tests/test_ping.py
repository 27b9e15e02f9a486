from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_it_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):  # none: it is the benchmark's floor
        response = client.get("/ping")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_it_refuses_a_post(client):
    assert client.post("/ping").status_code == 405


def test_the_favicon_is_our_own_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
