"""The accounts' admin: adding users through user_create, and simplejwt's token
lists, which nobody may add to, edit or delete from."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from accounts.tests.factories import UserFactory
from cinema.tests.clients import api_client

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-fresh-tangerine-42"


def add_user(client: Client, **fields):
    data = {
        "email": "Nina@Example.com",
        "name": "Nina New",
        "usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **fields,
    }
    return client.post(reverse("admin:accounts_user_add"), data)


@pytest.fixture
def admin_client_(client, staff) -> Client:
    client.force_login(staff)
    return client


def test_adding_a_user_in_the_admin_stores_the_normalized_email(admin_client_):
    response = add_user(admin_client_)

    nina = User.objects.get(name="Nina New")
    assert response.status_code == 302
    assert response.url == reverse("admin:accounts_user_change", args=[nina.pk])
    assert nina.email == "nina@example.com" and nina.check_password(NEW_PASSWORD)


def test_adding_a_user_with_password_log_in_disabled(admin_client_):
    add_user(admin_client_, usable_password="false", password1="", password2="")

    assert not User.objects.get(name="Nina New").has_usable_password()


def test_the_admin_refuses_a_lookalike_of_a_taken_email_as_a_form_error(admin_client_):
    UserFactory(email="sracer@example.com", name="First")

    response = add_user(admin_client_, email="ſRACER@example.com")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "email": ["An account with this email already exists."]
    }
    assert list(User.objects.filter(email="sracer@example.com").values_list("name", flat=True)) == ["First"]


def test_the_admin_still_applies_the_password_validators(admin_client_):
    response = add_user(admin_client_, password1="12345678", password2="12345678")

    assert "password2" in response.context["adminform"].form.errors
    assert not User.objects.filter(name="Nina New").exists()


def change_email(client: Client, user: User, email: str):
    return client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {"email": email, "name": user.name, "is_active": "on", "date_joined_0": "2026-01-01"},
    )


def test_changing_an_email_in_the_admin_stores_it_normalized(admin_client_, customer):
    response = change_email(admin_client_, customer, "  ſARAH@Example.com")

    assert response.status_code == 302
    assert User.objects.get(pk=customer.pk).email == "sarah@example.com"


def test_the_admin_refuses_to_change_an_email_to_a_lookalike_of_another_accounts(
    admin_client_, customer, other_customer
):
    response = change_email(admin_client_, customer, "OſCAR@example.com")

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.get(pk=customer.pk).email == "carla@example.com"


# --- the token lists ------------------------------------------------------------

TOKEN_MODELS = {"outstandingtoken": OutstandingToken, "blacklistedtoken": BlacklistedToken}


@pytest.fixture
def revoked(customer) -> RefreshToken:
    token = RefreshToken.for_user(customer)
    token.blacklist()
    return token


def staff_with_every_token_permission() -> User:
    staff = UserFactory(email="tom@example.com", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="token_blacklist"))
    return staff


@pytest.fixture(params=["superuser", "staff with every token permission"])
def token_admin(request, client, staff) -> Client:
    client.force_login(staff if request.param == "superuser" else staff_with_every_token_permission())
    return client


def object_of(model_name: str):
    return TOKEN_MODELS[model_name].objects.get()


@pytest.mark.parametrize("model_name", TOKEN_MODELS)
def test_nobody_may_add_a_token_entry(token_admin, revoked, model_name):
    url = reverse(f"admin:token_blacklist_{model_name}_add")

    assert token_admin.get(url).status_code == 403
    assert token_admin.post(url, {}).status_code == 403
    assert TOKEN_MODELS[model_name].objects.count() == 1


@pytest.mark.parametrize("model_name", TOKEN_MODELS)
def test_nobody_may_delete_a_token_entry_so_a_revoked_token_stays_revoked(token_admin, revoked, model_name):
    entry = object_of(model_name)
    url = reverse(f"admin:token_blacklist_{model_name}_delete", args=[entry.pk])
    changelist = reverse(f"admin:token_blacklist_{model_name}_changelist")

    refused = [token_admin.get(url).status_code, token_admin.post(url, {"post": "yes"}).status_code]
    bulk = token_admin.post(
        changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )

    assert refused == [403, 403]
    assert bulk.status_code == 200  # no actions at all: the changelist shows again
    assert BlacklistedToken.objects.filter(token__jti=revoked["jti"]).exists()
    response = api_client().post("/api/auth/refresh", {"refresh": str(revoked)}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("model_name", TOKEN_MODELS)
def test_a_token_entrys_page_is_read_only(token_admin, revoked, model_name):
    entry = object_of(model_name)
    url = reverse(f"admin:token_blacklist_{model_name}_change", args=[entry.pk])

    page = token_admin.get(url)
    edit = token_admin.post(url, {"jti": "forged"})

    html = page.content.decode()
    form = html[html.index(f'id="{model_name}_form"') :]
    form = form[: form.index("</form>")]
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False and page.context["has_delete_permission"] is False
    # Nothing to fill in or press but the CSRF token: every field shows as text.
    controls = re.findall(r"<(?:input|textarea|select|button)\b[^>]*>", form)
    assert [re.search(r'name="(\w+)"', control).group(1) for control in controls] == ["csrfmiddlewaretoken"]
    assert entry.pk and str(revoked["jti"])[:8] in form
    assert edit.status_code == 403
    assert OutstandingToken.objects.get().jti == revoked["jti"]
