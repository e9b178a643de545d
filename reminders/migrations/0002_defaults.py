from django.db import migrations

from reminders import kinds
from reminders.schedule import SCAN_TASK_NAME, ensure_default_schedule


def create_defaults(apps, schema_editor):
    ReminderSetting = apps.get_model("reminders", "ReminderSetting")
    for kind, (_label, lead_days, _meaning, subject, intro) in kinds.DEFAULTS.items():
        ReminderSetting.objects.get_or_create(
            kind=kind, defaults={"lead_days": lead_days, "subject": subject, "intro": intro}
        )
    ensure_default_schedule(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "IntervalSchedule"),
    )


def remove_defaults(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCAN_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
