"""The "Theater staff" group admits moviegoers at the door and sees check-ins
(DESIGN.md "Check-in at the door"), and sees outgoing e-mails and re-sends failed ones."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Theater staff"
PERMISSIONS = {
    "bookings": ["add_checkin", "change_checkin", "view_checkin"],
    "cinema": ["change_outgoingmail", "view_outgoingmail"],
}


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
    group = apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).first()
    if group is None:  # deleted since 0002 made it: nothing to grant to
        return
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).first()
    if group:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("cinema", "0005_outgoing_mail"), ("bookings", "0008_checkin")]

    operations = [migrations.RunPython(grant, revoke)]
