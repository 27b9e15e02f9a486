"""Bad input on the pages: a form error, a 400 or a 404, never a 500 and never
a partial write. Each case names what was sent; the closing note lists them.
The API's own sweep is cinema/tests/test_api_errors.py and test_bad_input_api.py."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.tests.factories import PASSWORD
from bookings.forms import MAX_ID, SeatSelectionForm
from bookings.models import Booking, Hold, HoldSeat, Ticket
from bookings.tests.factories import make_booking
from theaters.tests.factories import RoomFactory, ShowtimeFactory

pytestmark = pytest.mark.django_db

HUGE = str(10**30)
GOOD_PASSWORD = "a-fresh-tangerine-42"
UNICODE_NAMES = {
    "emoji": "Zoë 🎬🍿",
    "rtl": "مريم الحسن",
    "combining": "Ame\u0301lie Z\u0308",
    "zero-width": "Ana\u200bBel",
}


@dataclass
class Case:
    """A request: its path (with {showtime}, {code}, {seat} filled in), and what it must answer."""

    method: str
    path: str
    status: int
    data: dict | None = None
    body: bytes | None = None
    content_type: str = "application/x-www-form-urlencoded"
    says: str = ""
    headers: dict = field(default_factory=dict)


def signup(**changes) -> dict:
    return {
        "email": "new@example.com",
        "name": "New",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **changes,
    }


CASES: dict[str, Case] = {
    # What's on: any ?day= shows today.
    "home: ?day=2026-02-30": Case("GET", "/?day=2026-02-30", 200),
    "home: ?day= 5000 chars": Case("GET", "/?day=" + "9" * 5000, 200),
    "home: ?day=-1": Case("GET", "/?day=-1", 200),
    "home: ?day=emoji": Case("GET", "/?day=%F0%9F%8E%AC", 200),
    "home: ?day=fullwidth digits": Case("GET", "/?day=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-01", 200),
    "home: ?day twice": Case("GET", "/?day=2001-01-01&day=tomorrow", 200),
    "home: ?day=NUL": Case("GET", "/?day=%00", 400),
    "home: invalid UTF-8 in the query": Case("GET", "/?day=%FF%FE", 200),
    # The catalog.
    "catalog: ?q=RTL and combining": Case("GET", "/movies/?q=%D9%85%D8%B1e%CC%81", 200),
    "catalog: ?q=NUL": Case("GET", "/movies/?q=a%00b", 400),
    "movie: huge id": Case("GET", f"/movies/{HUGE}/", 404),
    "movie: negative id": Case("GET", "/movies/-1/", 404),
    "movie: non-numeric id": Case("GET", "/movies/abc/", 404),
    # The seat map and booking form.
    "seat map: huge showtime id": Case("GET", f"/showtimes/{HUGE}/", 404),
    "seat map: non-numeric showtime id": Case("GET", "/showtimes/abc/", 404),
    "book: huge showtime id": Case("POST", f"/showtimes/{HUGE}/", 404, {"seats": ["{seat}"]}),
    "book: seat id 10**30": Case(
        "POST", "/showtimes/{showtime}/", 200, {"seats": [HUGE]}, says="Choose seats"
    ),
    "book: seat id 2**63": Case(
        "POST", "/showtimes/{showtime}/", 200, {"seats": [str(2**63)]}, says="Choose seats"
    ),
    "book: seat id abc": Case("POST", "/showtimes/{showtime}/", 200, {"seats": ["abc"]}, says="Choose seats"),
    "book: seat id -3": Case("POST", "/showtimes/{showtime}/", 200, {"seats": ["-3"]}, says="Choose seats"),
    "book: seat id 0": Case("POST", "/showtimes/{showtime}/", 200, {"seats": ["0"]}, says="Choose seats"),
    "book: seat id 1.5": Case("POST", "/showtimes/{showtime}/", 200, {"seats": ["1.5"]}, says="Choose seats"),
    "book: seat id 1e3": Case("POST", "/showtimes/{showtime}/", 200, {"seats": ["1e3"]}, says="Choose seats"),
    "book: seat id with NUL": Case(
        "POST", "/showtimes/{showtime}/", 200, {"seats": ["1\x00"]}, says="Choose seats"
    ),
    "book: seat id emoji": Case(
        "POST", "/showtimes/{showtime}/", 200, {"seats": ["🎬"]}, says="Choose seats"
    ),
    "book: an unknown seat id": Case(
        "POST", "/showtimes/{showtime}/", 200, {"seats": ["999999999"]}, says="not in"
    ),
    "book: the same seat twice (duplicate fields)": Case(
        "POST", "/showtimes/{showtime}/", 200, {"seats": ["{seat}", "{seat}"]}, says="twice"
    ),
    "book: one good seat and one bad": Case(
        "POST", "/showtimes/{showtime}/", 200, {"seats": ["{seat}", "abc"]}, says="Choose seats"
    ),
    "book: an unknown field": Case(
        "POST", "/showtimes/{showtime}/", 200, {"seat": ["{seat}"]}, says="at least one"
    ),
    "book: an empty body": Case("POST", "/showtimes/{showtime}/", 200, {}, says="at least one"),
    "book: 11 seats": Case(
        "POST", "/showtimes/{showtime}/", 200, {"seats": [str(n) for n in range(1, 12)]}, says="at most"
    ),
    "book: invalid UTF-8 in the body": Case(
        "POST", "/showtimes/{showtime}/", 200, body=b"seats=%FF%FE", says="Choose seats"
    ),
    "book: a JSON body": Case(
        "POST", "/showtimes/{showtime}/", 200, body=b'{"seats": [1]}', content_type="application/json"
    ),
    "book: multipart without a boundary": Case(
        "POST", "/showtimes/{showtime}/", 400, body=b"seats=1", content_type="multipart/form-data"
    ),
    "book: 2 MB body": Case(
        "POST", "/showtimes/{showtime}/", 400, {"seats": ["{seat}"], "pad": "x" * 2_000_000}
    ),
    "book: 600 fields": Case("POST", "/showtimes/{showtime}/", 400, {"seats": [str(n) for n in range(600)]}),
    # My bookings: codes.
    "booking: code with NUL": Case("GET", "/bookings/AB%00CD/", 400),
    "booking: change a code with NUL": Case("POST", "/bookings/AB%00CD/change/", 400, {"seats": ["{seat}"]}),
    "booking: cancel a code with NUL": Case("POST", "/bookings/AB%00CD/cancel/", 400),
    "booking: a 5000-char code": Case("GET", "/bookings/" + "A" * 5000 + "/", 404),
    "booking: an emoji code": Case("GET", "/bookings/%F0%9F%8E%AC/", 404),
    "booking: invalid UTF-8 code": Case("GET", "/bookings/%FF%FE/", 404),
    "booking: SQL-looking code": Case("GET", "/bookings/'%20OR%201=1--/", 404),
    "change: seat id 10**30": Case(
        "POST", "/bookings/{code}/change/", 200, {"seats": [HUGE]}, says="Choose seats"
    ),
    "change: seat id abc": Case(
        "POST", "/bookings/{code}/change/", 200, {"seats": ["abc"]}, says="Choose seats"
    ),
    "change: no seats": Case("POST", "/bookings/{code}/change/", 200, {}, says="at least one"),
    "change: 2 MB body": Case("POST", "/bookings/{code}/change/", 400, {"pad": "x" * 2_000_000}),
    # Accounts.
    "sign-up: a 300-char email": Case(
        "POST", "/accounts/signup/", 200, signup(email="a" * 288 + "@example.com")
    ),
    "sign-up: a 151-char name": Case("POST", "/accounts/signup/", 200, signup(name="n" * 151)),
    "sign-up: NUL in the email": Case("POST", "/accounts/signup/", 200, signup(email="a\x00b@example.com")),
    "sign-up: NUL in the name": Case("POST", "/accounts/signup/", 200, signup(name="A\x00B"), says="Null"),
    "sign-up: NUL in the password": Case(
        "POST", "/accounts/signup/", 200, signup(password1="pass\x00word-42", password2="pass\x00word-42")
    ),
    "sign-up: an empty body": Case("POST", "/accounts/signup/", 200, {}),
    "sign-up: a blank name": Case("POST", "/accounts/signup/", 200, signup(name="   ")),
    "sign-up: passwords that differ": Case(
        "POST", "/accounts/signup/", 200, signup(password2="another-one-77")
    ),
    "sign-up: an email without @": Case("POST", "/accounts/signup/", 200, signup(email="not-an-email")),
    "sign-up: a non-ASCII local part": Case(
        "POST", "/accounts/signup/", 200, signup(email="zoë@example.com")
    ),
    "sign-up: an RTL-override email": Case(
        "POST", "/accounts/signup/", 200, signup(email="a\u202eb@example.com")
    ),
    "sign-up: a taken email in capitals": Case(
        "POST", "/accounts/signup/", 200, signup(email="CARLA@EXAMPLE.COM")
    ),
    "sign-up: 2 MB body": Case("POST", "/accounts/signup/", 400, signup(name="x" * 2_000_000)),
    "log-in: NUL in the email": Case(
        "POST", "/accounts/login/", 200, {"username": "a\x00@example.com", "password": "x"}
    ),
    "log-in: a 5000-char password": Case(
        "POST", "/accounts/login/", 200, {"username": "carla@example.com", "password": "p" * 5000}
    ),
    "log-in: an empty body": Case("POST", "/accounts/login/", 200, {}),
    "reset: NUL in the email": Case("POST", "/accounts/password/reset/", 200, {"email": "a\x00@example.com"}),
    "reset: a 300-char email": Case(
        "POST", "/accounts/password/reset/", 200, {"email": "a" * 288 + "@example.com"}
    ),
    "reset link: junk uid": Case("GET", "/accounts/password/reset/%25%25%25/x/", 200, says="expired"),
    "reset link: uid of 10**30": Case(
        "GET", "/accounts/password/reset/MTAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw/x/", 200, says="expired"
    ),
    # Staff pages: bad query strings.
    "admin: a NUL in a list filter": Case("GET", "/admin/bookings/booking/?status__exact=%00", 400),
    "admin: an unknown list filter": Case("GET", "/admin/bookings/booking/?nope=1", 302),
    "admin: an unknown status": Case("GET", "/admin/bookings/booking/?status__exact=postponed", 200),
    "admin: ordering by junk": Case("GET", "/admin/bookings/booking/?o=abc", 200),
    "admin: a huge page number": Case("GET", f"/admin/bookings/booking/?p={HUGE}", 200),
    "admin: a huge object id": Case("GET", f"/admin/bookings/booking/{HUGE}/change/", 302),
    "admin: a non-numeric object id": Case("GET", "/admin/movies/movie/abc/change/", 302),
    "insights: junk dates and grouping": Case(
        "GET", "/admin/insights/?group_by=x&from=99999-01-01", 200, says="valid choice"
    ),
    "insights CSV: a month 13": Case("GET", "/admin/insights/export.csv?from=2026-13-01", 400),
    "insights CSV: an unknown grouping": Case("GET", "/admin/insights/export.csv?group_by=%F0%9F%8E%AC", 400),
}

STAFF_ONLY = ("/admin/",)
AS_ANONYMOUS = ("/accounts/signup/", "/accounts/login/", "/accounts/password/")


@pytest.fixture
def world(customer, staff) -> dict:
    showtime = ShowtimeFactory(room=RoomFactory(rows=3, seats_per_row=5))
    booking = make_booking(user=customer, showtime=showtime, labels=["A1"])
    return {"showtime": showtime, "booking": booking, "seat": showtime.room.seats.get(row="B", number=2)}


def fill(text: str, w: dict) -> str:
    return text.format(showtime=w["showtime"].pk, code=w["booking"].code, seat=w["seat"].pk)


def state() -> tuple:
    return (
        list(Booking.objects.order_by("pk").values_list("pk", "status", "total_price")),
        list(Ticket.objects.order_by("pk").values_list("pk", "seat_id", "active")),
        list(HoldSeat.objects.order_by("pk").values_list("pk", "seat_id", "active")),
        User.objects.count(),
    )


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_refused_without_a_500_or_a_write(world, customer, staff, name):
    case = CASES[name]
    client = Client(raise_request_exception=False)
    if case.path.startswith(STAFF_ONLY):
        client.force_login(staff)
    elif not case.path.startswith(AS_ANONYMOUS):
        client.force_login(customer)
    path = fill(case.path, world)
    before = state()

    if case.body is not None:
        response = client.generic(case.method, path, case.body, content_type=case.content_type)
    elif case.method == "POST":
        data = {
            k: [fill(v, world) for v in value] if isinstance(value, list) else value
            for k, value in (case.data or {}).items()
        }
        response = client.post(path, data)
    else:
        response = client.get(path)

    assert response.status_code == case.status, name
    assert case.says in response.content.decode()
    assert state() == before


def test_a_too_large_body_gets_the_sites_friendly_400_page(world, customer):
    client = Client()
    client.force_login(customer)

    response = client.post(fill("/showtimes/{showtime}/", world), {"pad": "x" * 2_000_000})

    html = response.content.decode()
    assert response.status_code == 400
    assert "We could not read that request" in html and "Nothing was changed" in html


def test_an_api_request_refused_before_its_view_gets_a_json_400(customer):
    client = Client()

    response = client.post(
        "/api/auth/login", b'{"email": "' + b"x" * 2_000_000 + b'"}', content_type="application/json"
    )
    nul = client.get("/api/sessions?date=%00")

    assert response.status_code == 400 and response.json()["detail"].startswith("Bad request")
    assert nul.status_code == 400 and "detail" in nul.json()


@pytest.mark.parametrize("kind", list(UNICODE_NAMES))
def test_unicode_names_sign_up_and_come_back_intact(client, kind):
    name = UNICODE_NAMES[kind]

    response = client.post("/accounts/signup/", signup(email=f"{kind}@example.com", name=name))

    assert response.status_code == 302
    assert User.objects.get(email=f"{kind}@example.com").name == name
    assert name in client.get("/").content.decode()


def test_an_international_domain_email_signs_up_and_logs_in(client):
    response = client.post("/accounts/signup/", signup(email="zoe@exämple.com"))
    client.post("/accounts/logout/")

    assert response.status_code == 302
    assert (
        client.post(
            "/accounts/login/", {"username": "ZOE@EXÄMPLE.COM", "password": GOOD_PASSWORD}
        ).status_code
        == 302
    )


# --- properties ---------------------------------------------------------------

texts = st.text(st.characters(codec="utf-8"), max_size=300)
emails = st.one_of(st.emails(), texts, st.builds(lambda t: f"{t}@example.com", texts))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=emails, name=texts, password=texts, confirm=st.booleans())
def test_the_sign_up_form_either_creates_one_account_or_changes_nothing(
    customer, email, name, password, confirm
):
    client = Client(raise_request_exception=False)
    users = User.objects.count()

    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "name": name,
            "password1": password,
            "password2": password if confirm else password + "x",
        },
    )

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert User.objects.count() == users + 1
        created = User.objects.latest("pk")
        assert created.email == created.email.lower() and "\x00" not in created.name
    else:
        assert User.objects.count() == users


seat_values = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.integers(0, 20).map(str),  # around the room's own seat ids
    texts,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(seat_values, max_size=14))
def test_the_seat_form_accepts_only_ids_a_database_can_hold(values):
    form = SeatSelectionForm({"seats": values}) if values else SeatSelectionForm({})

    if form.is_valid():
        assert all(1 <= pk <= MAX_ID for pk in form.cleaned_data["seats"])
    else:
        assert list(form.errors) == ["seats"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offsets=st.lists(st.one_of(st.integers(0, 16), st.integers(-(2**70), 2**70), texts), max_size=12))
def test_the_seat_form_holds_exactly_the_seats_sent_or_nothing(world, customer, offsets):
    showtime = world["showtime"]
    first = showtime.room.seats.order_by("pk").first().pk
    values = [str(first + o) if isinstance(o, int) else o for o in offsets]
    client = Client(raise_request_exception=False)
    client.force_login(customer)
    before = state()

    response = client.post(f"/showtimes/{showtime.pk}/", {"seats": values})

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        hold = Hold.objects.active().get(user=customer)
        seats = sorted(hold.seats.filter(active=True).values_list("seat_id", flat=True))
        assert seats == sorted(int(v) for v in values)
        assert response.url == hold.get_absolute_url()
    else:
        assert state() == before


def test_the_log_in_page_answers_a_wrong_password_like_an_unknown_email(client, customer):
    known = client.post("/accounts/login/", {"username": customer.email, "password": "wrong"})
    unknown = client.post("/accounts/login/", {"username": "nobody@example.com", "password": PASSWORD})

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
