"""Posters and stills: uploads validated (real pictures, size and pixel limits, no
SVG), stored through the storage API, served as WebP and JPEG renditions made
once, and a placeholder where a movie has none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from bookings.tests.factories import make_booking
from cinema.tests.clients import api_client
from movies.images import MAX_IMAGE_PIXELS, make_renditions, rendition_name
from movies.models import Movie, Still
from movies.services import movie_delete, movie_save
from movies.tests.factories import MovieFactory
from theaters.tests.factories import ShowtimeFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:movies_movie_add")
STILLS_NONE = {
    "stills-TOTAL_FORMS": "0",
    "stills-INITIAL_FORMS": "0",
    "stills-MIN_NUM_FORMS": "0",
    "stills-MAX_NUM_FORMS": "1000",
}
FIELDS = {"title": "Alien", "year": "1979", "rating": "R", "runtime_minutes": "117", **STILLS_NONE}


def picture_bytes(size=(600, 900), kind="JPEG") -> bytes:
    data = BytesIO()
    Image.new("RGB", size, "#345").save(data, kind)
    return data.getvalue()


def upload(name="alien.jpg", content=None, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, picture_bytes() if content is None else content, content_type)


def with_poster(movie: Movie, size=(600, 900)) -> Movie:
    movie.poster.save("poster.jpg", ContentFile(picture_bytes(size), name="poster.jpg"), save=False)
    return movie_save(movie=movie)


def stored_names() -> set[str]:
    root = Path(default_storage.location)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_upload_a_poster_and_get_its_renditions(staff_client):
    response = staff_client.post(ADD_URL, {**FIELDS, "poster": upload()})

    assert response.status_code == 302
    movie = Movie.objects.get()
    assert (movie.poster_width, movie.poster_height) == (600, 900)
    assert movie.poster.name.startswith("posters/") and movie.poster.name.endswith("-alien.jpg")
    renditions = {
        rendition_name(movie.poster.name, w, ext) for w in (160, 320, 640) for ext in ("webp", "jpg")
    }
    # 640 is wider than the original: its largest rendition is its own width.
    renditions = {name.replace("-640w", "-600w") for name in renditions}
    assert stored_names() == {movie.poster.name, *renditions}
    with default_storage.open(rendition_name(movie.poster.name, 160, "webp")) as webp:
        assert Image.open(webp).format == "WEBP" and Image.open(webp).size == (160, 240)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "error"),
    [
        ("poster.jpg", b"<!doctype html><script>alert(1)</script>", "image/jpeg", "Upload a valid image"),
        ("poster.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml", "Upload a valid image"),
        ("huge.png", picture_bytes((8000, 5000), "PNG"), "image/png", "40 megapixels"),
        ("poster.gif", picture_bytes(kind="GIF"), "image/gif", "“.gif” files are not accepted"),
    ],
    ids=["html-named-jpg", "svg", "40-megapixels", "gif"],
)
def test_a_bad_upload_is_a_form_error_and_nothing_is_kept(staff_client, name, content, content_type, error):
    response = staff_client.post(ADD_URL, {**FIELDS, "poster": upload(name, content, content_type)})

    assert response.status_code == 200
    assert error in " ".join(response.context["adminform"].form.errors["poster"])
    assert not Movie.objects.exists()
    assert stored_names() == set()


def test_the_pixel_limit_is_25_megapixels():
    assert MAX_IMAGE_PIXELS == 25_000_000


def test_a_picture_whose_header_reads_but_whose_body_does_not_is_refused_in_the_admin(staff_client):
    truncated = picture_bytes((1200, 1800))[:2000]

    response = staff_client.post(ADD_URL, {**FIELDS, "poster": upload(content=truncated)})

    assert response.status_code == 200
    assert "cannot be read to the end" in str(response.context["adminform"].form.errors)
    assert not Movie.objects.exists()
    assert "was added successfully" not in response.content.decode()


def test_renditions_are_made_once():
    movie = with_poster(MovieFactory())
    path = Path(default_storage.path(rendition_name(movie.poster.name, 320, "jpg")))
    made_at = path.stat().st_mtime_ns

    assert make_renditions(movie.poster, (160, 320, 640)) == 0
    movie_save(movie=movie)  # saving the movie again makes none either

    assert path.stat().st_mtime_ns == made_at


def test_a_small_poster_is_never_enlarged():
    movie = with_poster(MovieFactory(), size=(200, 300))

    assert {name for name in stored_names() if "renditions" in name} == {
        rendition_name(movie.poster.name, width, ext) for width in (160, 200) for ext in ("webp", "jpg")
    }


def test_a_replaced_poster_and_its_renditions_leave_the_storage(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        movie = with_poster(MovieFactory())
    first = movie.poster.name

    with django_capture_on_commit_callbacks(execute=True):
        with_poster(movie)

    assert movie.poster.name != first
    assert not any(name.startswith(first.removesuffix(".jpg")) for name in stored_names())
    assert len(stored_names()) == 7  # the new original and its six renditions


def test_a_deleted_movie_takes_its_pictures_along(django_capture_on_commit_callbacks):
    movie = with_poster(MovieFactory())

    with django_capture_on_commit_callbacks(execute=True):
        movie_delete(movie=movie)

    assert stored_names() == set()


def test_pages_show_the_poster_as_webp_with_a_jpeg_fallback_and_its_size(client):
    movie = with_poster(MovieFactory(title="Alien"))
    showtime = ShowtimeFactory(movie=movie)

    for url in (reverse("bookings:whats-on"), reverse("movies:movie-list")):
        html = client.get(url, {"day": showtime.starts_at.date().isoformat()}).content.decode()
        assert '<source type="image/webp" srcset="/media/posters/' in html
        assert 'width="160" height="240" alt="Poster of Alien" loading="lazy"' in html
    page = client.get(reverse("bookings:movie-detail", args=[movie.pk])).content.decode()
    assert "-640w.webp 640w" not in page and "-600w.webp 600w" in page
    assert 'alt="Poster of Alien">' in page  # seen at once: not lazy


def test_the_ticket_shows_the_poster(client, customer):
    movie = with_poster(MovieFactory(title="Alien"))
    booking = make_booking(user=customer, showtime=ShowtimeFactory(movie=movie), labels=["A1"])
    client.force_login(customer)

    html = client.get(reverse("bookings:booking-detail", args=[booking.code])).content.decode()

    assert 'alt="Poster of Alien"' in html


def test_a_movie_without_a_poster_gets_a_placeholder(client):
    ShowtimeFactory(movie=MovieFactory(title="Brazil"))

    html = client.get(reverse("movies:movie-list")).content.decode()

    assert '<span class="poster poster-placeholder" aria-hidden="true">B</span>' in html
    assert "<picture" not in html


def test_the_app_serves_a_rendition_for_browsers_to_keep(client):
    movie = with_poster(MovieFactory())
    name = rendition_name(movie.poster.name, 160, "webp")

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/media/../conftest.py").status_code == 400
    assert client.get("/media/posters/none.jpg").status_code == 404


def test_the_api_gives_the_poster_address_or_null():
    with_poster(MovieFactory(title="Alien"))
    MovieFactory(title="Brazil")

    movies = api_client().get("/api/movies").json()["results"]

    assert movies[0]["poster"].startswith("http://testserver/media/posters/")
    assert movies[1]["poster"] is None


def test_staff_add_stills_in_the_admin(staff_client, django_capture_on_commit_callbacks):
    movie = MovieFactory(title="Alien")
    fields = {
        "title": "Alien",
        "runtime_minutes": "117",
        **STILLS_NONE,
        "stills-TOTAL_FORMS": "1",
        "stills-0-image": upload("nostromo.png", picture_bytes((1600, 900), "PNG"), "image/png"),
        "stills-0-caption": "The Nostromo",
        "stills-0-position": "0",
    }

    response = staff_client.post(reverse("admin:movies_movie_change", args=[movie.pk]), fields)

    assert response.status_code == 302
    still = Still.objects.get()
    assert (still.width, still.height, still.caption) == (1600, 900, "The Nostromo")
    page = staff_client.get(reverse("bookings:movie-detail", args=[movie.pk])).content.decode()
    assert 'alt="The Nostromo" loading="lazy"' in page and "-960w.webp 960w" in page


def test_production_stores_pictures_in_an_s3_bucket_by_configuration():
    """Several app servers share no disk: MEDIA_S3_BUCKET moves uploads to S3-compatible storage."""
    environment = {
        **os.environ,
        "MEDIA_S3_BUCKET": "posters",
        "MEDIA_S3_CUSTOM_DOMAIN": "media.cinema.example",
        "AWS_ACCESS_KEY_ID": "id",
        "AWS_SECRET_ACCESS_KEY": "secret",
    }
    script = (
        "import django, json; django.setup(); from django.conf import settings;"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(json.dumps([type(s).__module__, s.url('posters/a.jpg'),"
        " settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )

    backend, url, img_sources = json.loads(result.stdout)
    assert backend == "storages.backends.s3"
    assert url == "https://media.cinema.example/posters/a.jpg"
    assert "https://media.cinema.example" in img_sources
