"""The "Theater staff" group sees each showtime's waiting list and may take an
entry off it (DESIGN.md "Waiting list")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Theater staff"
PERMISSIONS = {"bookings": ["change_waitlistentry", "view_waitlistentry"]}


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    for app_label, codenames in PERMISSIONS.items():
        yield from Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)


def grant(apps, schema_editor):
    for app_label in PERMISSIONS:
        config = apps.get_app_config(app_label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    # A database flushed since cinema/0002 (a test's) has no group to grant to.
    group = apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).first()
    if group:
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).first()
    if group:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("cinema", "0006_checkin_permissions"), ("bookings", "0009_waitlist")]

    operations = [migrations.RunPython(grant, revoke)]
