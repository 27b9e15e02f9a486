"""The policy header is built once from settings (cinema.middleware.CSPMiddleware),
and comes out exactly as django-csp builds it, per-view policies included."""

from __future__ import annotations

import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from cinema.middleware import CSPMiddleware


def respond(view=None):
    request = RequestFactory().get("/somewhere")
    middleware = CSPMiddleware(view or (lambda request: HttpResponse("ok")))
    return request, middleware(request)


def test_it_sends_the_policy_django_csp_builds_from_settings():
    request, response = respond()

    assert response["Content-Security-Policy"] == build_policy()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_it_leaves_a_decorated_view_its_own_policy():
    @csp_update({"img-src": "https://posters.example"})
    def view(request):
        return HttpResponse("ok")

    request, response = respond(view)

    assert "https://posters.example" in response["Content-Security-Policy"]
    assert respond()[1]["Content-Security-Policy"] == build_policy()


def test_it_adds_the_nonce_a_view_asks_for():
    def view(request):
        return HttpResponse(str(request.csp_nonce))

    directives = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=directives):
        request, response = respond(view)

    assert f"'nonce-{response.content.decode()}'" in response["Content-Security-Policy"]


def test_it_keeps_a_header_the_view_set_and_an_exemption():
    def own_header(request):
        response = HttpResponse("ok")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    def exempt(request):
        response = HttpResponse("ok")
        response._csp_exempt = True
        return response

    assert respond(own_header)[1]["Content-Security-Policy"] == "default-src 'none'"
    assert "Content-Security-Policy" not in respond(exempt)[1]


def test_it_rebuilds_when_the_settings_change():
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert respond()[1]["Content-Security-Policy"] == "default-src 'none'"
    assert "script-src 'self'" in respond()[1]["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    from csp.exceptions import CSPNonceError

    request, response = respond()

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_it_builds_the_policy_once_for_many_responses(monkeypatch):
    import cinema.middleware

    calls = []

    def counting_build_policy(**kwargs):
        calls.append(kwargs)
        return build_policy(**kwargs)

    monkeypatch.setattr(cinema.middleware, "build_policy", counting_build_policy)
    cinema.middleware._settings_policy_headers.cache_clear()
    headers = [respond()[1]["Content-Security-Policy"] for _ in range(5)]

    assert headers == [build_policy()] * 5
    assert calls == [{}, {"report_only": True}]  # the header and the report-only one, once each
