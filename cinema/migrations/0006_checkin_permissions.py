"""The "Theater staff" group admits moviegoers at the door and sees check-ins
(DESIGN.md "Check-in at the door"), and sees outgoing e-mails and re-sends failed ones."""

from django.db import migrations

from cinema.migrations._staff_grants import grant_to_theater_staff


class Migration(migrations.Migration):
    dependencies = [("cinema", "0005_outgoing_mail"), ("bookings", "0008_checkin")]

    operations = [
        grant_to_theater_staff(
            {
                "bookings": ["add_checkin", "change_checkin", "view_checkin"],
                "cinema": ["change_outgoingmail", "view_outgoingmail"],
            }
        )
    ]
