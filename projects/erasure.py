"""This app's copies of a person, erased when they are (registered in apps.py; see
contributors/erasure.py): what they wrote when asking for a role, staff's reasons about them,
project events quoting their availability, and their name wherever staff typed it in a project
they took part in. Offers, acceptances and attendance stay: payment depended on them.
Their feedback on meetings loses its link to them and its comment (their own words); the
answers to the two scale questions stay, anonymous, in the totals."""

from django.db.models import Q

from contributors.erasure import Erasure, scrub_admin_log, scrub_rows, set_rows
from contributors.selectors import availability_mention_pattern
from projects.models import (
    Action,
    Application,
    BudgetLine,
    CalendarFeed,
    ExpressionOfInterest,
    Meeting,
    MeetingChange,
    MeetingFeedback,
    MeetingInvitation,
    Milestone,
    Outcome,
    PieceOfWork,
    PowerImbalance,
    Project,
    ProjectEvent,
    Role,
    RoleOffer,
    RoleVersion,
)

STATEMENT_REMOVED = "(removed at the person's request)"


def _events(erasure: Erasure, events) -> None:
    """What a meeting warning said about their availability goes altogether, then their name."""
    mentions = availability_mention_pattern(erasure.names)
    for event in events:
        detail = mentions.sub(f"{erasure.pseudonym}: availability removed", event.detail)
        detail = erasure.scrub_names(detail)
        if detail != event.detail:
            ProjectEvent.objects.filter(pk=event.pk).update(detail=detail)


def _meeting_warnings(erasure: Erasure, meetings) -> None:
    """The warnings a reason answered quote availability, as the project events do."""
    mentions = availability_mention_pattern(erasure.names)
    for meeting in meetings.exclude(warnings_overridden=""):
        text = erasure.scrub_names(
            mentions.sub(f"{erasure.pseudonym}: availability removed", meeting.warnings_overridden)
        )
        if text != meeting.warnings_overridden:
            Meeting.objects.filter(pk=meeting.pk).update(warnings_overridden=text)


def erase_person(erasure: Erasure) -> None:
    person = erasure.person
    interests = ExpressionOfInterest.objects.filter(contributor=person)
    set_rows(interests.exclude(statement=""), statement=STATEMENT_REMOVED)
    scrub_rows(erasure, interests, ["decision_reason"])
    offers = RoleOffer.objects.filter(contributor=person)
    # Applications to public adverts: theirs by account or by any address they used.
    mine = Q(contributor=person)
    for email in erasure.emails:
        mine |= Q(email__iexact=email)
    applications = Application.objects.filter(mine)
    set_rows(
        applications, name=STATEMENT_REMOVED, email="", phone="", address="", statement=STATEMENT_REMOVED,
        access_needs="", answers=[],
    )
    scrub_rows(erasure, applications, ["decision_reason"])
    scrub_admin_log(erasure, Application, applications.values_list("pk", flat=True))
    set_rows(offers.exclude(step_down_reason=""), step_down_reason=STATEMENT_REMOVED)
    invitations = MeetingInvitation.objects.filter(contributor=person)
    MeetingFeedback.objects.filter(contributor=person).update(contributor=None, to_change="")
    set_rows(invitations.exclude(reply_note=""), reply_note=STATEMENT_REMOVED)
    CalendarFeed.objects.filter(user=person).delete()  # their secret address stops working

    # Projects they took part in: staff may have written their name anywhere in them.
    projects = Project.objects.filter(
        Q(roles__offers__contributor=person)
        | Q(roles__interests__contributor=person)
        | Q(meetings__invitations__contributor=person)
        | Q(events__people=person)
    ).distinct()
    _events(erasure, ProjectEvent.objects.filter(Q(people=person) | Q(project__in=projects)).distinct())
    meetings = Meeting.objects.filter(project__in=projects)
    _meeting_warnings(erasure, meetings)
    roles = Role.objects.filter(project__in=projects)
    shared_texts = (
        (projects, ("title", "summary", "selection_process", "open_decisions", "fixed_decisions",
                    "can_achieve", "cannot_achieve")),
        (PieceOfWork.objects.filter(project__in=projects),
         ("title", "open_decisions", "fixed_decisions", "can_achieve", "cannot_achieve")),
        (Milestone.objects.filter(project__in=projects), ("title",)),
        (BudgetLine.objects.filter(project__in=projects), ("description",)),
        (PowerImbalance.objects.filter(project__in=projects), ("where", "step_taken")),
        (meetings, ("title", "venue", "access_information", "warnings_overridden_reason", "cancel_reason")),
        (MeetingChange.objects.filter(meeting__in=meetings), ("what",)),
        (Outcome.objects.filter(meeting__in=meetings), ("said",)),
        (Action.objects.filter(outcome__meeting__in=meetings), ("what", "what_changed")),
        (roles, ("title", "purpose", "activities", "time_commitment", "payment_terms", "how_to_claim",
                 "support_offered", "selection_criteria")),
        (RoleVersion.objects.filter(role__in=roles), ("description",)),
    )
    for rows, fields in shared_texts:
        scrub_rows(erasure, rows, fields, shared=True)
    for rows in (interests, offers, invitations):
        scrub_admin_log(erasure, rows.model, rows.values_list("pk", flat=True))
    for rows in (projects, meetings):
        scrub_admin_log(erasure, rows.model, rows.values_list("pk", flat=True), shared=True)
