"""Dashboard contents, composed from each app's selectors (this is the floor above them).

Each section has its own function and its own partial template under templates/dashboards/,
so the apps' sections can grow independently. Keep query counts flat: each section should
use a fixed number of queries whatever the amount of data.
"""


def staff_dashboard(user) -> dict:
    context: dict = {}
    context.update(staff_projects_section(user))
    context.update(staff_responses_section(user))
    context.update(staff_claims_section(user))
    context.update(staff_tasks_section(user))
    return context


def contributor_dashboard(user) -> dict:
    context: dict = {}
    context.update(contributor_offers_section(user))
    context.update(contributor_meetings_section(user))
    context.update(contributor_claims_section(user))
    return context


# --- projects and meetings (projects issue) ---
def staff_projects_section(user) -> dict:
    from projects.selectors.meetings import meetings_needing_attendance, meetings_organised_upcoming
    from projects.selectors.projects import staff_projects_summary

    return {
        "my_projects": staff_projects_summary(user),
        "my_upcoming_meetings": meetings_organised_upcoming(user),
        "meetings_needing_attendance": meetings_needing_attendance(user),
    }


def staff_responses_section(user, limit: int = 10) -> dict:
    """New expressions of interest and applications on projects I lead, not yet acted on."""
    from projects.models import Project
    from projects.selectors.roles import new_responses

    led = Project.objects.filter(lead=user)
    return {"new_responses": new_responses(projects=led, waiting_only=True, limit=limit)}


def contributor_meetings_section(user) -> dict:
    from projects.selectors.meetings import contributor_invitations

    return {
        "upcoming_invitations": contributor_invitations(user, upcoming=True),
        "past_invitations": contributor_invitations(user, upcoming=False, limit=5),
    }


# --- roles and offers (contributors issue) ---
def contributor_offers_section(user) -> dict:
    """Offers waiting for an answer, and my roles (flagging new terms to accept). One query."""
    from projects.selectors.roles import contributor_offers

    offers = contributor_offers(user)
    return {"offers_waiting": offers.waiting, "my_roles": offers.roles}


# --- claims (expenses issue) ---
def staff_claims_section(user) -> dict:
    """Claims waiting for my review (oldest first), and for finance what waits for payment."""
    from expenses.selectors import claims_for_review, claims_ready_for_batch, is_finance

    waiting = claims_for_review(user).filter(status="submitted")
    listed = waiting.only(  # what the list shows (bench/)
        "total", "submitted_at", "is_late", "project__title",
        "contributor__name", "contributor__preferred_name", "contributor__email",
    )
    context = {"claims_to_review": list(listed[:10]), "claims_to_review_count": waiting.count()}
    if is_finance(user):
        context["show_payments"] = True
        context["claims_to_pay_count"] = claims_ready_for_batch().count()
    return context


def contributor_claims_section(user) -> dict:
    """My recent claims with their status in words and when the money should arrive."""
    from expenses.selectors import claims_of, expected_payment, meetings_to_claim_for

    claims = list(claims_of(user)[:5])
    for claim in claims:
        claim.expected = expected_payment(claim)
    return {"my_claims": claims, "meetings_to_claim": list(meetings_to_claim_for(user)[:5])}


# --- reminders and staff tasks (reminders issue) ---
def staff_tasks_section(user) -> dict:
    from reminders.selectors import open_staff_tasks_for, with_items

    return {"staff_tasks": with_items(open_staff_tasks_for(user)[:50])}
