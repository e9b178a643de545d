from celery import shared_task

from projects.services.series import EXTEND_TASK, series_extend_all


@shared_task(name=EXTEND_TASK)
def extend_meeting_series() -> str:
    """Run weekly by Celery beat ("Make the next meetings of each series", made by a migration)."""
    made, skipped = series_extend_all()
    return f"made {made} meeting(s); " + ("; ".join(skipped) or "none skipped")
