"""Calls that make sense: one task per person per day listing everything to tell them, and no
call about something already done (a meeting answered, a claim made, a payment long past)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from expenses.models import Claim
from reminders.models import ReminderSent, StaffTask

from .factories import ClaimFactory, InvitationFactory, MeetingFactory, ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("confirmations_on")]
REACH = "Call Zoë O'Brien (07700 900123)"


@pytest.fixture
def now():
    # A scan a few minutes from now: everything the test makes (invited "now") is due by then.
    return timezone.now() + timedelta(minutes=5)


@pytest.fixture
def project(staff):
    return ProjectFactory(lead=staff, title="Better discharge")


@pytest.fixture
def busy_day(project, by_phone, now):
    """Four things to tell Zoë on one day: a meeting tomorrow, a new invitation, a claim paid
    this morning, and a meeting she came to last week and has not claimed for."""
    tomorrow = MeetingFactory(
        project=project, title="Steering group", start=now + timedelta(hours=20), papers_sent_on=now.date()
    )
    InvitationFactory(
        meeting=tomorrow, contributor=by_phone, reply="attending", invited_at=now - timedelta(days=40)
    )
    later = MeetingFactory(
        project=project, title="Workshop", start=now + timedelta(days=20), papers_sent_on=now.date()
    )
    new_invitation = InvitationFactory(meeting=later, contributor=by_phone)
    past = MeetingFactory(project=project, title="Kick-off", start=now - timedelta(days=6))
    InvitationFactory(meeting=past, contributor=by_phone, attended=True, invited_at=now - timedelta(days=40))
    paid = ClaimFactory(
        project=project, contributor=by_phone, status=Claim.Status.PAID, paid_at=now - timedelta(hours=2)
    )
    return {"tomorrow": tomorrow, "later": later, "invitation": new_invitation, "past": past, "paid": paid}


def test_everything_to_tell_one_person_on_one_day_is_one_task(scan, busy_day, by_phone, staff, now):
    scan(now)

    task = StaffTask.objects.get()
    items = list(task.items.order_by("kind").values_list("kind", flat=True))
    assert items == ["claim_paid", "claim_prompt", "meeting_day_before", "meeting_invited"]
    lines = task.text.splitlines()
    assert lines[0] == f"{REACH} about 4 things:"
    assert sorted(line.split(". ", 1)[1].split(" ")[0] for line in lines[1:]) == ["about", "to", "to", "to"]
    assert f"to tell them their claim of £{busy_day['paid'].total} has been paid." in task.text
    assert "to help them claim for the meeting 'Kick-off'" in task.text
    assert task.assigned_to == staff and task.day == timezone.localdate()
    # Each thing still sent once: a second scan adds nothing.
    scan(now + timedelta(minutes=15))
    assert StaffTask.objects.count() == 1 and ReminderSent.objects.count() == 4


def test_the_dashboard_lists_the_things_on_the_task(client, scan, busy_day, staff, now):
    scan(now)
    client.force_login(staff)

    page = client.get(reverse("staff_dashboard")).content.decode()

    assert f"{REACH} about 4 things:" in page.replace("&#x27;", "'")
    assert page.count("<li>") >= 4
    assert "Out of date" not in page


def test_no_call_to_ask_about_a_meeting_already_answered(scan, project, by_phone, now):
    meeting = MeetingFactory(project=project, start=now + timedelta(days=20))
    InvitationFactory(meeting=meeting, contributor=by_phone, reply="attending")

    scan(now)

    assert StaffTask.objects.count() == 0
    reminder = ReminderSent.objects.get(kind="meeting_invited")
    assert (reminder.status, reminder.last_error) == (
        "skipped", "They have already answered (coming in person)."
    )


def test_no_call_about_a_payment_older_than_a_week(scan, project, by_phone, now):
    ClaimFactory(
        project=project, contributor=by_phone, status=Claim.Status.PAID, paid_at=now - timedelta(days=10)
    )

    scan(now)

    assert StaffTask.objects.count() == 0
    reminder = ReminderSent.objects.get(kind="claim_paid")
    assert reminder.status == "skipped"
    assert "more than a week ago" in reminder.last_error


def test_no_call_about_a_claim_made_between_the_scan_and_the_call(
    scan, project, by_phone, now, django_capture_on_commit_callbacks
):
    past = MeetingFactory(project=project, title="Kick-off", start=now - timedelta(days=6))
    InvitationFactory(meeting=past, contributor=by_phone, attended=True, invited_at=now - timedelta(days=40))
    from reminders.services import deliver_reminder, scan_due_reminders

    queued = []
    with django_capture_on_commit_callbacks(execute=True):
        scan_due_reminders(now=now, enqueue=queued.append)
    ClaimFactory(project=project, contributor=by_phone, meeting=past, status=Claim.Status.SUBMITTED)
    for pk in queued:
        deliver_reminder(reminder_id=pk)

    assert StaffTask.objects.count() == 0
    assert (
        ReminderSent.objects.get(kind="claim_prompt").last_error
        == "They have already claimed for this meeting."
    )


def test_a_task_whose_things_are_all_out_of_date_says_so(client, scan, project, by_phone, staff, now):
    meeting = MeetingFactory(project=project, title="Workshop", start=now + timedelta(days=20))
    invitation = InvitationFactory(meeting=meeting, contributor=by_phone)
    scan(now)
    assert StaffTask.objects.count() == 1
    invitation.reply = "not_attending"  # she rang in before staff got to the task
    invitation.save()
    client.force_login(staff)

    page = client.get(reverse("staff_dashboard")).content.decode()

    assert "Out of date: nothing on this task needs saying any more." in page
    assert "(out of date: They have already answered (not coming).)" in page


def test_a_new_day_or_a_task_already_done_starts_a_new_task(scan, project, by_phone, staff, now):
    from reminders.services import staff_task_done

    first = MeetingFactory(project=project, title="Workshop", start=now + timedelta(days=20))
    InvitationFactory(meeting=first, contributor=by_phone)
    scan(now)
    staff_task_done(task=StaffTask.objects.get(), actor=staff)
    second = MeetingFactory(project=project, title="Review", start=now + timedelta(days=21))
    InvitationFactory(meeting=second, contributor=by_phone)

    scan(now)

    assert StaffTask.objects.count() == 2
    assert StaffTask.objects.get(done_at__isnull=True).text.endswith(
        "invited to 'Review' on "
        f"{timezone.localtime(second.start).day} "
        f"{timezone.localtime(second.start):%B} at "
        f"{timezone.localtime(second.start):%H:%M}, "
        "and ask whether they can come."
    )


def test_the_database_allows_one_open_task_per_person_and_day(scan, project, by_phone, staff, now):
    meeting = MeetingFactory(project=project, start=now + timedelta(days=20))
    InvitationFactory(meeting=meeting, contributor=by_phone)
    scan(now)
    task = StaffTask.objects.get()
    other = ReminderSent.objects.create(
        kind="meeting_invited",
        content_type=task.reminder.content_type,
        object_id=meeting.pk,
        subject_key=f"projects.meeting:{meeting.pk}",
        recipient=by_phone,
        occasion="again",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffTask.objects.create(
            reminder=other, assigned_to=staff, contributor=by_phone, day=task.day, text="x"
        )


def test_one_letter_carries_everything_for_someone_who_asked_for_post(
    client, scan, project, by_phone, staff, now
):
    by_phone.profile.contact_method = "post"
    by_phone.profile.address = "12 Mill Lane\nLeeds"
    by_phone.profile.save()
    for title, days in (("Workshop", 20), ("Review", 21)):
        InvitationFactory(
            meeting=MeetingFactory(project=project, title=title, start=now + timedelta(days=days)),
            contributor=by_phone,
        )
    scan(now)
    task = StaffTask.objects.get()
    client.force_login(staff)

    page = client.get(reverse("reminders:task_letter", args=[task.pk])).content.decode()

    assert "You are invited: Workshop" in page and "You are invited: Review" in page
    assert page.count("Hello Zoë,") == 1


def test_the_dashboard_takes_a_fixed_number_of_queries_for_bundled_tasks(
    client, scan, project, staff, now, django_assert_max_num_queries
):
    from tests.contributors.factories import ContributorFactory

    for n in range(4):
        person = ContributorFactory(name=f"Person {n}")
        person.profile.contact_method, person.profile.phone = "phone", "07700 900123"
        person.profile.save()
        for days in (20, 21):
            InvitationFactory(
                meeting=MeetingFactory(project=project, start=now + timedelta(days=days)), contributor=person
            )
    scan(now)
    assert StaffTask.objects.count() == 4
    from reminders.selectors import open_staff_tasks_for, with_items

    # Tasks, their items, the meetings they are about and their invitations: however many.
    with django_assert_max_num_queries(4):
        tasks = with_items(open_staff_tasks_for(staff))
    assert [len(task.bundle) for task in tasks] == [2, 2, 2, 2]


def test_a_call_found_pointless_is_not_listed_as_a_message_to_them(client, scan, project, by_phone, now):
    meeting = MeetingFactory(project=project, title="Workshop", start=now + timedelta(days=20))
    InvitationFactory(meeting=meeting, contributor=by_phone, reply="attending")
    scan(now)
    client.force_login(by_phone)

    page = client.get(reverse("reminders:mine")).content.decode()

    assert "We have not sent you any reminders yet." in page


def test_erasing_the_person_rewrites_every_line_of_their_task_without_them(
    scan, project, by_phone, admin_user, now
):
    from contributors.services import person_anonymise

    for title, days in (("Workshop", 20), ("Review", 21)):
        InvitationFactory(
            meeting=MeetingFactory(project=project, title=title, start=now + timedelta(days=days)),
            contributor=by_phone,
        )
    scan(now)

    person_anonymise(user=by_phone, actor=admin_user)

    task = StaffTask.objects.get()
    assert task.done_at is not None  # nobody should call them any more
    assert "Zoë" not in task.text and "07700 900123" not in task.text
    assert "about 2 things:" in task.text
    for item in task.items.all():
        assert "Zoë" not in item.message_subject and "07700" not in item.message_subject
