from __future__ import annotations

from django.urls import path

from bookings.api import views

app_name = "bookings"

urlpatterns = [
    path("bookings", views.BookingListView.as_view(), name="booking-list"),
    path("bookings/<int:pk>", views.BookingDetailView.as_view(), name="booking-detail"),
]
