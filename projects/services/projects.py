"""Every write about projects: create, edit, status, archive, suitability, resources, power log."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from contributors.models import User
from core.errors import DomainError
from projects.models import BudgetLine, Milestone, PieceOfWork, PowerImbalance, Project, ProjectEvent
from projects.selectors.projects import suitability_gaps


class ProjectError(DomainError):
    """A rule stopped the change to a project."""


def _check_dates(start, end, *, end_field="end_date"):
    if start and end and end < start:
        raise ProjectError("The end date must be on or after the start date.", field=end_field)


def _words(text) -> str:
    return " ".join(str(text or "").split())


def _lock_project(project: Project) -> None:
    """Two saves of one form at once (a double click) wait for each other, so the second sees
    what the first made."""
    Project.objects.select_for_update().filter(pk=project.pk).first()


def _refuse_twice(existing, message: str, field: str) -> None:
    """Back and Save again, or two people adding the same thing: the first one stands."""
    if existing is not None:
        raise ProjectError(message, field=field)


def _record(project: Project, actor, action: str, detail: str = "") -> None:
    ProjectEvent.objects.create(project=project, actor=actor, action=action, detail=detail)


def _check_status(project: Project, old_status: str) -> None:
    if project.status == Project.Status.ACTIVE and old_status != Project.Status.ACTIVE:
        gaps = suitability_gaps(project)
        if gaps:
            raise ProjectError(
                "The project cannot be active until the suitability assessment is complete. "
                + " ".join(gaps),
                field="status",
            )


def _check_new_title(title: str) -> None:
    twin = (
        Project.objects.filter(title__iexact=_words(title), archived_at__isnull=True)
        .select_related("lead")
        .first()
    )
    if twin is not None:
        # Back and Create again, or two people setting up the same project: the first stands.
        raise ProjectError(
            f"There is already a project called “{twin.title}”, led by {twin.lead.get_full_name()}. "
            "Open it from the project list, or give this one a different title.",
            field="title",
        )


def project_check(project: Project, *, old_status: str | None) -> None:
    """The rules every door applies to a project's own fields (the admin's form uses it before
    saving; the site's services below apply the same ones). old_status None: a new project."""
    _check_dates(project.start_date, project.end_date)
    if old_status is None and project.status == Project.Status.ACTIVE:
        raise ProjectError(
            "A new project cannot start as active: complete the suitability assessment first.",
            field="status",
        )
    if old_status is None:
        _check_new_title(project.title)
    else:
        _check_status(project, old_status)


@transaction.atomic
def project_create(*, actor, title: str, lead=None, team=(), **fields) -> Project:
    if not (title or "").strip():
        raise ProjectError("Give the project a title.", field="title")
    _check_dates(fields.get("start_date"), fields.get("end_date"))
    status = fields.pop("status", Project.Status.IDEA)
    if status == Project.Status.ACTIVE:
        raise ProjectError(
            "A new project cannot start as active: complete the suitability assessment first.",
            field="status",
        )
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one person's double click
    title = _words(title)
    _check_new_title(title)
    project = Project.objects.create(title=title, lead=lead or actor, status=status, **fields)
    project.team.set(team)
    _record(project, actor, "created")
    return project


@transaction.atomic
def project_update(*, project_id: int, actor, team=None, **fields) -> Project:
    project = Project.objects.select_for_update().get(pk=project_id)
    if "title" in fields and not (fields["title"] or "").strip():
        raise ProjectError("Give the project a title.", field="title")
    _check_dates(fields.get("start_date", project.start_date), fields.get("end_date", project.end_date))
    old_status = project.status
    for name, value in fields.items():
        setattr(project, name, value)
    _check_status(project, old_status)
    project.save()
    if team is not None:
        project.team.set(team)
    if project.status != old_status:
        _record(project, actor, "status changed",
                f"{Project.Status(old_status).label} to {project.get_status_display()}")
    return project


@transaction.atomic
def project_archive(*, project_id: int, actor) -> Project:
    """Projects with claims are kept for the record: archiving hides them, nothing is deleted."""
    project = Project.objects.select_for_update().get(pk=project_id)
    if project.archived_at:
        raise ProjectError("This project is already archived.")
    project.archived_at = timezone.now()
    project.archived_by = actor
    project.save(update_fields=["archived_at", "archived_by", "updated_at"])
    _record(project, actor, "archived")
    return project


@transaction.atomic
def project_unarchive(*, project_id: int, actor) -> Project:
    project = Project.objects.select_for_update().get(pk=project_id)
    if not project.archived_at:
        raise ProjectError("This project is not archived.")
    project.archived_at = None
    project.archived_by = None
    project.save(update_fields=["archived_at", "archived_by", "updated_at"])
    _record(project, actor, "brought back from the archive")
    return project


def _save(model, instance, project: Project, fields: dict):
    obj = instance or model(project=project)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    return obj


@transaction.atomic
def piece_of_work_save(*, project: Project, actor, piece: PieceOfWork | None = None, **fields) -> PieceOfWork:
    if not (fields.get("title") or "").strip():
        raise ProjectError("Give the piece of work a title.", field="title")
    if piece is None:
        _lock_project(project)
        _refuse_twice(
            project.pieces_of_work.filter(title__iexact=_words(fields["title"])).first(),
            "This project already has a piece of work with this title.",
            "title",
        )
    return _save(PieceOfWork, piece, project, fields)


@transaction.atomic
def milestone_save(*, project: Project, actor, milestone: Milestone | None = None, **fields) -> Milestone:
    if not (fields.get("title") or "").strip():
        raise ProjectError("Give the milestone a title.", field="title")
    due = fields.get("due_date")
    if due and project.start_date and due < project.start_date:
        raise ProjectError("The milestone is due before the project starts.", field="due_date")
    if due and project.end_date and due > project.end_date:
        raise ProjectError("The milestone is due after the project ends.", field="due_date")
    if milestone is None:
        _lock_project(project)
        _refuse_twice(
            project.milestones.filter(title__iexact=_words(fields["title"]), due_date=due).first(),
            "This project already has this milestone on that date.",
            "title",
        )
    return _save(Milestone, milestone, project, fields)


@transaction.atomic
def budget_line_save(*, project: Project, actor, line: BudgetLine | None = None, **fields) -> BudgetLine:
    amount = fields.get("amount")
    if amount is None or Decimal(amount) < 0:
        raise ProjectError("Enter an amount of £0.00 or more.", field="amount")
    if line is None:
        _lock_project(project)
        _refuse_twice(
            project.budget_lines.filter(
                kind=fields.get("kind"), description__iexact=_words(fields.get("description")), amount=amount
            ).first(),
            "This project already has this budget line, for the same amount. Change that line "
            "instead, or describe this one differently.",
            "description",
        )
    line = _save(BudgetLine, line, project, fields)
    _record(project, actor, "budget line saved", f"{line.get_kind_display()}: £{line.amount}")
    return line


@transaction.atomic
def power_imbalance_save(
    *, project: Project, actor, entry: PowerImbalance | None = None, **fields
) -> PowerImbalance:
    if not (fields.get("where") or "").strip():
        raise ProjectError("Say where the imbalance can exist.", field="where")
    if entry is None:
        _lock_project(project)
        where = _words(fields["where"]).casefold()
        same = [e for e in project.power_imbalances.all() if _words(e.where).casefold() == where]
        _refuse_twice(
            same[0] if same else None,
            "This imbalance is already in the project's log. Change that entry to record a new step.",
            "where",
        )
    return _save(PowerImbalance, entry, project, fields)
