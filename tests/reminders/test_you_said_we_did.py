""" "You said, we did": when an action from a meeting is done, everyone who attended hears what
changed, in their channel, once per action and person."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from projects.services.outcomes import action_add, action_mark_done, outcome_record
from reminders.models import ReminderSent, StaffTask
from tests.factories import ContributorFactory

from .factories import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(contributor, by_phone):
    start = timezone.now() - timedelta(days=3)
    meeting = MeetingFactory(title="Discharge letters", start=start, end=start + timedelta(hours=2))
    InvitationFactory(
        meeting=meeting,
        contributor=ContributorFactory(name="Ann Attended", email="ann@example.org"),
        attended=True,
    )
    InvitationFactory(meeting=meeting, contributor=by_phone, attended=True)  # Zoë asked to be phoned
    InvitationFactory(meeting=meeting, contributor=ContributorFactory(name="Abe Absent"), attended=False)
    InvitationFactory(meeting=meeting, contributor=ContributorFactory(name="Una Unrecorded"))
    return meeting


@pytest.fixture
def outcome(held):
    lead = held.project.lead
    return outcome_record(
        actor=lead,
        meeting_id=held.pk,
        said="The discharge letter uses words nobody understands.",
        action_what="Rewrite the letter in plain English",
        action_owner=lead,
        action_due_on=timezone.localdate(),
    )


def test_everyone_who_attended_hears_once_when_an_action_is_done(scan, held, outcome):
    lead = held.project.lead
    assert scan(now=timezone.now(), only=["you_said_we_did"])["you_said_we_did"] == 0  # nothing done yet
    action_mark_done(
        actor=lead, action_id=outcome.actions.get().pk, what_changed="The new letter is used from 1 December."
    )

    first = scan(now=timezone.now(), only=["you_said_we_did"])
    again = scan(now=timezone.now(), only=["you_said_we_did"])

    assert first["you_said_we_did"] == 2 and again["you_said_we_did"] == 0
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "You said, we did: Discharge letters"
    assert "You said: The discharge letter uses words nobody understands." in message.body
    assert (
        "We did: Rewrite the letter in plain English\nThe new letter is used from 1 December." in message.body
    )
    assert (
        f"this meeting on its page: https://coproduction.example.org/projects/meetings/{held.pk}/"
        in message.body
    )
    task = StaffTask.objects.get()
    assert task.assigned_to == lead
    assert task.text.startswith(
        "Call Zoë O'Brien (07700 900123) to tell them what came of 'Discharge letters'"
    )
    assert "The new letter is used from 1 December." in task.text
    assert set(ReminderSent.objects.values_list("recipient__name", flat=True)) == {
        "Ann Attended",
        "Zoë O'Brien",
    }


def test_each_action_done_is_its_own_message(scan, held, outcome, by_phone):
    lead = held.project.lead
    second = action_add(
        actor=lead,
        outcome_id=outcome.pk,
        what="Test it with readers",
        owner=lead,
        due_on=timezone.localdate(),
    )
    for action, changed in ((outcome.actions.first(), "Rewritten."), (second, "Six readers tested it.")):
        action_mark_done(actor=lead, action_id=action.pk, what_changed=changed)
        scan(now=timezone.now(), only=["you_said_we_did"])
    assert len(mail.outbox) == 2
    # Zoë is phoned: both are on the day's one call (one task per person per day).
    assert ReminderSent.objects.filter(kind="you_said_we_did", recipient=by_phone).count() == 2
    task = StaffTask.objects.get()
    assert "Rewritten." in task.text and "Six readers tested it." in task.text


def test_an_action_done_long_ago_is_history_not_news(scan, held, outcome):
    action_mark_done(actor=held.project.lead, action_id=outcome.actions.get().pk, what_changed="Rewritten.")
    assert scan(now=timezone.now() + timedelta(days=40), only=["you_said_we_did"])["you_said_we_did"] == 0
