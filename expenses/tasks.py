"""Celery tasks for expenses."""

from celery import shared_task

from . import retention


@shared_task(name=retention.TASK)
def remove_expired_receipts() -> str:
    """Run nightly by Celery beat ("Remove expired receipt files", made by a migration)."""
    return str(retention.receipts_remove_expired())
