from celery import shared_task
from django.db import connection


@shared_task
def health_check() -> dict:
    """Proves a worker can run tasks and reach the database (used by tests and ops)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (database_ok,) = cursor.fetchone()
    return {"worker": "ok", "database": database_ok == 1}
