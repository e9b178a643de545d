"""Outcomes and actions after a meeting: who records them, the rules, the pages, and what a
contributor who attended sees."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Action, Outcome, ProjectEvent
from projects.selectors.outcomes import outcomes_and_actions, project_actions
from projects.services.outcomes import OutcomeError, action_add, action_mark_done, outcome_record

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "other_contributor", "contributor", "outside_staff", "project_staff", "finance", "admin"]
MANAGE = [302, 403, 403, 403, 200, 403, 200]
STAFF_READ = [302, 403, 403, 200, 200, 200, 200]


@pytest.fixture
def held(project, contributor_with_role):
    """A meeting two days ago that Zoë attended."""
    start = timezone.now() - timedelta(days=2)
    meeting = MeetingFactory(
        project=project, title="Discharge letters", start=start, end=start + timedelta(hours=2)
    )
    meeting.invitations.create(contributor=contributor_with_role, attended=True, reply="attending")
    return meeting


@pytest.fixture
def outcome(held, staff):
    return outcome_record(
        actor=staff,
        meeting_id=held.pk,
        said="The letters use words nobody understands.",
        action_what="Rewrite the letter in plain English",
        action_owner=staff,
        action_due_on=timezone.localdate() + timedelta(days=30),
    )


def test_it_records_an_outcome_with_its_first_action_and_the_history(outcome, staff, held):
    action = outcome.actions.get()
    assert (action.what, action.owner, action.status) == (
        "Rewrite the letter in plain English",
        staff,
        "open",
    )
    assert list(ProjectEvent.objects.filter(project=held.project).values_list("action", flat=True)) == [
        "action added",
        "outcome recorded",
    ]


def test_it_records_an_outcome_once_when_saved_twice(outcome, staff, held):
    with pytest.raises(OutcomeError, match="already recorded"):
        outcome_record(actor=staff, meeting_id=held.pk, said="The letters use words nobody understands.")
    assert Outcome.objects.count() == 1


def test_it_needs_what_who_and_when_for_an_action(outcome, staff, contributor_with_role):
    with pytest.raises(OutcomeError, match="Give a date"):
        action_add(actor=staff, outcome_id=outcome.pk, what="Test it with readers", owner=staff, due_on=None)
    with pytest.raises(OutcomeError, match="member of staff"):
        action_add(
            actor=staff,
            outcome_id=outcome.pk,
            what="Test it",
            owner=contributor_with_role,
            due_on=timezone.localdate(),
        )


def test_only_the_projects_staff_record_outcomes_of_a_meeting_that_has_started(
    held, other_staff, staff, project
):
    with pytest.raises(OutcomeError, match="lead and team"):
        outcome_record(actor=other_staff, meeting_id=held.pk, said="Anything")
    upcoming = MeetingFactory(project=project)
    with pytest.raises(OutcomeError, match="once the meeting has started"):
        outcome_record(actor=staff, meeting_id=upcoming.pk, said="Anything")


def test_it_marks_an_action_done_once_with_what_changed(outcome, project_staff):
    action = outcome.actions.get()
    with pytest.raises(OutcomeError, match="Say what changed"):
        action_mark_done(actor=project_staff, action_id=action.pk, what_changed="  ")
    with pytest.raises(OutcomeError, match="future"):
        action_mark_done(
            actor=project_staff,
            action_id=action.pk,
            what_changed="Done",
            done_on=timezone.localdate() + timedelta(days=1),
        )
    action_mark_done(actor=project_staff, action_id=action.pk, what_changed="The new letter went out in May.")
    with pytest.raises(OutcomeError, match="already marked done on .* by Tariq Teammate"):
        action_mark_done(actor=project_staff, action_id=action.pk, what_changed="Again")
    action.refresh_from_db()
    assert (action.status, action.done_by, action.done_on) == ("done", project_staff, timezone.localdate())
    assert action.what_changed == "The new letter went out in May."


def test_the_period_selector_gives_outcomes_with_their_actions(outcome, held, django_assert_num_queries):
    today = timezone.localdate()
    with django_assert_num_queries(2):
        found = outcomes_and_actions(project=held.project, start=today - timedelta(days=7), end=today)
        assert [a.what for o in found for a in o.actions.all()] == ["Rewrite the letter in plain English"]
    assert outcomes_and_actions(project=held.project, start=today + timedelta(days=1), end=None) == []


# --- pages ----------------------------------------------------------------------------------
def _urls(project, held, outcome):
    action = outcome.actions.get()
    return [
        (reverse("projects:outcome_create", kwargs={"pk": held.pk}), MANAGE),
        (reverse("projects:action_create", kwargs={"pk": outcome.pk}), MANAGE),
        (reverse("projects:action_done", kwargs={"pk": action.pk}), MANAGE),
        (reverse("projects:project_outcomes", kwargs={"pk": project.pk}), STAFF_READ),
    ]


@pytest.mark.parametrize("who_index", range(len(WHO)), ids=WHO)
def test_it_gives_each_kind_of_user_the_right_answer(client, cast, project, held, outcome, who_index):
    user = cast[WHO[who_index]]
    if user:
        client.force_login(user)
    for url, expected in _urls(project, held, outcome):
        assert client.get(url).status_code == expected[who_index], (WHO[who_index], url)


def test_the_outcome_form_keeps_what_was_typed_and_saves_once(client, staff, held):
    client.force_login(staff)
    url = reverse("projects:outcome_create", kwargs={"pk": held.pk})
    half = {"said": "Evening meetings suit carers better.", "action_what": "Move to 6pm", "action_owner": ""}
    html = client.post(url, half).content.decode()
    assert "Choose a member of staff to see to it." in html
    assert "Evening meetings suit carers better." in html and "Move to 6pm" in html
    full = {
        **half,
        "action_owner": staff.pk,
        "action_due_on": (timezone.localdate() + timedelta(days=9)).isoformat(),
    }
    assert client.post(url, full).status_code == 302
    html = client.post(url, full).content.decode()  # Back and save again
    assert "This outcome is already recorded for this meeting." in html
    assert Outcome.objects.count() == 1 and Action.objects.count() == 1


def test_marking_done_twice_says_so_and_keeps_the_first(client, staff, outcome, held):
    client.force_login(staff)
    action = outcome.actions.get()
    url = reverse("projects:action_done", kwargs={"pk": action.pk})
    data = {"what_changed": "The letter is rewritten.", "done_on": timezone.localdate().isoformat()}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "what_changed": "Second click"}, follow=True)
    assert "This action was already marked done" in response.content.decode()
    action.refresh_from_db()
    assert action.what_changed == "The letter is rewritten."


def test_the_meeting_page_shows_outcomes_and_buttons_to_the_projects_staff(
    client, staff, other_staff, outcome, held
):
    client.force_login(staff)
    html = client.get(reverse("projects:meeting_detail", kwargs={"pk": held.pk})).content.decode()
    assert "The letters use words nobody understands." in html
    assert "Mark done" in html and "Record an outcome" in html
    client.force_login(other_staff)
    html = client.get(reverse("projects:meeting_detail", kwargs={"pk": held.pk})).content.decode()
    assert "The letters use words nobody understands." in html
    assert "Mark done" not in html and "Record an outcome" not in html


def test_the_project_list_shows_open_overdue_and_done(
    client, staff, outcome, held, django_assert_max_num_queries
):
    late = action_add(
        actor=staff,
        outcome_id=outcome.pk,
        what="Ask the printers",
        owner=staff,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    for n in range(5):
        done = action_add(
            actor=staff, outcome_id=outcome.pk, what=f"Step {n}", owner=staff, due_on=timezone.localdate()
        )
        action_mark_done(actor=staff, action_id=done.pk, what_changed=f"Step {n} done")
    client.force_login(staff)
    url = reverse("projects:project_outcomes", kwargs={"pk": held.project.pk})
    with django_assert_max_num_queries(12):
        response = client.get(url + "?show=overdue")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ask the printers" in html and "(overdue)" in html and "Rewrite the letter" not in html
    assert "Open (2)" in html and "Overdue (1)" in html and "Done (5)" in html
    assert [a.pk for a in project_actions(project=held.project, show="overdue")["actions"]] == [late.pk]
    with django_assert_max_num_queries(12):
        html = client.get(url + "?show=done").content.decode()
    assert "Step 4 done" in html and "Ask the printers" not in html


def test_a_contributor_who_attended_sees_what_came_of_it(client, outcome, held, staff, contributor_with_role):
    action_mark_done(
        actor=staff, action_id=outcome.actions.get().pk, what_changed="The new letter is in use."
    )
    client.force_login(contributor_with_role)
    html = client.get(reverse("projects:detail", kwargs={"pk": held.project.pk})).content.decode()
    assert "You said, we did" in html
    assert "The letters use words nobody understands." in html and "The new letter is in use." in html
    html = client.get(reverse("projects:meeting_detail", kwargs={"pk": held.pk})).content.decode()
    assert "What came of this meeting" in html and "The new letter is in use." in html
    assert "Mark done" not in html and "Tariq" not in html


def test_a_contributor_who_did_not_attend_does_not_see_it(client, outcome, held, project, other_contributor):
    from .factories import give_role

    give_role(contributor=other_contributor, project=project)
    held.invitations.create(contributor=other_contributor, attended=False)
    client.force_login(other_contributor)
    assert (
        "The letters use words"
        not in client.get(reverse("projects:detail", kwargs={"pk": project.pk})).content.decode()
    )
    assert (
        "The letters use words"
        not in client.get(reverse("projects:meeting_detail", kwargs={"pk": held.pk})).content.decode()
    )
