"""Celery tasks for expenses."""

from celery import shared_task

from . import retention


@shared_task(name=retention.TASK)
def remove_expired_receipts() -> str:
    """Run nightly by Celery beat ("Remove expired receipt files", made by a migration)."""
    return str(retention.receipts_remove_expired())


@shared_task(name="expenses.send_remittances")
def send_remittances(batch_id: int) -> int:
    """After a batch is marked paid: one remittance email per payee (expenses/payments.py)."""
    from .payments import remittances_send

    return remittances_send(batch_id=batch_id)
