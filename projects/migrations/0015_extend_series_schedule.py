from django.db import migrations

from projects.services.series import EXTEND_TASK_NAME, ensure_extend_schedule


def create_schedule(apps, schema_editor):
    ensure_extend_schedule(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=EXTEND_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0014_merge_series_and_outcomes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
