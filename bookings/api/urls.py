from __future__ import annotations

from django.urls import path

from bookings.api import views
from bookings.api.reports import BookingReportView

app_name = "bookings"

# Sessions, and a movie read with its sessions, carry seats sold: the box office serves them.
urlpatterns = [
    path("movies/<int:pk>", views.MovieDetailView.as_view(), name="movie-detail"),
    path("sessions", views.SessionListView.as_view(), name="session-list"),
    path("sessions/series", views.session_series, name="session-series"),
    path("sessions/<int:pk>", views.SessionDetailView.as_view(), name="session-detail"),
    path("sessions/<int:pk>/best-seats", views.best_seats, name="session-best-seats"),
    path("sessions/<int:pk>/waitlist", views.waitlist_join, name="session-waitlist"),
    path("waitlist", views.WaitlistListView.as_view(), name="waitlist-list"),
    path("waitlist/<int:pk>", views.WaitlistDetailView.as_view(), name="waitlist-detail"),
    path("bookings", views.BookingListView.as_view(), name="booking-list"),
    path("bookings/<int:pk>", views.BookingDetailView.as_view(), name="booking-detail"),
    path("holds", views.HoldListView.as_view(), name="hold-list"),
    path("holds/<int:pk>", views.HoldDetailView.as_view(), name="hold-detail"),
    path("holds/<int:pk>/renew", views.hold_renew, name="hold-renew"),
    path("checkins", views.checkin_create, name="checkin-list"),
    path("checkins/<str:code>", views.checkin_delete, name="checkin-detail"),
    path("reports/bookings", BookingReportView.as_view(), name="report-bookings"),
]
