"""A moviegoer books a seat entirely in Portuguese, in a real browser (Playwright driving
Debian's Chromium): chosen with the footer's switcher, scripts included."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD, UserFactory
from bookings.models import Booking
from bookings.tests.test_browser import screenshot
from cinema.tests.test_i18n import english_left
from movies.tests.factories import MovieFactory
from pricing.models import TicketType
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lisbon():
    TicketType.objects.filter(code="adult").update(name="Adulto")
    TicketType.objects.filter(code="child").update(name="Criança")
    tomorrow = timezone.localdate() + timedelta(days=1)
    showtime = ShowtimeFactory(
        movie=MovieFactory(title="Aniki-Bóbó", rating="M/6", description="Crianças na Ribeira do Porto."),
        room=RoomFactory(name="Sala Azul", rows=6, seats_per_row=10),
        starts_at=timezone.make_aware(datetime.combine(tomorrow, time(21, 30))),
        price=Decimal("7.50"),
    )
    return UserFactory(email="carla.sousa@example.pt", name="Carla Sousa"), showtime


def no_english(page: Page) -> None:
    assert english_left(page.content()) == set(), page.url


def test_a_moviegoer_books_a_seat_in_portuguese(page: Page, live_server, lisbon):
    user, showtime = lisbon
    page.set_viewport_size({"width": 1280, "height": 900})
    console_errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    page.goto(f"{live_server.url}/")
    page.get_by_label("Language").select_option("pt-pt")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", name="Em cartaz", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "pt-pt")
    no_english(page)

    page.get_by_role("link", name="Iniciar sessão").click()
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Palavra-passe").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sessão").click()
    expect(page.get_by_role("button", name="Terminar sessão")).to_be_visible()

    page.get_by_role("link", name="Amanhã").click()
    expect(page.get_by_role("heading", name="Aniki-Bóbó")).to_be_visible()
    no_english(page)
    page.get_by_role("link", name=re.compile(r"21:30")).click()

    expect(page.get_by_role("group", name="Escolha os seus lugares")).to_be_visible()
    page.get_by_role("checkbox", name="Lugar D5", exact=True).check()
    page.get_by_role("checkbox", name="Lugar D6", exact=True).check()
    expect(page.locator("[data-seat-summary]")).to_have_text(
        re.compile(r"^2 lugares selecionados · total 15,00\s€$")
    )
    screenshot(page, "seat-map-pt")
    no_english(page)
    page.get_by_role("button", name="Continuar").click()

    expect(page.get_by_role("heading", name="Finalizar compra")).to_be_visible()
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^Faltam \d+:\d\d\.$"))
    no_english(page)
    page.get_by_role("button", name="Confirmar reserva").click()

    expect(page.get_by_role("heading", name="A sua reserva")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Reservado! Mostre este código à entrada.")
    booking = Booking.objects.get(user=user)
    expect(page.locator("[data-booking-code]")).to_have_text(booking.code)
    expect(page.get_by_text(re.compile(r"\d+ de \w+ de \d{4}, 21:30"))).to_be_visible()
    screenshot(page, "ticket-pt")
    no_english(page)
    assert console_errors == []
