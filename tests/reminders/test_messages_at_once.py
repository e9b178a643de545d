"""Two requests or workers at the same moment, on PostgreSQL: the same message form sent twice
at once makes one message and one copy each; two reminders for one person delivered at once by
two workers land on one staff task."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from projects.models import RoleOffer
from reminders.models import GroupMessage, ReminderSent, StaffTask
from reminders.services import deliver_reminder, group_message_send, scan_due_reminders
from tests.contributors.factories import ContributorFactory
from tests.projects.factories import ProjectFactory

from .factories import InvitationFactory, MeetingFactory, RoleFactory, RoleOfferFactory


def _together(*targets):
    start = threading.Barrier(len(targets))
    results, errors = [None] * len(targets), []

    def run(i, target):
        try:
            start.wait()
            results[i] = target()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_the_same_moment_sends_once(require_postgres, staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    project = ProjectFactory(lead=staff)
    role = RoleFactory(project=project)
    for _ in range(5):
        RoleOfferFactory(role=role, contributor=ContributorFactory(), status=RoleOffer.Status.ACCEPTED)
    token = uuid.uuid4()

    def send():
        return group_message_send(
            actor=staff,
            project=project,
            audience="role_holders",
            subject="Hello",
            body="News.",
            form_token=token,
            enqueue=lambda pk: deliver_reminder(reminder_id=pk),
        )

    results = _together(send, send)

    assert sorted(created for _message, created in results) == [False, True]
    assert GroupMessage.objects.count() == 1
    assert ReminderSent.objects.filter(kind="group_message").count() == 5
    assert len(mail.outbox) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_to_one_person_at_once_make_one_task(require_postgres, staff, by_phone):
    from reminders.models import ReminderSetting

    ReminderSetting.objects.filter(kind="meeting_invited").update(enabled=True)
    project = ProjectFactory(lead=staff)
    for days in (20, 21, 22):
        meeting = MeetingFactory(project=project, start=timezone.now() + timedelta(days=days))
        InvitationFactory(
            meeting=meeting, contributor=by_phone, invited_at=timezone.now() - timedelta(hours=1)
        )
    queued = []
    scan_due_reminders(enqueue=queued.append)
    assert len(queued) == 3

    _together(*[lambda pk=pk: deliver_reminder(reminder_id=pk) for pk in queued])

    task = StaffTask.objects.get()
    assert task.items.count() == 3
    assert task.text.startswith("Call Zoë O'Brien (07700 900123) about 3 things:")
