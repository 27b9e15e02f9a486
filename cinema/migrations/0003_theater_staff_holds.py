"""The "Theater staff" group sees seat holds and may release them (the admin's action)."""

from django.db import migrations

from cinema.migrations._staff_grants import grant_to_theater_staff


class Migration(migrations.Migration):
    dependencies = [("cinema", "0002_theater_staff_group"), ("bookings", "0006_holds")]

    operations = [grant_to_theater_staff({"bookings": ["change_hold", "view_hold", "view_holdseat"]})]
