"""simplejwt's token lists in the admin, which nobody may add to, edit or delete from."""

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
