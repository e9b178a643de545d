"""Receipt files are kept for the retention period the README states, then removed by a nightly
job that keeps the receipt record and says what it did."""

import json
import logging
import os
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.dates import tax_year_start
from expenses import retention, services
from expenses.models import Claim, Receipt
from expenses.tasks import remove_expired_receipts
from tests.expenses.factories import line, make_claim
from tests.factories import AdminFactory
from tests.projects.factories import ProjectFactory, give_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "paid_on, kept_until",
    [
        (date(2019, 4, 5), date(2025, 4, 5)),  # the last day of the 2018-19 tax year
        (date(2019, 4, 6), date(2026, 4, 5)),  # the first day of 2019-20
        (date(2020, 1, 31), date(2026, 4, 5)),
    ],
)
def test_files_are_kept_6_years_after_the_end_of_the_tax_year_the_claim_was_paid_in(paid_on, kept_until):
    assert retention.kept_until(paid_on) == kept_until
    assert retention.closed_before(kept_until) <= paid_on  # still kept on its last day
    assert retention.closed_before(kept_until + timedelta(days=1)) > paid_on


def test_the_number_of_years_is_a_setting(settings):
    settings.RECEIPT_RETENTION_YEARS = 10
    assert retention.kept_until(date(2019, 4, 6)) == date(2030, 4, 5)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12))


@pytest.fixture
def claims(contributor, django_capture_on_commit_callbacks):
    """Claims in every state, old and recent, each with a receipt file on disk."""
    project = ProjectFactory()
    give_role(contributor=contributor, project=project)
    finance = AdminFactory()
    long_ago, recently = _at(date(2018, 6, 1)), _at(timezone.localdate() - timedelta(days=30))

    def claim(status: str, when: datetime) -> Claim:
        taxi = line("taxi", description=f"Taxi ({status}, {when:%Y-%m-%d})")
        made = make_claim(contributor, project, [taxi], submit=status != "draft")
        if status in ("paid", "rejected"):
            if status == "paid":
                services.claim_approve(claim_id=made.pk, actor=project.lead)
                batch = services.batch_create(actor=finance, claim_ids=[made.pk])
                services.batch_mark_paid(
                    batch_id=batch.pk, actor=finance, reference="BACS", paid_on=timezone.localdate()
                )
            else:
                services.claim_reject(claim_id=made.pk, actor=project.lead, reason="No ticket")
        Claim.objects.filter(pk=made.pk).update(updated_at=when, paid_at=when if status == "paid" else None)
        return made

    return {
        "old paid": claim("paid", long_ago),
        "old rejected": claim("rejected", long_ago),
        "old draft": claim("draft", long_ago),
        "old but still waiting": claim("submitted", long_ago),
        "recently paid": claim("paid", recently),
    }


def _file_of(claim: Claim) -> str:
    return Receipt.objects.get(claim=claim).file.path


@pytest.fixture
def run_job(django_capture_on_commit_callbacks):
    """The job as beat runs it: files go once the transaction commits."""

    def run(**options):
        return capture(retention.receipts_remove_expired, **options)

    def capture(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    run.capture = capture
    return run


def test_the_job_removes_only_expired_files_and_keeps_the_records(claims, run_job):
    paths = {name: _file_of(claim) for name, claim in claims.items()}
    totals = Claim.objects.aggregate(s=Sum("total"))["s"]

    report = run_job()

    removed = {"old paid", "old rejected", "old draft"}
    assert report.receipts == 3 and len(report.claims) == 3
    for name, path in paths.items():
        receipt = Receipt.objects.get(claim=claims[name])
        if name in removed:
            assert not os.path.exists(path) and not receipt.file
            assert receipt.file_removed_at is not None
            note = receipt.file_removed_note
            assert note.startswith(f"Removed on {timezone.localdate():%-d %B %Y}: receipts")
            assert "are kept until 5 April 2025, 6 years after the end of the tax year" in note
            assert receipt.original_name and receipt.size  # the record of what was given stays
            latest = receipt.history.first()
            assert latest.history_change_reason == "File removed under the receipt retention rule"
        else:
            assert os.path.exists(path) and receipt.file
    assert Claim.objects.aggregate(s=Sum("total"))["s"] == totals
    assert run_job().receipts == 0  # nothing twice


def test_a_dry_run_says_what_would_go_and_removes_nothing(claims):
    out = StringIO()
    call_command("remove_expired_receipts", "--dry-run", stdout=out)
    before = date(tax_year_start(timezone.localdate()).year - 6, 4, 6)
    assert out.getvalue().strip() == (
        "Would remove 3 receipt file(s) (0.0 MB) from 3 claim(s) paid or closed before "
        f"{before:%-d %B %Y} (6-year retention); the receipt records stay, marked as removed."
    )
    assert Receipt.objects.exclude(file="").count() == 5


def test_the_command_and_the_nightly_task_say_what_they_did(claims, caplog, run_job):
    out = StringIO()
    with caplog.at_level(logging.INFO, logger="expenses.retention"):
        run_job.capture(call_command, "remove_expired_receipts", stdout=out)
    assert out.getvalue().startswith("Removed 3 receipt file(s) (0.0 MB) from 3 claim(s) paid or closed")
    assert "Receipt retention: Removed 3 receipt file(s)" in caplog.text
    assert run_job.capture(remove_expired_receipts.delay).get().startswith("Removed 0 receipt file(s)")


def test_beat_runs_it_every_night_from_a_migration():
    task = PeriodicTask.objects.get(name="Remove expired receipt files")
    assert task.task == "expenses.remove_expired_receipts" and task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("3", "30")


def test_the_claim_and_the_download_say_the_file_was_removed(claims, client, contributor, run_job):
    run_job()
    client.force_login(contributor)
    old = claims["old paid"]
    page = client.get(reverse("expenses:claim_detail", args=[old.pk])).content.decode()
    assert "(file removed on" in page
    receipt = Receipt.objects.get(claim=old)
    response = client.get(reverse("expenses:receipt", args=[receipt.pk]))
    assert response.status_code == 410
    assert receipt.file_removed_note in response.content.decode()
    data = json.loads(client.get(reverse("contributors:my_data")).content)
    [claim] = [c for c in data["claims"] if c["record"] == f"expenses.claim:{old.pk}"]
    [item] = claim["receipts"]
    assert item["download"] is None and item["file_removed"]
    assert item["why_removed"] == receipt.file_removed_note


def test_a_retention_of_less_than_a_year_stops_start_up():
    from tests.test_settings import run_manage

    result = run_manage("check", RECEIPT_RETENTION_YEARS="0")
    assert result.returncode != 0 and "RECEIPT_RETENTION_YEARS must be at least 1." in result.stderr
