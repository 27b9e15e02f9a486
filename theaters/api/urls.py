from __future__ import annotations

from django.urls import path

from theaters.api import views

app_name = "theaters"

urlpatterns = [
    path("rooms", views.RoomListView.as_view(), name="room-list"),
    path("rooms/<int:pk>", views.RoomDetailView.as_view(), name="room-detail"),
    path("sessions", views.SessionListView.as_view(), name="session-list"),
    path("sessions/<int:pk>", views.SessionDetailView.as_view(), name="session-detail"),
]
