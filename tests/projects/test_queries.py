"""Query counts stay flat however many projects, meetings and team members there are."""

import pytest
from django.urls import reverse

from tests.factories import ContributorFactory, StaffFactory

from .factories import BudgetLineFactory, MeetingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _grow(project, n):
    for _ in range(n):
        project.team.add(StaffFactory())
        meeting = MeetingFactory(project=project)
        meeting.invitations.create(contributor=ContributorFactory())
        BudgetLineFactory(project=project)
        project.power_imbalances.create(where="Jargon", owner=project.lead)
        project.milestones.create(title="Step", due_date="2027-01-01")


def _count(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_the_list_does_not_grow_with_projects(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    for _ in range(2):
        _grow(ProjectFactory(lead=staff), 1)
    url = reverse("projects:list")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        _grow(ProjectFactory(lead=staff), 2)
    _count(client, url, django_assert_max_num_queries, len(few))


def test_the_dashboard_does_not_grow_with_meetings_or_team(client, staff, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = ProjectFactory(lead=staff)
    _grow(project, 1)
    client.force_login(staff)
    url = reverse("projects:detail", kwargs={"pk": project.pk})
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _grow(project, 6)
    _count(client, url, django_assert_max_num_queries, len(few))
    assert len(few) <= 20
