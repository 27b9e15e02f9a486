import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog

from cinema import views

# The admin is the staff's back office of the cinema (the site's name is "Cinema"):
# its header and every page title say so ("Bookings | Cinema staff").
admin.site.site_header = gettext_lazy("Cinema staff")
admin.site.site_title = gettext_lazy("Cinema staff")
admin.site.index_title = gettext_lazy("Front desk")
# At 1280 px the app sidebar took a quarter of the width the lists need to show
# every column; the index (daily screens first) and the breadcrumbs navigate.
admin.site.enable_nav_sidebar = False

CATALOG_LOADED_AT = timezone.now()

# Tried in order for every request: the probes and the API first, the site's
# own pages (the longest list) last.
urlpatterns = [
    path("ping", views.ping, name="ping"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("api/", include("cinema.api_urls")),
    path("movies/", include("movies.urls")),
    path("accounts/", include("accounts.urls")),
    # Before admin.site.urls, which would otherwise take "insights" for an app label.
    path("admin/insights/", include("bookings.insights_urls")),
    path("admin/", admin.site.urls),
    # set_language: the footer's language switcher posts here.
    path("i18n/", include("django.conf.urls.i18n")),
    # The scripts' words (locale/*/djangojs.po) in the page's language. Pages link it with
    # their language in the query, so a browser's cached copy is never the other language's;
    # the catalog changes only with a deploy, so a conditional GET is a 304.
    path(
        "jsi18n/",
        last_modified(lambda request: CATALOG_LOADED_AT)(JavaScriptCatalog.as_view()),
        name="javascript-catalog",
    ),
    path("", include("bookings.urls")),
]

if settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns.append(re_path(rf"^{media_prefix}(?P<path>.+)$", views.media, name="media"))

handler400 = "cinema.views.bad_request"
handler403 = "cinema.views.permission_denied"
handler404 = "cinema.views.page_not_found"
handler500 = "cinema.views.server_error"
