"""Staff insights inside the admin: included at /admin/insights/ by cinema/urls.py."""

from __future__ import annotations

from django.urls import path

from bookings import insights

app_name = "insights"

urlpatterns = [
    path("", insights.dashboard, name="dashboard"),
    path("export.csv", insights.export_csv, name="export"),
]
