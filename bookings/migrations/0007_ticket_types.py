"""Each ticket keeps its ticket type; the tickets sold before there were types
are adult tickets, at the price they were sold at."""

import django.db.models.deletion
from django.db import migrations, models


def adult_tickets(apps, schema_editor):
    adult = apps.get_model("pricing", "TicketType").objects.get(code="adult")
    apps.get_model("bookings", "Ticket").objects.filter(ticket_type__isnull=True).update(ticket_type=adult)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0006_holds"),
        ("pricing", "0002_standard_price_list"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="ticket_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tickets",
                to="pricing.tickettype",
            ),
        ),
        migrations.RunPython(adult_tickets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ticket",
            name="ticket_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="tickets", to="pricing.tickettype"
            ),
        ),
        migrations.AlterField(
            model_name="ticket",
            name="price",
            field=models.DecimalField(decimal_places=2, help_text="What it was sold at.", max_digits=7),
        ),
    ]
