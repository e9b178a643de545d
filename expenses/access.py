"""Who may do what to a claim. The workflow table (workflow.py) names these for each action."""

from projects.selectors.access import projects_managed_by


def is_finance(user) -> bool:
    return bool(user.is_authenticated and user.is_staff and (user.is_finance or user.is_superuser))


def is_owner(user, claim) -> bool:
    """The contributor, or the staff member who entered the claim on their behalf."""
    return user.pk == claim.contributor_id or (claim.entered_on_behalf and user.pk == claim.entered_by_id)


def can_review(user, claim) -> bool:
    """The project's staff (lead, team, admins) and finance review claims."""
    if not (user.is_authenticated and user.is_staff):
        return False
    if user.is_superuser or user.is_finance:
        return True
    return projects_managed_by(user).filter(pk=claim.project_id).exists()


def is_reviewer(user, claim) -> bool:
    """May review this claim, and it is not their own."""
    return claim.contributor_id != user.pk and can_review(user, claim)


def owner_or_reviewer(user, claim) -> bool:
    return is_owner(user, claim) or can_review(user, claim)
