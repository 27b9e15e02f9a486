"""Store every email as the login now compares it (NFKC, casefold, ASCII look-alikes).

Two accounts whose emails become one are not merged: the migration stops and
names them, for staff to merge or rename by hand before migrating again.
"""

from collections import defaultdict

from django.core.management.base import CommandError
from django.db import migrations


def normalize_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    # The historical manager is UserManager itself (use_in_migrations), so this is
    # the very normalization that sign-up and log-in apply.
    normalize = User.objects.normalize_email
    accounts = defaultdict(list)
    for pk, email in User.objects.order_by("pk").values_list("pk", "email"):
        accounts[normalize(email)].append((pk, email))
    clashes = {normalized: rows for normalized, rows in accounts.items() if len(rows) > 1}
    if clashes:
        lines = [
            f"  {normalized}: " + ", ".join(f"id {pk} ({email!r})" for pk, email in rows)
            for normalized, rows in sorted(clashes.items())
        ]
        raise CommandError(
            "Cannot normalize account emails: these accounts would share one email. "
            "Merge or rename them, then migrate again.\n" + "\n".join(lines)
        )
    max_length = User._meta.get_field("email").max_length
    too_long = [rows[0] for normalized, rows in accounts.items() if len(normalized) > max_length]
    if too_long:
        raise CommandError(
            f"Cannot normalize account emails: these would grow past {max_length} characters. "
            "Change them, then migrate again.\n"
            + "\n".join(f"  id {pk} ({email!r})" for pk, email in too_long)
        )
    for normalized, [(pk, email)] in accounts.items():
        if email != normalized:
            User.objects.filter(pk=pk).update(email=normalized)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(normalize_emails, migrations.RunPython.noop),
    ]
