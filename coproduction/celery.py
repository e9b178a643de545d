import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduction.settings")

app = Celery("coproduction")
# Every CELERY_* setting configures Celery; with no broker, tasks run eagerly in-process.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
