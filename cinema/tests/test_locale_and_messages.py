"""The project's LocaleMiddleware and message storage do what Django's do, for less."""

from __future__ import annotations

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage as DjangoCookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.test import RequestFactory
from django.urls import path
from django.utils import translation

from cinema.messages import CookieStorage, FallbackStorage
from cinema.middleware import LocaleMiddleware


def _page(request):
    return HttpResponse("page")


# A URLconf with language prefixes, as the site does not have: the project's
# middleware must then do all of Django's work (redirects to a prefix included).
urlpatterns = i18n_patterns(path("page/", _page))


def _answer(middleware_class, request):
    with translation.override(None):
        response = middleware_class(_page)(request)
        headers = response.get("Content-Language"), response.get("Vary")
        return request.LANGUAGE_CODE, *headers, response.status_code


@pytest.mark.parametrize(
    "headers, cookies",
    [
        ({}, {}),
        ({"HTTP_ACCEPT_LANGUAGE": "pt-PT,pt;q=0.9,en;q=0.5"}, {}),
        ({"HTTP_ACCEPT_LANGUAGE": "pt-BR"}, {}),  # the nearest supported variant
        ({"HTTP_ACCEPT_LANGUAGE": "de-DE"}, {}),  # none supported: the default
        ({"HTTP_ACCEPT_LANGUAGE": "pt-PT"}, {"django_language": "en"}),  # the switcher's choice wins
        ({}, {"django_language": "xx"}),  # a cookie naming no language of the site
    ],
)
@pytest.mark.parametrize("urlconf", [None, __name__], ids=["site", "prefixed"])
def test_the_language_and_its_headers_are_djangos(headers, cookies, urlconf):
    answers = []
    for middleware_class in (DjangoLocaleMiddleware, LocaleMiddleware):
        request = RequestFactory(**headers).get("/page/")
        request.COOKIES.update(cookies)
        if urlconf:
            request.urlconf = urlconf
        answers.append(_answer(middleware_class, request))
    assert answers[0] == answers[1]
    if urlconf is None:  # the site's URLs have no language prefix: the language varies by header
        assert answers[1][2] == "Accept-Language"


def test_a_prefixed_urlconf_still_redirects_to_the_language_prefix():
    request = RequestFactory(HTTP_ACCEPT_LANGUAGE="pt-PT").get("/page/")
    request.urlconf = __name__
    with translation.override(None):
        response = LocaleMiddleware(lambda request: HttpResponse(status=404))(request)
    assert (response.status_code, response["Location"]) == (302, "/pt-pt/page/")


def _request_with(cookie: str | None = None):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    if cookie is not None:
        request.COOKIES[CookieStorage.cookie_name] = cookie
    return request


def test_a_request_without_messages_never_builds_the_cookie_signer():
    request = _request_with()
    storage = FallbackStorage(request)
    assert list(storage) == []
    storage.update(HttpResponse())
    cookie_storage = storage.storages[0]
    assert isinstance(cookie_storage, CookieStorage)
    assert "signer" not in vars(cookie_storage)


def _cookie_storing(message: str) -> str:
    """The messages cookie of a response that carried `message` on."""
    storage = FallbackStorage(_request_with())
    storage.add(messages.SUCCESS, message)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


def test_messages_go_through_the_cookie_as_djangos_storage_writes_and_reads_them():
    cookie = _cookie_storing("Booked: seats A1, A2.")
    assert [m.message for m in DjangoCookieStorage(_request_with(cookie))] == ["Booked: seats A1, A2."]
    assert [m.message for m in FallbackStorage(_request_with(cookie))] == ["Booked: seats A1, A2."]


def test_a_tampered_messages_cookie_is_ignored():
    cookie = _cookie_storing("Hello")
    assert [m.message for m in FallbackStorage(_request_with(cookie))] == ["Hello"]
    assert list(FallbackStorage(_request_with(cookie[:-2] + "xx"))) == []
