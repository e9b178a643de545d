import pytest

from tests.factories import StaffFactory

from .factories import MeetingFactory, ProjectFactory, give_role


@pytest.fixture
def project_staff(db):
    return StaffFactory(name="Tariq Teammate")


@pytest.fixture
def project(staff, project_staff):
    project = ProjectFactory(title="Leaving hospital well", lead=staff)
    project.team.add(project_staff)
    return project


@pytest.fixture
def contributor_with_role(contributor, project):
    give_role(contributor=contributor, project=project)
    return contributor


@pytest.fixture
def meeting(project, contributor_with_role):
    meeting = MeetingFactory(project=project, title="Letter working group")
    meeting.invitations.create(contributor=contributor_with_role)
    return meeting


@pytest.fixture
def cast(cast, contributor_with_role, project_staff):
    """The shared cast, with the contributor holding a role here and a teammate as project staff."""
    return {**cast, "contributor": contributor_with_role, "project_staff": project_staff}
