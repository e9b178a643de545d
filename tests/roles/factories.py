from projects.models import Role, SelectionMethod
from projects.services.roles import role_create_from_template, role_update
from tests.projects.factories import ProjectFactory  # noqa: F401 (re-exported for older imports)


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
