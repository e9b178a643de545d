import factory

from projects.models import Project, Role, SelectionMethod
from projects.services.roles import role_create_from_template, role_update
from tests.factories import StaffFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Project {n}")
    lead = factory.SubFactory(StaffFactory)
    open_decisions = "The wording of the letter."
    fixed_decisions = "The legal content."
    can_achieve = "Letters people understand."
    cannot_achieve = "Changes to medicines."


def make_role(
    *,
    project,
    by,
    title="Reading panel member",
    status=Role.Status.OPEN,
    selection_method=SelectionMethod.EXPRESSION_OF_INTEREST,
    places=3,
    **fields,
) -> Role:
    role = role_create_from_template(
        project=project, template=None, actor=by, title=title, selection_method=selection_method,
        places=places,
    )
    role, _ = role_update(role=role, actor=by, status=status, **fields)
    return role
