"""The price list every cinema starts from: Adult (the standard type), Child
(with an adult), Senior and Student, and one "Standard" card pricing them all
day, every day, at the lowest priority. On PostgreSQL a trigger keeps Adult:
it cannot be deleted, nor its code changed (the admin refuses first, politely).
"""

from decimal import Decimal

from django.db import migrations

from cinema.postgres import RunSQLOnPostgreSQL

TYPES = [
    # code, name, order, requires_adult, Standard price
    ("adult", "Adult", 10, False, Decimal("9.50")),
    ("child", "Child", 20, True, Decimal("6.50")),
    ("senior", "Senior", 30, False, Decimal("7.00")),
    ("student", "Student", 40, False, Decimal("7.50")),
]
STANDARD = "Standard"

KEEP_ADULT = """
CREATE FUNCTION pricing_keep_adult_ticket_type() RETURNS trigger AS $$
BEGIN
    IF OLD.code = 'adult' AND (TG_OP = 'DELETE' OR NEW.code <> 'adult') THEN
        RAISE EXCEPTION 'The adult ticket type is the standard one and stays.'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER pricing_tickettype_keep_adult BEFORE UPDATE OR DELETE ON pricing_tickettype
FOR EACH ROW EXECUTE FUNCTION pricing_keep_adult_ticket_type();
"""
DROP_KEEP_ADULT = """
DROP TRIGGER pricing_tickettype_keep_adult ON pricing_tickettype;
DROP FUNCTION pricing_keep_adult_ticket_type();
"""


def create(apps, schema_editor):
    TicketType = apps.get_model("pricing", "TicketType")
    PriceCard, PriceCardPrice = (
        apps.get_model("pricing", "PriceCard"),
        apps.get_model("pricing", "PriceCardPrice"),
    )
    card = PriceCard.objects.create(name=STANDARD, weekdays=[1, 2, 3, 4, 5, 6, 7], priority=0)
    for code, name, order, requires_adult, price in TYPES:
        ticket_type = TicketType.objects.create(
            code=code, name=name, order=order, requires_adult=requires_adult
        )
        PriceCardPrice.objects.create(card=card, ticket_type=ticket_type, price=price)


def remove(apps, schema_editor):
    apps.get_model("pricing", "PriceCard").objects.filter(name=STANDARD).delete()
    apps.get_model("pricing", "TicketType").objects.filter(code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pricing", "0001_initial")]

    # The data first: the trigger would refuse the reverse's delete of Adult.
    operations = [
        migrations.RunPython(create, remove),
        RunSQLOnPostgreSQL(KEEP_ADULT, DROP_KEEP_ADULT),
    ]
