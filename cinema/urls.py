from django.contrib import admin
from django.urls import include, path

from bookings.api.reports import BookingReportView
from cinema import views

urlpatterns = [
    # Before admin.site.urls, which would otherwise take "insights" for an app label.
    path("admin/insights/", include("bookings.insights_urls")),
    path("admin/", admin.site.urls),
    path("api/reports/bookings", BookingReportView.as_view(), name="api-report-bookings"),
    path("healthz", views.healthz, name="healthz"),
]
