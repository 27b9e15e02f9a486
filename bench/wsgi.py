"""What `make bench` serves: the project's WSGI application and, in the same
gunicorn beside it, a bare Django view (no middleware, no database, a tiny
response): the framework floor every hot path is measured against."""

from __future__ import annotations

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.urls import path

from bench.server import BARE_PATH
from cinema.wsgi import application as project_application


def hello(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(b"Hello", content_type="text/plain")
    response["Content-Length"] = "5"  # as CommonMiddleware sets it for the project's views
    return response


urlpatterns = [path(BARE_PATH.lstrip("/"), hello)]


class BareHandler(WSGIHandler):
    """Django's own request handling (request objects, URL resolution, signals),
    with none of the project's middleware and only the one URL above."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware, self._template_response_middleware, self._exception_middleware = [], [], []
        self._middleware_chain = convert_exception_to_response(self._get_response)

    def get_response(self, request: HttpRequest) -> HttpResponse:
        request.urlconf = __name__
        return super().get_response(request)


bare_application = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == BARE_PATH:
        return bare_application(environ, start_response)
    return project_application(environ, start_response)
