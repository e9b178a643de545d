"""allauth's address records follow each login (User.email): one main, confirmed address per
account. Addresses added under the old rules, which anyone could add unconfirmed, are removed."""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("contributors", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    logins = {
        pk: email.strip().lower()
        for pk, email in User.objects.filter(anonymised_at__isnull=True).values_list("pk", "email")
    }
    # First remove every record that is not its owner's login, so no stale confirmed copy of an
    # address clashes with its owner's record below.
    for address in EmailAddress.objects.all().iterator():
        if logins.get(address.user_id) != address.email.strip().lower():
            address.delete()
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.filter(user_id__in=have).update(primary=True, verified=True)
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email, primary=True, verified=True)
            for pk, email in logins.items()
            if pk not in have
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contributors", "0002_monitoring_erasure_anonymised"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
