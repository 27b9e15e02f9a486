"""Password-reset e-mails are limited per account email and per client address,
with the same answer whether an e-mail went out, was held back, or had no account."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase
from django.urls import reverse

from accounts.tests.factories import UserFactory
from cinema.tests.pages import page_without_csrf

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def ask(email: str, address: str = "127.0.0.1"):
    # The mail is queued on commit (cinema/mail.py): run what commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return Client(REMOTE_ADDR=address).post(RESET, {"email": email}, follow=True)


def test_eight_requests_for_one_email_send_at_most_the_allowed_e_mails_with_one_answer(customer, settings):
    settings.PASSWORD_RESET_EMAIL_RATE = "3/hour"
    # Each from its own address, and in its own spelling: the limit is the account's.
    spellings = ["carla@example.com", "CARLA@example.com", " Carla@Example.com"]

    answers = [ask(spellings[n % 3], address=f"198.51.100.{n}") for n in range(8)]

    assert len(mail.outbox) == 3
    assert {tuple(message.to) for message in mail.outbox} == {("carla@example.com",)}
    assert {answer.redirect_chain[-1] for answer in answers} == {
        (reverse("accounts:password_reset_done"), 302)
    }
    assert len({page_without_csrf(answer) for answer in answers}) == 1


def test_eight_requests_from_one_address_send_at_most_its_allowed_e_mails(settings):
    settings.PASSWORD_RESET_ADDRESS_RATE = "4/hour"
    emails = [UserFactory().email for _ in range(8)]

    answers = [ask(email) for email in emails]
    elsewhere = ask(emails[-1], address="198.51.100.1")

    assert [message.to for message in mail.outbox] == [[email] for email in emails[:4]] + [[emails[-1]]]
    assert len({page_without_csrf(answer) for answer in [*answers, elsewhere]}) == 1


def test_a_held_back_reset_answers_like_one_for_no_account(customer, settings):
    settings.PASSWORD_RESET_EMAIL_RATE = "1/hour"
    ask(customer.email)

    held_back = ask(customer.email)
    no_account = ask("nobody@example.com")

    assert len(mail.outbox) == 1
    assert held_back.redirect_chain == no_account.redirect_chain
    assert page_without_csrf(held_back) == page_without_csrf(no_account)
