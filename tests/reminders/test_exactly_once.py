"""Exactly once: retries on a failing mail server, failures shown to admins, a killed worker,
the stuck-row check, and a fixed number of queries per batch."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from expenses.models import Claim, ClaimEvent
from projects.models import Meeting, RoleOffer
from reminders.models import ReminderSent
from reminders.services import claim_batch, scan_due_reminders
from reminders.tasks import send_reminder
from tests.factories import StaffFactory

from .conftest import NOW
from .factories import ClaimFactory, InvitationFactory, MeetingFactory, ProjectFactory, RoleOfferFactory
from .mailserver import FlakyEmailBackend

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TOMORROW_10AM = datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.reminders.mailserver.FlakyEmailBackend"
    FlakyEmailBackend.attempts = 0
    yield FlakyEmailBackend
    FlakyEmailBackend.failures_left = 0


@pytest.fixture
def invited(contributor):
    return InvitationFactory(
        meeting=MeetingFactory(start=TOMORROW_10AM, papers_sent_on=NOW.date()), contributor=contributor
    )


def test_the_database_refuses_a_second_record_of_the_same_reminder(invited):
    fields = dict(
        kind="meeting_day_before",
        content_type_id=1,
        object_id=invited.meeting.pk,
        subject_key=f"projects.meeting:{invited.meeting.pk}",
        recipient=invited.contributor,
        occasion="2026-12-03T10:00:00+00:00",
    )
    ReminderSent.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderSent.objects.create(**fields)


def test_a_failing_mail_server_is_retried_and_the_reminder_sent_once(scan, invited, flaky_mail):
    flaky_mail.failures_left = 2

    scan()

    assert flaky_mail.attempts == 3
    assert len(mail.outbox) == 1
    reminder = ReminderSent.objects.get()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 3, "")


def test_a_reminder_that_keeps_failing_is_marked_failed_with_the_error_never_dropped(
    scan, invited, flaky_mail
):
    flaky_mail.failures_left = 100

    scan()

    assert mail.outbox == []
    reminder = ReminderSent.objects.get()
    assert reminder.status == "failed"
    assert reminder.attempts == 6  # the first try and five retries
    assert reminder.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    # A later scan does not make a second record or send it behind the admins' backs.
    scan(NOW + timedelta(hours=1))
    assert ReminderSent.objects.count() == 1


def test_admins_see_failed_reminders_and_can_send_them_again(
    scan, invited, flaky_mail, admin_client, django_capture_on_commit_callbacks
):
    flaky_mail.failures_left = 6
    scan()

    page = admin_client.get("/admin/reminders/remindersent/?status__exact=failed").content.decode()
    assert "Failed to send" in page
    assert invited.contributor.display_name in page

    reminder = ReminderSent.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/reminders/remindersent/",
            {"action": "try_again", "_selected_action": [reminder.pk]},
            follow=True,
        )
    assert "1 failed reminder(s) queued to send again." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == "sent"
    assert len(mail.outbox) == 1


def test_a_worker_killed_mid_send_leaves_the_row_which_the_redelivered_task_sends_once(invited):
    # The scan claimed the row, then the worker died before sending: nothing was enqueued here.
    claimed = []
    scan_due_reminders(now=NOW, enqueue=claimed.append)  # on_commit is not run: like a crash
    assert ReminderSent.objects.get().status == "sending"

    # Another scan finds the reminder already claimed and makes no second row.
    again = []
    assert (
        scan_due_reminders(now=NOW + timedelta(minutes=15), enqueue=again.append)["meeting_day_before"]
        == 0
    )
    assert ReminderSent.objects.count() == 1

    # The broker re-delivers the unacknowledged task (acks_late) - twice, even: one email.
    send_reminder.apply(args=[ReminderSent.objects.get().pk])
    send_reminder.apply(args=[ReminderSent.objects.get().pk])
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.get().status == "sent"


def test_the_send_task_acknowledges_late_and_retries_mail_errors():
    assert send_reminder.acks_late is True
    assert send_reminder.reject_on_worker_lost is True
    assert send_reminder.max_retries == 5


def test_a_scan_re_queues_a_row_left_sending_for_over_an_hour(
    scan, invited, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        scan_due_reminders(now=NOW, enqueue=lambda pk: None)  # claimed, never sent
    ReminderSent.objects.update(created_at=datetime(2026, 1, 1, tzinfo=LONDON))

    scan(NOW + timedelta(minutes=15))

    assert len(mail.outbox) == 1
    assert ReminderSent.objects.get().status == "sent"


def test_claiming_the_same_reminders_twice_claims_them_once(invited):
    from reminders.selectors import find_due
    from reminders.services import reminder_settings

    dues = next(find_due("meeting_day_before", settings=reminder_settings(), now=NOW))
    first = claim_batch(dues, enqueue=lambda pk: None)
    second = claim_batch(dues, enqueue=lambda pk: None)

    assert len(first) == 1 and second == []


def _make_candidates(n, project=None):
    project = project or ProjectFactory()
    for _ in range(n):
        InvitationFactory(
            meeting=MeetingFactory(project=project, start=TOMORROW_10AM, papers_sent_on=NOW.date())
        )
        InvitationFactory(
            meeting=MeetingFactory(project=project, start=NOW - timedelta(days=4)), attended=True
        )
        ClaimFactory(project=project, submitted_at=NOW - timedelta(days=10))
        ClaimFactory(project=project, status="approved", approved_at=NOW - timedelta(days=20))
        ClaimFactory(project=project, status="paid", paid_at=NOW - timedelta(hours=1))
        RoleOfferFactory(role__project=project, offered_at=NOW - timedelta(days=15))
        for status in ("queried", "rejected", "approved"):
            claim = ClaimFactory(project=project, status=status, approved_at=NOW - timedelta(hours=2))
            ClaimEvent.objects.create(
                claim=claim, actor=project.lead, from_status="submitted", to_status=status,
                comment="Which day?", created_at=NOW - timedelta(hours=1),
            )


def test_the_scan_uses_a_fixed_number_of_queries_whatever_the_number_of_candidates(
    admin_user, django_assert_max_num_queries
):
    project = ProjectFactory()
    project.team.add(StaffFactory(is_active=False))  # prefetched, but nobody to remind
    _make_candidates(5, project)
    ContentType.objects.get_for_models(Meeting, Claim, ClaimEvent, RoleOffer)  # cached for the process

    # Per kind: find (+1 prefetch), check existing, insert and read back in a savepoint.
    with django_assert_max_num_queries(80), CaptureQueriesContext(connection) as with_5:
        counts = scan_due_reminders(now=NOW, enqueue=lambda pk: None)
    assert counts["meeting_day_before"] == 5

    ReminderSent.objects.all().delete()
    _make_candidates(45, project)
    with django_assert_max_num_queries(80), CaptureQueriesContext(connection) as with_50:
        counts = scan_due_reminders(now=NOW, enqueue=lambda pk: None)

    assert len(with_50) == len(with_5)
    assert counts["meeting_day_before"] == 50
    assert counts["claim_prompt"] == 50
    # (SQLite splits an insert over 999 parameters, about 70 rows: still fixed per batch.)
    assert counts["claim_waiting_review"] == 50
    assert counts["claim_not_paid"] == 50  # the admin is finance
    assert counts["claim_paid"] == 50
    assert counts["offer_unanswered_staff"] == 50
    assert counts["claim_queried"] == counts["claim_rejected"] == counts["claim_approved"] == 50


def test_more_candidates_than_a_batch_take_more_batches_not_more_queries_each(admin_user):
    _make_candidates(7)
    with CaptureQueriesContext(connection) as queries:
        counts = scan_due_reminders(now=NOW, batch_size=3, enqueue=lambda pk: None)
    assert counts["meeting_day_before"] == 7
    # 7 candidates in batches of 3: three batches per kind, each of the same few queries.
    from reminders import registry

    assert len(queries) <= 2 + len(registry.kinds()) * 3 * 5


def test_a_reminder_that_cannot_be_built_is_marked_failed_and_the_others_still_go(scan, invited):
    from reminders.models import ReminderSetting

    other = InvitationFactory(
        meeting=MeetingFactory(start=TOMORROW_10AM + timedelta(days=6), papers_sent_on=NOW.date())
    )
    # Bypassing the admin's check, as a careless shell session might.
    ReminderSetting.objects.filter(kind="meeting_day_before").update(subject="{% if %}")

    scan()

    failed = ReminderSent.objects.get(kind="meeting_day_before")
    assert failed.status == "failed"
    assert failed.last_error.startswith("TemplateSyntaxError")
    assert [m.to for m in mail.outbox] == [[other.contributor.email]]


def test_the_admin_refuses_a_subject_with_a_broken_template_part(admin_client):
    from reminders.models import ReminderSetting

    setting = ReminderSetting.objects.get(kind="claim_paid")
    response = admin_client.post(
        f"/admin/reminders/remindersetting/{setting.pk}/change/",
        {"enabled": "on", "lead_days": "0", "subject": "Paid {% if %}", "intro": "Good news."},
    )

    assert response.status_code == 200
    assert "There is a mistake in a {{ }} or {% %} part" in response.content.decode()
    setting.refresh_from_db()
    assert setting.subject == "Your claim has been paid"
