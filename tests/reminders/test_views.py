"""The 'messages sent to me' page and the staff task 'done' action, for every kind of user."""

import pytest
from django.urls import reverse

from reminders.models import ReminderSent, StaffTask
from tests.factories import StaffFactory

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(staff):
    return MeetingFactory(project__lead=staff)


def reminder_for(user, meeting, subject="Tomorrow: Steering group at 10:00", **fields):
    from django.contrib.contenttypes.models import ContentType

    return ReminderSent.objects.create(
        kind="meeting_day_before",
        content_type=ContentType.objects.get_for_model(meeting),
        object_id=meeting.pk,
        subject_key=f"projects.meeting:{meeting.pk}",
        recipient=user,
        occasion=meeting.start.isoformat(),
        status="sent",
        message_subject=subject,
        **fields,
    )


@pytest.fixture
def task(meeting, contributor):
    reminder = reminder_for(contributor, meeting, subject="Call Zoë", channel="staff_task")
    return StaffTask.objects.create(
        reminder=reminder,
        assigned_to=meeting.organiser,
        contributor=contributor,
        text="Call Zoë O'Brien (07700 900123) about Thursday's meeting, 'Steering group', 10:00.",
    )


# --- reminders:mine -----------------------------------------------------------------------
def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(reverse("reminders:mine"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_owner_sees_their_reminders_and_nobody_elses(client, contributor, other_contributor, meeting):
    reminder_for(contributor, meeting)
    reminder_for(other_contributor, meeting, subject="Priya's reminder")
    client.force_login(contributor)

    page = client.get(reverse("reminders:mine")).content.decode()

    assert "<h1>Messages sent to me</h1>" in page
    assert "Tomorrow: Steering group at 10:00" in page
    assert "Sent" in page
    assert "Priya&#x27;s reminder" not in page


def test_another_contributor_sees_an_empty_list(client, other_contributor, contributor, meeting):
    reminder_for(contributor, meeting)
    client.force_login(other_contributor)

    page = client.get(reverse("reminders:mine")).content.decode()

    assert "We have not sent you any reminders yet." in page
    assert "Steering group" not in page


@pytest.mark.parametrize("who", ["staff", "admin_user"])
def test_staff_and_admins_see_their_own_reminders_only(client, request, who, contributor, meeting):
    user = request.getfixturevalue(who)
    reminder_for(contributor, meeting)
    reminder_for(user, meeting, subject="Papers not sent yet for Steering group")
    client.force_login(user)

    page = client.get(reverse("reminders:mine")).content.decode()

    assert "Papers not sent yet for Steering group" in page
    assert "Tomorrow: Steering group" not in page


def test_the_nav_links_to_the_page(client, contributor):
    client.force_login(contributor)
    page = client.get(reverse("contributor_dashboard")).content.decode()
    assert f'href="{reverse("reminders:mine")}">Messages sent to me' in page


# --- staff task done -----------------------------------------------------------------------
def done(client, task):
    return client.post(reverse("reminders:task_done", args=[task.pk]), follow=False)


def test_anonymous_people_cannot_mark_a_task_done(client, task):
    assert done(client, task).status_code == 302
    task.refresh_from_db()
    assert task.done_at is None


@pytest.mark.parametrize("who", ["contributor", "other_contributor"])
def test_contributors_cannot_mark_a_task_done(client, request, who, task):
    client.force_login(request.getfixturevalue(who))
    assert done(client, task).status_code == 403
    task.refresh_from_db()
    assert task.done_at is None


def test_staff_it_is_not_assigned_to_get_not_found(client, task, other_staff):
    client.force_login(other_staff)
    assert done(client, task).status_code == 404


def test_the_assigned_staff_member_marks_it_done_and_it_leaves_their_dashboard(client, task, staff):
    client.force_login(staff)
    assert "Call Zoë O&#x27;Brien" in client.get(reverse("staff_dashboard")).content.decode()

    response = client.post(reverse("reminders:task_done", args=[task.pk]), follow=True)

    page = response.content.decode()
    assert "Marked as done: Call Zoë O&#x27;Brien" in page
    assert "No calls or letters to do." in page
    task.refresh_from_db()
    assert task.done_by == staff and task.done_at is not None


def test_an_admin_can_mark_anyones_task_done(client, task, admin_user):
    client.force_login(admin_user)
    assert done(client, task).status_code == 302
    task.refresh_from_db()
    assert task.done_by == admin_user


def test_marking_a_task_done_twice_says_so(client, task, staff):
    client.force_login(staff)
    done(client, task)
    response = client.post(reverse("reminders:task_done", args=[task.pk]), follow=True)
    assert "This task was already marked done on" in response.content.decode()


def test_the_done_action_only_accepts_post(client, task, staff):
    client.force_login(staff)
    assert client.get(reverse("reminders:task_done", args=[task.pk])).status_code == 405


def test_the_dashboard_uses_a_fixed_number_of_queries_for_tasks(
    client, staff, meeting, django_assert_max_num_queries
):
    from tests.factories import ContributorFactory

    for _ in range(5):
        person = ContributorFactory()
        StaffTask.objects.create(
            reminder=reminder_for(person, meeting),
            assigned_to=staff,
            contributor=person,
            text="Call someone.",
        )
    StaffFactory()
    from reminders.selectors import open_staff_tasks_for

    with django_assert_max_num_queries(1):
        assert len(list(open_staff_tasks_for(staff))) == 5
