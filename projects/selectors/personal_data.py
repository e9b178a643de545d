"""This app's part of "Download my data" (put together in coproduction/personal_data.py)."""

from django.db.models import Prefetch, Q

from contributors.selectors import availability_mentions
from core.personal_data import record, records_naming, when
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
    MeetingSeries,
    Outcome,
    PowerImbalance,
    Project,
    ProjectEvent,
    Role,
    RoleAcceptance,
    RoleOffer,
    RoleVersion,
)


def _terms(version: RoleVersion | None) -> dict | None:
    if version is None:
        return None
    return {"record": record(version), "version": version.number, "description": version.description}


def personal_data_projects(user) -> dict:
    """Roles asked for, offered and accepted (with the exact terms of each version accepted),
    meetings and replies, and project events about the person."""
    interests = (
        ExpressionOfInterest.objects.filter(contributor=user).select_related("role__project").order_by("pk")
    )
    offers = (
        RoleOffer.objects.filter(contributor=user)
        .select_related("role__project", "offered_version", "accepted_version")
        .prefetch_related(
            Prefetch("acceptances", queryset=RoleAcceptance.objects.select_related("version").order_by("pk"))
        )
        .order_by("pk")
    )
    versions: dict[int, list] = {}
    for version in RoleOffer.history.filter(contributor=user).order_by("history_date", "history_id"):
        versions.setdefault(version.id, []).append(version)
    invitations = (
        MeetingInvitation.objects.filter(contributor=user).select_related("meeting__project").order_by("pk")
    )
    events = ProjectEvent.objects.filter(people=user).select_related("project").order_by("pk")
    feedback = (
        MeetingFeedback.objects.filter(contributor=user).select_related("meeting__project").order_by("pk")
    )
    applications = applications_of(user).select_related("role").order_by("pk")
    return {
        "applications_to_adverts": [
            {
                "record": record(application),
                "role": application.role.title,
                "name": application.name,
                "how_to_contact_you": application.get_contact_method_display(),
                "email": application.email,
                "phone": application.phone,
                "address": application.address,
                "statement": application.statement,
                "access_needs": application.access_needs,
                "answers": application.answers,
                "status": application.get_status_display(),
                "reason": application.decision_reason,
                "sent": when(application.created_at),
                "decided": when(application.decided_at),
            }
            for application in applications
        ],
        "expressions_of_interest": [
            {
                "record": record(interest),
                "role": interest.role.title,
                "project": interest.role.project.title,
                "statement": interest.statement,
                "status": interest.get_status_display(),
                "reason": interest.decision_reason,
                "sent": when(interest.created_at),
                "decided": when(interest.decided_at),
            }
            for interest in interests
        ],
        "role_offers": [
            {
                "record": record(offer),
                "role": offer.role.title,
                "project": offer.role.project.title,
                "status": offer.get_status_display(),
                "offered": when(offer.offered_at),
                "answered": when(offer.responded_at),
                "answer_recorded_by_staff": offer.answer_recorded_by_id is not None,
                "why_you_stepped_down": offer.step_down_reason,
                "terms_offered": _terms(offer.offered_version),
                "terms_that_stand": _terms(offer.accepted_version),
                "acceptances": [
                    {
                        "record": record(acceptance),
                        "accepted": when(acceptance.accepted_at),
                        "terms": _terms(acceptance.version),
                    }
                    for acceptance in offer.acceptances.all()
                ],
                "changes": [
                    {
                        "record": record(change),
                        "when": when(change.history_date),
                        "change": change.get_history_type_display(),
                        "status": change.get_status_display(),
                        "by": "you" if change.history_user_id == user.pk else "staff",
                    }
                    for change in versions.get(offer.pk, [])
                ],
            }
            for offer in offers
        ],
        "meeting_series_invited_to": [
            {"record": record(series), "series": series.title, "project": series.project.title}
            for series in MeetingSeries.objects.filter(invitees=user).select_related("project").order_by("pk")
        ],
        "calendar_feed": (
            {"record": record(feed), "made": when(feed.created_at),
             "address": "kept only scrambled: we cannot show it again"}
            if (feed := CalendarFeed.objects.filter(user=user).first()) else None
        ),
        "meeting_invitations": [
            {
                "record": record(invitation),
                "meeting": invitation.meeting.title,
                "project": invitation.meeting.project.title,
                "start": when(invitation.meeting.start),
                "invited": when(invitation.invited_at),
                "reply": invitation.get_reply_display(),
                "replied": when(invitation.replied_at),
                "note_with_reply": invitation.reply_note,
                "reply_taken_by_staff": invitation.reply_recorded_by_id is not None,
                "attended": invitation.attended,
            }
            for invitation in invitations
        ],
        # Theirs: staff see it only in anonymous totals.
        "feedback_on_meetings": [
            {
                "record": record(answer),
                "meeting": answer.meeting.title,
                "project": answer.meeting.project.title,
                "was_it_accessible": answer.get_accessible_display(),
                "did_you_feel_listened_to": answer.get_listened_to_display(),
                "anything_to_change": answer.to_change,
                "sent": when(answer.submitted_at),
            }
            for answer in feedback
        ],
        # Only what the event says about this person: it may name others too.
        "project_events_about_you": [
            {
                "record": record(event),
                "project": event.project.title,
                "what": event.action,
                "when": when(event.at),
                "about_you": availability_mentions(event.detail, user),
            }
            for event in events
        ],
        "records_that_name_you": records_naming(
            user,
            [
                (Project, "lead"),
                (Project, "team"),
                (Project, "archived_by"),
                (BudgetLine, "managed_by"),
                (PowerImbalance, "owner"),
                (Meeting, "organiser"),
                (Meeting, "attendance_recorded_by"),
                (Meeting, "cancelled_by"),
                (MeetingChange, "by"),
                (Outcome, "recorded_by"),
                (Action, "owner"),
                (Action, "done_by"),
                (MeetingInvitation, "reply_recorded_by"),
                (MeetingSeries, "organiser"),
                (ProjectEvent, "actor"),
                (RoleVersion, "created_by"),
                (ExpressionOfInterest, "decided_by"),
                (RoleOffer, "offered_by"),
                (RoleOffer, "answer_recorded_by"),
                (Application, "decided_by"),
                (Role.history.model, "history_user"),
                (RoleOffer.history.model, "offered_by"),
                (RoleOffer.history.model, "answer_recorded_by"),
                (RoleOffer.history.model, "history_user"),
                (RoleAcceptance.history.model, "history_user"),
            ],
        ),
    }


def applications_of(user):
    """Applications to public adverts that are this person's: those that made them a
    contributor, and any sent from their email address before they had an account."""
    mine = Q(contributor=user)
    if user.email:
        mine |= Q(email__iexact=user.email)
    return Application.objects.filter(mine)
