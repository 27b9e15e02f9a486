"""What the "Theater staff" group (cinema/0002) is granted, one migration per
feature. The loader skips this module: its name starts with an underscore."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Theater staff"


def grant_to_theater_staff(permissions: dict[str, list[str]]) -> migrations.RunPython:
    """A reversible operation granting `permissions` ({app label: [codename, ...]})."""

    def matching(apps):
        Permission = apps.get_model("auth", "Permission")
        for app_label, codenames in permissions.items():
            yield from Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def group(apps):
        # None when deleted since 0002 made it (or in a test's flushed database).
        return apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).first()

    def grant(apps, schema_editor):
        for app_label in permissions:  # a new model's permissions exist only after post_migrate
            config = apps.get_app_config(app_label)
            config.models_module = True
            create_permissions(config, apps=apps, verbosity=0)
            config.models_module = None
        if staff := group(apps):
            staff.permissions.add(*matching(apps))

    def revoke(apps, schema_editor):
        if staff := group(apps):
            staff.permissions.remove(*matching(apps))

    return migrations.RunPython(grant, revoke)
