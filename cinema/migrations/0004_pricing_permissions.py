"""The "Theater staff" group keeps the price list: ticket types and price cards."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Theater staff"
PRICING_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("tickettype", "pricecard", "pricecardprice")
    for action in ("add", "change", "delete", "view")
]


def grant(apps, schema_editor):
    pricing = apps.get_app_config("pricing")
    pricing.models_module = True
    create_permissions(pricing, apps=apps, verbosity=0)
    pricing.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=STAFF_GROUP).first()
    if group is None:  # deleted since 0002 made it: nothing to grant to
        return
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="pricing", codename__in=PRICING_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=STAFF_GROUP).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="pricing", codename__in=PRICING_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("cinema", "0003_theater_staff_holds"), ("pricing", "0002_standard_price_list")]

    operations = [migrations.RunPython(grant, revoke)]
