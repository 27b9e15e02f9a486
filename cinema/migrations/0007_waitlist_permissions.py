"""The "Theater staff" group sees each showtime's waiting list and may take an
entry off it (DESIGN.md "Waiting list")."""

from django.db import migrations

from cinema.migrations._staff_grants import grant_to_theater_staff


class Migration(migrations.Migration):
    dependencies = [("cinema", "0006_checkin_permissions"), ("bookings", "0009_waitlist")]

    operations = [grant_to_theater_staff({"bookings": ["change_waitlistentry", "view_waitlistentry"]})]
