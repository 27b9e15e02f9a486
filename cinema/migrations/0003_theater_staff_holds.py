"""The "Theater staff" group sees seat holds and may release them (the admin's action)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Theater staff"
HOLD_PERMISSIONS = ["change_hold", "view_hold", "view_holdseat"]


def grant(apps, schema_editor):
    bookings = apps.get_app_config("bookings")
    bookings.models_module = True
    create_permissions(bookings, apps=apps, verbosity=0)
    bookings.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=STAFF_GROUP).first()
    if group is None:  # deleted since 0002 made it: nothing to grant to
        return
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="bookings", codename__in=HOLD_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=STAFF_GROUP).first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="bookings", codename__in=HOLD_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("cinema", "0002_theater_staff_group"), ("bookings", "0006_holds")]

    operations = [migrations.RunPython(grant, revoke)]
