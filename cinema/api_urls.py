"""Everything under /api/ (API.md): paths without a trailing slash, except the docs."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"

urlpatterns = [
    path("auth/", include("accounts.api.urls")),
    path("", include("movies.api.urls")),
    path("", include("pricing.api.urls")),
    path("", include("theaters.api.urls")),
    path("", include("bookings.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
