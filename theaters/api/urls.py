from __future__ import annotations

from django.urls import path

from theaters.api import views

app_name = "theaters"

urlpatterns = [
    path("rooms", views.RoomListView.as_view(), name="room-list"),
    path("rooms/<int:pk>", views.RoomDetailView.as_view(), name="room-detail"),
]
