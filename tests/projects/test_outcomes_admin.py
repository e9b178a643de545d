"""The admin records outcomes and actions through the same services as the site."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Action, Outcome, ProjectEvent

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(project):
    start = timezone.now() - timedelta(days=1)
    return MeetingFactory(
        project=project, title="Discharge letters", start=start, end=start + timedelta(hours=1)
    )


def test_an_admin_records_an_outcome_and_an_action_and_marks_it_done(admin_client, admin_user, held, staff):
    response = admin_client.post(
        "/admin/projects/outcome/add/",
        {
            "meeting": held.pk,
            "said": "Evening meetings suit carers.",
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    outcome = Outcome.objects.get()
    assert outcome.recorded_by == admin_user
    today = timezone.localdate().isoformat()
    response = admin_client.post(
        "/admin/projects/action/add/",
        {
            "outcome": outcome.pk,
            "what": "Move to 6pm",
            "owner": staff.pk,
            "due_on": today,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = Action.objects.get()
    response = admin_client.post(
        f"/admin/projects/action/{action.pk}/change/",
        {
            "what": "Move to 6pm",
            "owner": staff.pk,
            "due_on": today,
            "status": "done",
            "what_changed": "Meetings now start at 6pm.",
            "done_on": today,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action.refresh_from_db()
    assert (action.status, action.done_by, action.what_changed) == (
        "done",
        admin_user,
        "Meetings now start at 6pm.",
    )
    assert set(ProjectEvent.objects.values_list("action", flat=True)) >= {
        "outcome recorded",
        "action added",
        "action done",
    }


def test_the_admin_shows_a_rule_beside_the_form_and_saves_nothing(admin_client, project):
    upcoming = MeetingFactory(project=project)
    html = admin_client.post(
        "/admin/projects/outcome/add/",
        {
            "meeting": upcoming.pk,
            "said": "Too early",
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
        },
    ).content.decode()
    assert "Outcomes can be recorded once the meeting has started." in html
    assert Outcome.objects.count() == 0
