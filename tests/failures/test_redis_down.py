"""Redis goes down: pages, sending and approving claims keep working; reminders due meanwhile
are caught up when it comes back, each sent exactly once. Uses its own redis-server."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from expenses.models import Claim
from reminders import services as reminder_services
from reminders import tasks as reminder_tasks
from reminders.models import ReminderSent
from tests.expenses.factories import give_role
from tests.expenses.test_views import claim_post, fare
from tests.factories import ContributorFactory, StaffFactory
from tests.projects.factories import ProjectFactory
from tests.reminders.factories import InvitationFactory, MeetingFactory

from .conftest import forget_connections


def _wait_for(condition, seconds=40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_claims_still_go_through_and_reminders_are_caught_up_once(
    celery_on_own_redis, own_redis, client, caplog
):
    lead = StaffFactory(name="Lena Lead")
    member = ContributorFactory(name="Zoë O'Brien")
    project = ProjectFactory(title="Kidney letters", lead=lead)
    give_role(contributor=member, project=project)
    # Two contributors with a meeting tomorrow: a "day before" reminder and the confirmation of
    # the invitation are due for each.
    meeting_project = ProjectFactory(lead=lead)
    start = timezone.localtime() + timedelta(days=1)
    for name in ("Ann Early", "Bob Early"):
        InvitationFactory(
            meeting=MeetingFactory(project=meeting_project, start=start, papers_sent_on=timezone.localdate()),
            contributor=ContributorFactory(name=name),
        )

    own_redis.stop()

    # Pages and the whole claim journey work with Redis down.
    client.force_login(member)
    assert client.get(reverse("contributor_dashboard")).status_code == 200
    assert client.get(reverse("expenses:claim_create")).status_code == 200
    response = client.post(reverse("expenses:claim_create"), claim_post(project, [fare()]), follow=True)
    assert response.status_code == 200
    claim = Claim.objects.get()
    assert claim.status == Claim.Status.SUBMITTED
    client.force_login(lead)
    assert client.get(reverse("staff_dashboard")).status_code == 200
    assert client.get(reverse("expenses:review_queue")).status_code == 200
    response = client.post(
        reverse("expenses:claim_approve", args=[claim.pk]), {"comment": ""}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED

    # A scan that runs while Redis is down (a worker that had just picked it up) cannot queue
    # the sends: it says so in the log and gives the claims back, and nothing is sent.
    reminder_services.scan_due_reminders()
    assert "Could not queue reminder" in caplog.text
    assert mail.outbox == []
    assert not ReminderSent.objects.filter(kind="meeting_day_before").exists()

    # Redis is back: beat's next scan, run by a real worker, catches up, once each.
    own_redis.start()
    forget_connections(celery_on_own_redis)
    with start_worker(celery_on_own_redis, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        reminder_tasks.scan_due_reminders.delay()
        # Two contributors' day-before reminders and invitations, and Zoë's "your claim is approved".
        assert _wait_for(lambda: len(mail.outbox) >= 5), f"{len(mail.outbox)} emails arrived"
        reminder_tasks.scan_due_reminders.delay()  # the next beat: nothing new
        time.sleep(3)

    sent = Counter((tuple(m.to), m.subject) for m in mail.outbox)
    assert len(sent) == 5 and set(sent.values()) == {1}, sent
    assert sent[((member.email,), "Your claim for Kidney letters is approved")] == 1
    day_before = ReminderSent.objects.filter(kind="meeting_day_before")
    assert day_before.count() == 2
    assert set(day_before.values_list("status", flat=True)) == {"sent"}
