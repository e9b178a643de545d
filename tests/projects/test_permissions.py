"""Who can open what: every view against the six kinds of user."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "other_contributor", "contributor", "outside_staff", "project_staff", "admin"]
STAFF_READ = [302, 403, 403, 200, 200, 200]
PROJECT_READ = [302, 404, 200, 200, 200, 200]
MANAGE = [302, 403, 403, 403, 200, 200]


def _urls(project, meeting):
    return [
        (reverse("projects:list"), STAFF_READ),
        (reverse("projects:create"), STAFF_READ),
        (reverse("projects:detail", kwargs={"pk": project.pk}), PROJECT_READ),
        (reverse("projects:edit", kwargs={"pk": project.pk}), MANAGE),
        (reverse("projects:suitability", kwargs={"pk": project.pk}), MANAGE),
        (reverse("projects:piece_create", kwargs={"pk": project.pk}), MANAGE),
        (reverse("projects:milestone_create", kwargs={"pk": project.pk}), MANAGE),
        (reverse("projects:budget_line_create", kwargs={"pk": project.pk}), MANAGE),
        (reverse("projects:power_imbalance_create", kwargs={"pk": project.pk}), MANAGE),
        (reverse("projects:meeting_create", kwargs={"project_pk": project.pk}), MANAGE),
        (reverse("projects:meeting_edit", kwargs={"pk": meeting.pk}), MANAGE),
        (reverse("projects:meeting_attendance", kwargs={"pk": meeting.pk}), MANAGE),
        (reverse("projects:meeting_cancel", kwargs={"pk": meeting.pk}), MANAGE),
        (reverse("projects:meeting_detail", kwargs={"pk": meeting.pk}), PROJECT_READ),
        (reverse("projects:meeting_ics", kwargs={"pk": meeting.pk}), PROJECT_READ),
    ]


@pytest.mark.parametrize("who_index", range(len(WHO)), ids=WHO)
def test_it_gives_each_kind_of_user_the_right_answer_on_every_page(
    client, cast, project, meeting, who_index
):
    user = cast[WHO[who_index]]
    if user:
        client.force_login(user)
    for url, expected in _urls(project, meeting):
        assert client.get(url).status_code == expected[who_index], (WHO[who_index], url)


@pytest.mark.parametrize(
    "who,expected", list(zip(WHO, [302, 403, 403, 403, 302, 302], strict=True))
)
def test_it_lets_only_the_project_staff_archive(client, cast, project, who, expected):
    if cast[who]:
        client.force_login(cast[who])
    response = client.post(reverse("projects:archive", kwargs={"pk": project.pk}))
    assert response.status_code == expected
    project.refresh_from_db()
    assert (project.archived_at is not None) == (who in {"project_staff", "admin"})


@pytest.mark.parametrize(
    "who,expected", list(zip(WHO, [302, 404, 302, 403, 403, 403], strict=True))
)
def test_it_lets_only_the_invited_contributor_reply(client, cast, meeting, who, expected):
    if cast[who]:
        client.force_login(cast[who])
    url = reverse("projects:meeting_reply", kwargs={"pk": meeting.pk})
    response = client.post(url, {"reply": "attending"})
    assert response.status_code == expected


def test_it_hides_edit_buttons_from_staff_outside_the_project(client, other_staff, project):
    client.force_login(other_staff)
    html = client.get(reverse("projects:detail", kwargs={"pk": project.pk})).content.decode()
    assert "Change the project" not in html
    assert "Only its lead and team can change it" in html


def test_it_shows_a_contributor_no_budget_power_log_or_other_people(
    client, contributor_with_role, project, meeting
):
    from .factories import BudgetLineFactory

    BudgetLineFactory(project=project, description="Secret budget line")
    project.power_imbalances.create(where="Clinicians dominate", owner=project.lead)
    client.force_login(contributor_with_role)
    html = client.get(reverse("projects:detail", kwargs={"pk": project.pk})).content.decode()
    assert "Leaving hospital well" in html
    assert "Letter working group" in html
    assert "Secret budget line" not in html and "Clinicians dominate" not in html
    assert "Tariq Teammate" not in html


def test_it_shows_the_online_link_only_to_invited_contributors_and_staff(
    client, meeting, other_staff, project
):
    from tests.factories import ContributorFactory

    from .factories import give_role

    uninvited = ContributorFactory()
    give_role(contributor=uninvited, project=project)
    client.force_login(uninvited)
    assert client.get(reverse("projects:meeting_detail", kwargs={"pk": meeting.pk})).status_code == 404
    client.force_login(other_staff)
    url = reverse("projects:meeting_detail", kwargs={"pk": meeting.pk})
    assert "secret-room" in client.get(url).content.decode()


def test_it_serves_papers_privately_to_people_who_can_see_the_meeting(client, meeting, contributor_with_role,
                                                                      other_contributor):
    from django.core.files.base import ContentFile

    meeting.papers_file.save("agenda.docx", ContentFile(b"papers"))
    url = reverse("projects:meeting_papers", kwargs={"pk": meeting.pk})
    client.force_login(other_contributor)
    assert client.get(url).status_code == 404
    client.force_login(contributor_with_role)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"papers"
