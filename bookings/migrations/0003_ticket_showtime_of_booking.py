"""A ticket's showtime is its booking's: a composite foreign key on PostgreSQL.

Raw SQL because Django has no composite foreign keys; SQLite cannot add one
to an existing table, and there the booking service is the only writer.
"""

from django.db import migrations

from cinema.postgres import RunSQLOnPostgreSQL

CREATE = """
ALTER TABLE bookings_ticket ADD CONSTRAINT bookings_ticket_showtime_of_booking
FOREIGN KEY (booking_id, showtime_id) REFERENCES bookings_booking (id, showtime_id)
"""
DROP = "ALTER TABLE bookings_ticket DROP CONSTRAINT bookings_ticket_showtime_of_booking"


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_booking_id_showtime_unique")]

    operations = [RunSQLOnPostgreSQL(CREATE, DROP)]
