"""Who can reach which project: the one place for these rules."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from projects.models import Meeting, MeetingInvitation, MeetingSeries, Project, RoleOffer


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


def get_project_for_user(user, pk) -> Project:
    """The project if this person may read it, else 404."""
    return get_object_or_404(projects_visible_to(user).select_related("lead"), pk=pk)


def get_project_to_manage(user, pk) -> Project:
    """The project if this person may edit it: 404 if they cannot even see it, 403 if read-only."""
    project = get_project_for_user(user, pk)
    if not can_manage_project(user, project):
        raise PermissionDenied("Only the project's lead and team can change this project.")
    return project


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """Staff see every meeting; contributors only the meetings they are invited to."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    if user.is_staff:
        return Meeting.objects.all()
    return Meeting.objects.filter(
        pk__in=MeetingInvitation.objects.filter(contributor=user).values("meeting_id")
    )


def get_meeting_for_user(user, pk) -> Meeting:
    return get_object_or_404(
        meetings_visible_to(user).select_related("project", "organiser", "place", "series"), pk=pk
    )


def get_meeting_to_manage(user, pk) -> Meeting:
    meeting = get_meeting_for_user(user, pk)
    if not can_manage_project(user, meeting.project):
        raise PermissionDenied("Only the project's lead and team can change this meeting.")
    return meeting


def get_series_for_staff(user, pk) -> MeetingSeries:
    """Series are staff pages (each occurrence is an ordinary meeting for contributors)."""
    if not user.is_staff:
        raise PermissionDenied("This page is for staff.")
    return get_object_or_404(MeetingSeries.objects.select_related("project", "organiser"), pk=pk)


def get_series_to_manage(user, pk) -> MeetingSeries:
    series = get_series_for_staff(user, pk)
    if not can_manage_project(user, series.project):
        raise PermissionDenied("Only the project's lead and team can change this series.")
    return series
