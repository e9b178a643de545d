"""Suggestions favour matching interests, then people not recently involved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import Meeting, MeetingInvitation
from projects.selectors.roles import suggested_contributors
from tests.factories import ContributorFactory
from tests.projects.factories import ProjectFactory
from tests.roles.factories import make_role

pytestmark = pytest.mark.django_db


def _person(name, interests=""):
    person = ContributorFactory(name=name)
    person.profile.interests = interests
    person.profile.save()
    return person


def _attended(person, project, days_ago):
    start = timezone.now() - timedelta(days=days_ago)
    meeting = Meeting.objects.create(
        project=project,
        title=f"Meeting {days_ago}",
        organiser=project.lead,
        start=start,
        end=start + timedelta(hours=2),
    )
    MeetingInvitation.objects.create(meeting=meeting, contributor=person, attended=True)


def test_it_ranks_matches_first_then_the_least_recently_involved(staff):
    project = ProjectFactory(lead=staff, title="Better diabetes care together", decided=True)
    role = make_role(project=project, by=staff, title="Diabetes clinic panel")
    busy = _person("Busy Match", "diabetes")
    long_ago = _person("Long Ago Match", "diabetes")
    never = _person("Never Match", "diabetes, cooking")
    no_match = _person("No Match", "dementia")
    for days in (10, 20):
        _attended(busy, project, days)
    _attended(long_ago, project, 500)

    suggestions = suggested_contributors(role=role)

    assert [s.person for s in suggestions] == [never, long_ago, busy, no_match]
    assert suggestions[0].reasons == ["interests match: diabetes", "never involved yet"]
    assert suggestions[1].reasons == ["interests match: diabetes", "not involved in the last 12 months"]
    assert suggestions[2].reasons == ["interests match: diabetes", "involved 2 times in the last 12 months"]


def test_it_leaves_out_people_already_offered_and_staff(staff, contributor):
    from projects.services.roles import offer_make

    project = ProjectFactory(lead=staff, decided=True)
    role = make_role(project=project, by=staff)
    offer_make(role=role, contributor_id=contributor.pk, actor=staff)
    other = _person("Other")
    people = [s.person for s in suggested_contributors(role=role)]
    assert people == [other]


def test_it_respects_the_limit(staff):
    project = ProjectFactory(lead=staff, decided=True)
    role = make_role(project=project, by=staff)
    for n in range(4):
        _person(f"P{n}")
    assert len(suggested_contributors(role=role, limit=2)) == 2
