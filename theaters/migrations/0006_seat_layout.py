"""Seats gain a kind, a blocked flag and a grid column: every existing room is an
all-standard rectangle, so each seat's column is its number (ids unchanged)."""

from django.db import migrations, models
from django.db.models import F, Q


def columns_are_numbers(apps, schema_editor):
    apps.get_model("theaters", "Seat").objects.update(column=F("number"))


class Migration(migrations.Migration):
    dependencies = [("theaters", "0005_showtime_prices")]

    operations = [
        migrations.AddField(
            model_name="seat",
            name="column",
            field=models.PositiveSmallIntegerField(
                default=0, help_text="Its place in the row's grid from the left, gaps included."
            ),
            preserve_default=False,
        ),
        migrations.RunPython(columns_are_numbers, migrations.RunPython.noop),
        migrations.AddField(
            model_name="seat",
            name="kind",
            field=models.CharField(
                choices=[
                    ("standard", "Standard"),
                    ("wheelchair", "Wheelchair space"),
                    ("companion", "Companion seat"),
                ],
                default="standard",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="seat",
            name="blocked",
            field=models.BooleanField(default=False, help_text="Not for sale (broken, kept for the crew…)."),
        ),
        migrations.AlterField(
            model_name="seat",
            name="number",
            field=models.PositiveSmallIntegerField(
                help_text="Counts the row's seats from the left, gaps unnumbered."
            ),
        ),
        migrations.AlterField(
            model_name="room",
            name="capacity",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Its sellable (unblocked) seats, kept in step by the services.",
            ),
        ),
        migrations.AddConstraint(
            model_name="seat",
            constraint=models.UniqueConstraint(
                fields=("room", "row", "column"), name="theaters_seat_unique_column"
            ),
        ),
        migrations.AddConstraint(
            model_name="seat",
            constraint=models.CheckConstraint(
                condition=Q(column__gte=1), name="theaters_seat_column_positive"
            ),
        ),
    ]
