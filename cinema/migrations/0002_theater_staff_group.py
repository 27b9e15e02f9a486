"""The "Theater staff" group: what the theater's administrators may do in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Theater staff"
PERMISSIONS = {
    "movies": {"movie": ["add", "change", "delete", "view"]},
    "theaters": {
        "room": ["add", "change", "delete", "view"],
        "seat": ["view"],
        "showtime": ["add", "change", "delete", "view"],
    },
    "bookings": {"booking": ["change", "view"], "ticket": ["view"]},
    "accounts": {"user": ["view"]},
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    codenames = [
        (app, f"{action}_{model}")
        for app, models in PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    for app, codename in codenames:
        group.permissions.add(Permission.objects.get(content_type__app_label=app, codename=codename))


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=STAFF_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cinema", "0001_cache_table"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_initial"),
        ("movies", "0001_initial"),
        ("theaters", "0001_initial"),
        ("bookings", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
