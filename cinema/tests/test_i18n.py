"""The site in Portuguese: every page of the main flow with no English left, the footer's
language switcher, API messages in the requested language, e-mails in the language of
the request that caused them, and a complete catalog.

"No English left" is checked with the site's own English vocabulary: every word of
every msgid in the catalog, less the words Portuguese shares (a, no, total, cinema…).
A string left unmarked in a template is made of such words, so it shows up.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.tests.factories import PASSWORD, UserFactory
from bookings.services import booking_cancel, hold_create, waitlist_join
from bookings.tests.factories import make_booking
from cinema.models import OutgoingMail
from cinema.tests.clients import api_client
from cinema.tests.smtp import part_of
from movies.tests.factories import MovieFactory
from pricing.models import TicketType
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

# The pages' and the scripts' words.
CATALOGS = [
    Path(settings.BASE_DIR) / "locale" / "pt_PT" / "LC_MESSAGES" / f"{domain}.po"
    for domain in ("django", "djangojs")
]
PORTUGUESE = {"HTTP_ACCEPT_LANGUAGE": "pt-PT,pt;q=0.9"}
# Two letters at least: single ones are a booking code's ("4P6G732B") or an
# abbreviation's ("e.g."), not words a reader would find untranslated.
WORD = re.compile(r"[^\W\d_]{2,}")


def _catalog_strings(catalog: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of `catalog`, plural forms included, the header left out."""
    pairs, msgid, msgstr, current = [], [], [], None
    for line in [*catalog.read_text().splitlines(), ""]:
        if line.startswith(("msgid", "msgid_plural")):
            current = msgid
        elif line.startswith("msgstr"):
            current = msgstr
        elif not line.startswith('"'):
            if msgid:
                pairs.append(("".join(msgid), "".join(msgstr)))
            msgid, msgstr, current = [], [], None
            continue
        if current is not None:
            current.append(line[line.index('"') + 1 : line.rindex('"')])
    return [(english, portuguese) for english, portuguese in pairs if english]


def _words(text: str) -> set[str]:
    # Placeholders and markup are not words a reader sees.
    text = re.sub(r"%\(\w+\)[sr]|\{\w+\}|<[^>]+>|\\[nt\"]", " ", text)
    return {word.lower() for word in WORD.findall(text)}


@cache
def english_vocabulary() -> frozenset[str]:
    english, portuguese = set(), set()
    for msgid, msgstr in (pair for catalog in CATALOGS for pair in _catalog_strings(catalog)):
        english |= _words(msgid)
        portuguese |= _words(msgstr)
    return frozenset(english - portuguese)


class _VisibleText(HTMLParser):
    """The text a person meets on a page: its text and the attributes read aloud or shown."""

    SKIPPED = {"script", "style", "svg"}
    SHOWN = {"aria-label", "title", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1
        attributes = dict(attrs)
        self.parts += [value or "" for name, value in attrs if name in self.SHOWN]
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def english_left(html: str) -> set[str]:
    return _words(visible_text(html)) & english_vocabulary()


# --- the pages of the main flow, in Portuguese ----------------------------------------


@pytest.fixture
def portuguese_ticket_types():
    """The ticket types are the theater's data: a Portuguese theater names them in Portuguese."""
    names = {"adult": "Adulto", "child": "Criança", "senior": "Sénior", "student": "Estudante"}
    for code, name in names.items():
        TicketType.objects.filter(code=code).update(name=name)


@pytest.fixture
def lisbon_world(portuguese_ticket_types):
    """Data as a Portuguese theater would enter it: the words on the pages that are not the site's."""
    user = UserFactory(email="carla.sousa@example.pt", name="Carla Sousa")
    movie = MovieFactory(title="Aniki-Bóbó", rating="M/6", description="Crianças na Ribeira do Porto.")
    room = RoomFactory(name="Sala Azul", rows=4, seats_per_row=6)
    starts_at = timezone.localtime().replace(hour=21, minute=30, second=0, microsecond=0) + timedelta(days=1)
    showtime = ShowtimeFactory(movie=movie, room=room, starts_at=starts_at, price=Decimal("7.50"))
    booking = make_booking(user=user, showtime=showtime, labels=["B3", "B4"])
    hold = hold_create(user=user, showtime=showtime, seat_ids=[room.seats.get(row="C", number=1).pk])
    return {"user": user, "movie": movie, "showtime": showtime, "booking": booking, "hold": hold}


def main_pages(world) -> dict[str, str]:
    booking, showtime = world["booking"], world["showtime"]
    return {
        "what's on": reverse("bookings:whats-on"),
        "what's on tomorrow": reverse("bookings:whats-on") + f"?day={showtime.starts_at:%Y-%m-%d}",
        "movies": reverse("movies:movie-list"),
        "movie": reverse("bookings:movie-detail", args=[world["movie"].pk]),
        "seat map": reverse("bookings:seat-map", args=[showtime.pk]),
        "best seats": reverse("bookings:seat-map", args=[showtime.pk]) + "?best=2",
        "checkout": world["hold"].get_absolute_url(),
        "my bookings": reverse("bookings:booking-list"),
        "booking": booking.get_absolute_url(),
        "change seats": reverse("bookings:booking-change", args=[booking.code]),
        "cancel": reverse("bookings:booking-cancel", args=[booking.code]),
        "not found": "/no-such-page/",
    }


def test_the_main_pages_have_no_english_left_in_portuguese(lisbon_world):
    client = Client(**PORTUGUESE)
    anonymous = {
        "log in": reverse("accounts:login"),
        "sign up": reverse("accounts:signup"),
        "password reset": reverse("accounts:password_reset"),
        "seat map, logged out": reverse("bookings:seat-map", args=[lisbon_world["showtime"].pk]),
    }
    found = {}
    for name, url in anonymous.items():
        response = client.get(url)
        assert response.status_code == 200, name
        found[name] = english_left(response.content.decode())
    client.force_login(lisbon_world["user"])
    found |= {
        name: english_left(client.get(url).content.decode()) for name, url in main_pages(lisbon_world).items()
    }

    assert {name: words for name, words in found.items() if words} == {}


def test_the_pages_are_portuguese_not_just_free_of_english(lisbon_world):
    client = Client(**PORTUGUESE)
    client.force_login(lisbon_world["user"])
    seat_map = client.get(main_pages(lisbon_world)["seat map"]).content.decode()
    booking = client.get(main_pages(lisbon_world)["booking"]).content.decode()

    assert '<html lang="pt-pt"' in seat_map
    assert "Escolha os seus lugares" in seat_map
    assert 'aria-label="Lugar A1"' in seat_map
    assert 'aria-label="Lugar B3 (ocupado)"' in seat_map
    # What the scripts read stays machine-readable: 7.50, not the page's 7,50.
    assert 'data-price="7.50"' in seat_map
    assert "15,00\u00a0€" in booking  # the two seats' total, in the Portuguese way


def test_the_check_finds_a_string_left_unmarked():
    with translation.override("pt-pt"):
        page = Template(
            '{% load i18n %}<h1>{% translate "Choose your seats" %}</h1><p>Other times for this movie</p>'
        ).render(Context())

    assert english_left(page) == {"other", "times", "for", "this", "movie"}


def test_the_seat_grid_is_cached_once_per_language(lisbon_world):
    url = main_pages(lisbon_world)["seat map"]

    english = Client().get(url).content.decode()
    portuguese = Client(**PORTUGUESE).get(url).content.decode()
    english_again = Client().get(url).content.decode()

    assert 'aria-label="Seat A1"' in english
    assert 'aria-label="Lugar A1"' in portuguese
    assert english_again == english.replace(_csrf(english), _csrf(english_again))


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', page)[1]


def test_dates_read_the_portuguese_way():
    saturday = datetime(2026, 12, 5, 19, 30, tzinfo=UTC)
    with translation.override("pt-pt"):
        portuguese = date_format(saturday, gettext("l j F, H:i"))
    with translation.override("en"):
        english = date_format(saturday, gettext("l j F, H:i"))

    assert portuguese == "sábado, 5 de dezembro, 19:30"
    assert english == "Saturday 5 December, 19:30"


def test_the_admin_speaks_portuguese_too(staff, customer):
    make_booking(user=customer, showtime=ShowtimeFactory(), labels=["A1"])
    client = Client(**PORTUGUESE)
    client.force_login(staff)
    index = visible_text(client.get("/admin/").content.decode())
    bookings = client.get("/admin/bookings/booking/").content.decode()

    assert "Equipa do cinema" in index
    assert "Todos os dias" in index
    assert "Salas e sessões" in index
    assert "<title>Selecione reserva para modificar | Equipa do cinema</title>" in bookings
    assert "Cancelar as reservas selecionadas (liberta os lugares)" in bookings
    assert ">Cliente</a>" in bookings


# --- the language switcher ------------------------------------------------------------


def test_the_footer_switcher_is_a_labelled_form_that_needs_no_script(client):
    page = client.get(reverse("movies:movie-list") + "?q=bo").content.decode()
    form = re.search(r'<form action="/i18n/setlang/" method="post".*?</form>', page, re.S)[0]

    assert '<label for="language-select">Language</label>' in form
    assert '<select name="language" id="language-select"' in form
    assert '<option value="pt-pt" lang="pt-pt">Português</option>' in form
    assert '<input type="hidden" name="next" value="/movies/?q=bo">' in form
    assert '<button type="submit"' in form
    assert "<script" not in form


def test_the_switcher_sets_the_language_of_the_next_pages(client):
    response = client.post(reverse("set_language"), {"language": "pt-pt", "next": "/movies/"})

    assert response.status_code == 302
    assert response["Location"] == "/movies/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt-pt"
    page = client.get("/movies/").content.decode()
    assert '<h1 class="mb-3">Filmes</h1>' in page
    assert '<option value="pt-pt" lang="pt-pt" selected>' in page
    # And back.
    client.post(reverse("set_language"), {"language": "en", "next": "/movies/"})
    assert '<h1 class="mb-3">Movies</h1>' in client.get("/movies/").content.decode()


def test_without_a_choice_the_browser_language_decides(client):
    assert "Em cartaz" in client.get("/", **PORTUGUESE).content.decode()
    german = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()  # not offered: the default
    assert '<html lang="en"' in german
    assert "Em cartaz" not in german


# --- the API --------------------------------------------------------------------------


def test_a_taken_seat_is_refused_in_the_requested_language_with_the_same_code(customer, other_customer):
    showtime = ShowtimeFactory()
    make_booking(user=other_customer, showtime=showtime, labels=["A1"])
    seat = showtime.room.seats.get(row="A", number=1)
    body = {"session": showtime.pk, "seats": [seat.pk]}

    english = api_client(customer).post("/api/bookings", body, format="json")
    portuguese = api_client(customer).post("/api/bookings", body, format="json", **PORTUGUESE)

    assert english.status_code == portuguese.status_code == 409
    assert english.json()["detail"] == "A1 was just taken. Please choose other seats."
    assert portuguese.json() == {
        "detail": "O lugar A1 acabou de ser ocupado. Escolha outros lugares.",
        "code": "seats_unavailable",
        "seats": [seat.pk],
    }


def test_auth_and_validation_messages_come_in_the_requested_language(customer):
    anonymous = api_client().post("/api/bookings", {}, format="json", **PORTUGUESE)
    invalid = api_client(customer).post("/api/bookings", {"seats": [1]}, format="json", **PORTUGUESE)
    login = api_client().post(
        "/api/auth/login",
        {"email": customer.email, "password": "wrong" + PASSWORD},
        format="json",
        **PORTUGUESE,
    )

    assert anonymous.status_code == 401
    assert anonymous.json()["detail"] == "As credenciais de autenticação não foram fornecidas."
    assert invalid.status_code == 400
    assert invalid.json() == {"non_field_errors": ["Indique uma sessão com lugares, ou lugares guardados."]}
    assert login.json()["detail"] == "Nenhuma conta ativa corresponde a este e-mail e palavra-passe."


# --- e-mails --------------------------------------------------------------------------


def test_the_e_ticket_is_written_in_the_language_the_booking_was_made_in(
    customer, portuguese_ticket_types, smtp_server, django_capture_on_commit_callbacks
):
    showtime = ShowtimeFactory(
        movie=MovieFactory(title="Aniki-Bóbó"),
        room=RoomFactory(name="Sala Azul"),
        starts_at=datetime(2026, 12, 5, 19, 30, tzinfo=UTC),
    )
    with translation.override("pt-pt"), django_capture_on_commit_callbacks(execute=True):
        make_booking(user=customer, showtime=showtime, labels=["A1"])
    with django_capture_on_commit_callbacks(execute=True):
        make_booking(user=customer, showtime=showtime, labels=["A2"])

    # Delivered by the worker in any order: told apart by their seat.
    by_seat = {
        "A1" if "A1 " in part_of(m, "text/plain").get_content() else "A2": m for m in smtp_server.messages
    }
    portuguese, english = by_seat["A1"], by_seat["A2"]
    assert portuguese["Subject"] == "Os seus bilhetes para Aniki-Bóbó"
    assert english["Subject"] == "Your tickets for Aniki-Bóbó"
    text = part_of(portuguese, "text/plain").get_content()
    assert "Obrigado pela sua reserva." in text
    assert "sábado, 5 de dezembro de 2026, 19:30" in text
    assert english_left(re.sub(r"https?://\S+", "", text)) == set()


def test_a_booking_keeps_its_language_for_the_mails_that_others_cause(
    customer, staff, portuguese_ticket_types, smtp_server, django_capture_on_commit_callbacks
):
    showtime = ShowtimeFactory(movie=MovieFactory(title="Aniki-Bóbó"))
    with translation.override("pt-pt"):
        booking = make_booking(user=customer, showtime=showtime, labels=["A1"])

    # Staff cancel it from the admin, in English.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, by=staff)

    [message] = smtp_server.messages
    assert message["Subject"] == "Cancelada: a sua reserva para Aniki-Bóbó"
    assert f"A sua reserva {booking.code} foi cancelada" in part_of(message, "text/plain").get_content()


def test_a_waiting_list_offer_comes_in_the_language_its_customer_joined_in(
    customer, staff, other_customer, smtp_server, django_capture_on_commit_callbacks
):
    showtime = ShowtimeFactory(
        movie=MovieFactory(title="Aniki-Bóbó"), room=RoomFactory(rows=1, seats_per_row=2)
    )
    booking = make_booking(user=other_customer, showtime=showtime, labels=["A1", "A2"])
    with translation.override("pt-pt"):
        waitlist_join(user=customer, showtime=showtime, party_size=1)

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, by=staff)

    [offer] = [message for message in smtp_server.messages if message["To"] == customer.email]
    assert OutgoingMail.objects.get(to=customer.email).subject == "Há lugares para Aniki-Bóbó à sua espera"
    assert "Boas notícias" in part_of(offer, "text/plain").get_content()


# --- the catalog ----------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (Debian's gettext) is not installed")
@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: path.name)
def test_the_portuguese_catalog_is_complete(catalog):
    statistics = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalog)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr

    assert re.fullmatch(r"\d+ translated messages\.\n", statistics), statistics
    assert "#, fuzzy" not in catalog.read_text()
    assert all(portuguese for _english, portuguese in _catalog_strings(catalog))


def test_the_scripts_get_their_words_in_the_page_language(client, lisbon_world):
    page = client.get(reverse("bookings:seat-map", args=[lisbon_world["showtime"].pk]), **PORTUGUESE)
    [catalog_url] = re.findall(r'<script src="(/jsi18n/[^"]*)"', page.content.decode())
    catalog = client.get(catalog_url, **PORTUGUESE)
    again = client.get(catalog_url, HTTP_IF_MODIFIED_SINCE=catalog["Last-Modified"], **PORTUGUESE)

    assert catalog_url == "/jsi18n/?language=pt-pt"
    assert '"%s lugar selecionado"' in catalog.content.decode()
    assert again.status_code == 304
