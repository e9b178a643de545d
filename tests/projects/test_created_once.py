"""Every form that creates something makes it once: Back and Save again (the browser puts the
entries back into a freshly fetched form) or a double click leaves one, and says so."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contributors.models import Invitation
from projects.models import BudgetLine, Meeting, Milestone, PieceOfWork, PowerImbalance, Project, Role

pytestmark = pytest.mark.django_db


def _twice(client, url, data):
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    client.get(url)  # Back: the page is fetched again
    return client.post(url, data).content.decode().replace("&#x27;", "'")


def test_a_project(client, staff):
    client.force_login(staff)
    data = {"title": "Clearer  letters", "status": "idea", "lead": staff.pk, "involvement_lead_time_weeks": 6}
    html = _twice(client, reverse("projects:create"), {**data, "title": "clearer letters"})
    assert Project.objects.count() == 1
    assert "There is already a project called “clearer letters”, led by Sam Staff." in html


def test_a_meeting(client, staff, project, contributor):
    client.force_login(staff)
    start = (timezone.localtime() + timedelta(days=20)).replace(hour=10, minute=0)
    data = {
        "title": "Letter working group", "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "venue": "Room 2",
        "papers_sent_on": (start.date() - timedelta(days=10)).isoformat(),
    }
    html = _twice(client, reverse("projects:meeting_create", kwargs={"project_pk": project.pk}), data)
    assert Meeting.objects.count() == 1
    assert "“Letter working group” is already scheduled for this project at this time." in html


def test_a_role(client, staff, project):
    from projects.models import RoleTemplate

    client.force_login(staff)
    data = {
        "template": RoleTemplate.objects.get(is_default=True).pk, "title": "Reading panel member",
        "selection_method": "open_call", "places": 2,
    }
    html = _twice(client, reverse("projects:role_create", kwargs={"project_pk": project.pk}), data)
    assert Role.objects.count() == 1
    assert "This project already has a role called “Reading panel member”" in html


@pytest.mark.parametrize(
    ("name", "data", "model", "message"),
    [
        ("piece_create", {"title": "Letter review", "involvement_level": "involve"}, PieceOfWork,
         "This project already has a piece of work with this title."),
        ("milestone_create", {"title": "Letters sent", "due_date": "2027-03-01"}, Milestone,
         "This project already has this milestone on that date."),
        ("budget_line_create", {"kind": "travel", "description": "Travel", "amount": "250.00"}, BudgetLine,
         "This project already has this budget line, for the same amount."),
        ("power_imbalance_create", {"where": "Jargon in papers", "status": "open"}, PowerImbalance,
         "This imbalance is already in the project's log."),
    ],
)
def test_a_part_of_a_project(client, staff, project, name, data, model, message):
    client.force_login(staff)
    if name == "power_imbalance_create":
        data = {**data, "owner": staff.pk}
    html = _twice(client, reverse(f"projects:{name}", kwargs={"pk": project.pk}), data)
    assert model.objects.filter(project=project).count() == 1
    assert message in html


def test_an_invitation(client, staff, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(staff)
    data = {"name": "Amir Haddad", "email": "amir@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        html = _twice(client, reverse("contributors:invite"), data)
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1
    assert "An invitation was sent to amir@example.org at" in html
    # Later, a new link can be sent (the first email got lost, say).
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    client.post(reverse("contributors:invite"), data)
    assert Invitation.objects.count() == 2
