"""The project lead sees new expressions of interest and applications on their dashboard, and
gets one email a day summarising them, each item in exactly one summary."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from projects.models import Application, ExpressionOfInterest
from projects.services.roles import interest_express
from reminders.models import ReminderSent
from reminders.services import scan_due_reminders

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + timedelta(days=1)


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def applied(role, name, when):
    return Application.objects.create(
        role=role, name=name, contact_method="phone", phone="07700 900456", statement="I use the clinic.",
        created_at=when,
    )


def interested(role, person, when):
    interest = interest_express(role=role, actor=person, statement="I would like to help.")
    ExpressionOfInterest.objects.filter(pk=interest.pk).update(created_at=when)
    return interest


def scan(now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return scan_due_reminders(now=now, only=["new_responses_daily"])


def test_the_lead_sees_new_responses_on_the_dashboard_with_links(
    client, staff, other_staff, role, contributor, django_assert_max_num_queries
):
    interested(role, contributor, timezone.now())
    applied(role, "Bob Bryant", timezone.now())
    done = applied(role, "Cara Done", timezone.now() - timedelta(days=1))
    Application.objects.filter(pk=done.pk).update(status=Application.Status.SHORTLISTED)

    client.force_login(staff)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("staff_dashboard")).content.decode()
    assert "New interest and applications" in page
    assert "Zoë O&#x27;Brien: expression of interest" in page and "Bob Bryant: application" in page
    assert "Cara Done" not in page  # already acted on
    assert reverse("projects:role_interests", args=[role.pk]) + "#applications" in page

    client.force_login(other_staff)  # not leading the project
    assert "Bob Bryant" not in client.get(reverse("staff_dashboard")).content.decode()


def test_one_email_a_day_lists_each_new_item_once(
    staff, role, contributor, other_contributor, django_capture_on_commit_callbacks
):
    yesterday = TODAY - timedelta(days=1)
    interested(role, contributor, at(yesterday, 10))
    applied(role, "Bob Bryant", at(yesterday, 15))
    applied(role, "Old News", at(TODAY - timedelta(days=30), 9))  # history is not news

    # Early today: yesterday's summary, one email to the lead with both items.
    assert scan(at(TODAY, 7), django_capture_on_commit_callbacks)["new_responses_daily"] == 1
    (email,) = mail.outbox
    assert email.to == [staff.email]
    assert email.subject == f"New interest in {role.project.title} on {yesterday:%-d %B}"
    assert "Expression of interest: Zoë O'Brien" in email.body and "Application: Bob Bryant" in email.body
    assert "Old News" not in "".join(m.body for m in mail.outbox)
    assert "/staff/" in email.body

    # More scans today and new items today: nothing more until tomorrow.
    applied(role, "Dee Today", at(TODAY, 8))
    assert scan(at(TODAY, 18), django_capture_on_commit_callbacks)["new_responses_daily"] == 0
    assert len(mail.outbox) == 1

    # Tomorrow: only today's item, once.
    assert scan(at(TOMORROW, 7), django_capture_on_commit_callbacks)["new_responses_daily"] == 1
    assert scan(at(TOMORROW, 9), django_capture_on_commit_callbacks)["new_responses_daily"] == 0
    assert len(mail.outbox) == 2
    assert "Dee Today" in mail.outbox[1].body
    assert "Bob Bryant" not in mail.outbox[1].body and "Zoë" not in mail.outbox[1].body
    assert ReminderSent.objects.filter(kind="new_responses_daily", status="sent").count() == 2


def test_a_quiet_day_sends_nothing_and_a_day_without_scans_is_caught_up(
    staff, role, django_capture_on_commit_callbacks
):
    assert scan(at(TODAY, 7), django_capture_on_commit_callbacks)["new_responses_daily"] == 0
    applied(role, "Bob Bryant", at(TODAY, 9))
    applied(role, "Cy Later", at(TOMORROW, 9))
    assert scan(at(TODAY, 18), django_capture_on_commit_callbacks)["new_responses_daily"] == 0
    # No scan ran tomorrow: the day after, today's summary and then tomorrow's, each once.
    day_after = TOMORROW + timedelta(days=1)
    assert scan(at(day_after, 7), django_capture_on_commit_callbacks)["new_responses_daily"] == 1
    assert scan(at(day_after, 7), django_capture_on_commit_callbacks)["new_responses_daily"] == 1
    assert scan(at(day_after, 8), django_capture_on_commit_callbacks)["new_responses_daily"] == 0
    assert ["Bob Bryant" in m.body and "Cy Later" not in m.body for m in mail.outbox] == [True, False]
    assert "Cy Later" in mail.outbox[1].body
