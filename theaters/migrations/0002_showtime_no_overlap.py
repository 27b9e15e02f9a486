"""Two scheduled showtimes of one room never overlap, cleaning time included.

A PostgreSQL exclusion constraint (btree_gist for the `room_id =` part), so no
race can break the rule. It is raw SQL rather than Meta.constraints because
SQLite, the embedded default, has no such constraint: there the scheduling
service's check under the room lock is the guard.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from cinema.postgres import RunSQLOnPostgreSQL

CREATE = """
ALTER TABLE theaters_showtime ADD CONSTRAINT theaters_showtime_no_overlap
EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, room_free_at, '[)') WITH &&)
WHERE (status = 'scheduled')
"""
DROP = "ALTER TABLE theaters_showtime DROP CONSTRAINT theaters_showtime_no_overlap"


class Migration(migrations.Migration):
    dependencies = [("theaters", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        RunSQLOnPostgreSQL(CREATE, DROP),
    ]
