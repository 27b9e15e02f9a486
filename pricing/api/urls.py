from __future__ import annotations

from django.urls import path

from pricing.api import views

app_name = "pricing"

urlpatterns = [
    path("ticket-types", views.TicketTypeListView.as_view(), name="ticket-type-list"),
]
