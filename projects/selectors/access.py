"""Who can reach which project: the one place for these rules."""

from django.db.models import Q, QuerySet

from projects.models import Project, RoleOffer


def projects_managed_by(user) -> QuerySet[Project]:
    """Projects this person can edit and whose claims they review: lead or team; admins all."""
    if not user.is_authenticated or not user.is_staff:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(
        pk__in=Project.objects.filter(Q(lead=user) | Q(team=user)).values("pk")
    )


def projects_visible_to(user) -> QuerySet[Project]:
    """Staff can read every project; contributors only those they hold a role on."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_staff:
        return Project.objects.all()
    return Project.objects.filter(
        pk__in=RoleOffer.objects.filter(
            contributor=user, status=RoleOffer.Status.ACCEPTED
        ).values("role__project_id")
    )


def can_manage_project(user, project: Project) -> bool:
    return projects_managed_by(user).filter(pk=project.pk).exists()
