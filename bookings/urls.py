from __future__ import annotations

from django.urls import path

from bookings import views

app_name = "bookings"

urlpatterns = [
    path("", views.whats_on, name="whats-on"),
    path("movies/<int:pk>/", views.movie_detail, name="movie-detail"),
    path("showtimes/<int:pk>/", views.seat_map, name="seat-map"),
    path("showtimes/<int:pk>/seats/", views.seat_states_view, name="seat-states"),
    path("showtimes/<int:pk>/waitlist/", views.waitlist_join_view, name="waitlist-join"),
    path("waitlist/<int:pk>/leave/", views.waitlist_leave_view, name="waitlist-leave"),
    path("checkout/<int:pk>/", views.checkout, name="checkout"),
    path("bookings/", views.booking_list, name="booking-list"),
    path("bookings/<str:code>/", views.booking_detail, name="booking-detail"),
    path("bookings/<str:code>/calendar.ics", views.booking_calendar, name="booking-calendar"),
    path("bookings/<str:code>/change/", views.booking_change, name="booking-change"),
    path("bookings/<str:code>/cancel/", views.booking_cancel_view, name="booking-cancel"),
    path("checkin/", views.checkin_pick, name="checkin"),
    path("checkin/<int:pk>/", views.checkin_door, name="checkin-door"),
    path("checkin/<int:pk>/undo/", views.checkin_undo_view, name="checkin-undo"),
    path("checkin/<int:pk>/count/", views.checkin_count, name="checkin-count"),
]
