from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def create_missing_settings(sender, using="default", apps=global_apps, **kwargs):
    """After every migrate, a settings row for each kind of reminder (as contenttypes and
    permissions are made): the migrations keep only the defaults they were written with."""
    try:
        setting_model = apps.get_model("reminders", "ReminderSetting")
    except LookupError:  # migrated only part of the way
        return
    from .services import create_missing_settings

    create_missing_settings(setting_model, using=using)


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"

    def ready(self):
        # Erasing a person reaches this app's copies of them (see contributors/erasure.py).
        from contributors.erasure import register

        from . import kinds
        from .erasure import erase_person

        kinds.load()
        register(self.name, erase_person)
        post_migrate.connect(create_missing_settings, sender=self)
