"""Demo data for `seed_demo`. Idempotent: everything is looked up by its title first."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from . import demo_roles
from .models import (
    Action,
    BudgetLine,
    Meeting,
    MeetingInvitation,
    Milestone,
    Outcome,
    PieceOfWork,
    PowerImbalance,
    Project,
    Venue,
)

LONDON = ZoneInfo("Europe/London")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), LONDON)


def seed(people: dict) -> dict:
    staff, contributor = people["staff"], people["contributor"]
    today = timezone.localdate(timezone=LONDON)
    discharge, _ = Project.objects.get_or_create(
        title="Leaving hospital well: discharge letters people understand",
        defaults=dict(
            summary="Rewrite the letters patients and carers get when they leave hospital, with the "
            "people who read them.",
            status=Project.Status.ACTIVE, lead=staff, start_date=today - timedelta(days=30),
            end_date=today + timedelta(days=150), involvement_lead_time_weeks=6,
            selection_process="Expression of interest from the contributor pool, then a short chat; "
            "we ask people who have not been involved recently first.",
            involvement_level="coproduce",
            open_decisions="The wording, layout and order of the letter; what goes in the summary.",
            fixed_decisions="The legal content GPs must receive; the NHS logo and header.",
            can_achieve="Letters patients can act on; fewer calls to the ward after discharge.",
            cannot_achieve="Changes to discharge times or to the medicines prescribed.",
        ),
    )
    wellbeing, _ = Project.objects.get_or_create(
        title="Carers' wellbeing service: shaping the new offer",
        defaults=dict(
            summary="Plan a carers' wellbeing service with unpaid carers across the county.",
            status=Project.Status.PLANNING, lead=staff, start_date=today + timedelta(days=60),
            end_date=today + timedelta(days=300), involvement_lead_time_weeks=8,
            selection_process="Open call through carers' centres, with paper forms for people offline.",
            involvement_level="involve",
            open_decisions="Which support sessions are offered, when and where.",
            fixed_decisions="The budget envelope and the commissioning timetable.",
            can_achieve="A service carers will actually use.",
            cannot_achieve="More money than the council has allocated.",
        ),
    )
    PieceOfWork.objects.get_or_create(
        project=discharge, title="Draft the new letter",
        defaults=dict(involvement_level="coproduce", open_decisions="All wording.",
                      fixed_decisions="Legal content.", can_achieve="A clear letter.",
                      cannot_achieve="Changes to clinical decisions."),
    )
    PieceOfWork.objects.get_or_create(
        project=wellbeing, title="Listening events with carers",
        defaults=dict(involvement_level="consult", open_decisions="Topics and format."),
    )
    for project, title, offset, done in [
        (discharge, "First draft agreed with contributors", -10, True),
        (discharge, "Test the letter on two wards", 60, False),
        (wellbeing, "Recruit carers to the design group", 10, False),
        (wellbeing, "Service outline signed off", 200, False),
    ]:
        Milestone.objects.get_or_create(project=project, title=title,
                                        defaults=dict(due_date=today + timedelta(days=offset), done=done))
    for project, kind, description, amount in [
        (discharge, BudgetLine.Kind.TIME, "Payment for contributors' time", Decimal("1800.00")),
        (discharge, BudgetLine.Kind.TRAVEL, "Travel and carer costs", Decimal("400.00")),
        (wellbeing, BudgetLine.Kind.TIME, "Design group payments", Decimal("2400.00")),
        (wellbeing, BudgetLine.Kind.OTHER, "Venue hire and refreshments", Decimal("600.00")),
    ]:
        BudgetLine.objects.get_or_create(project=project, description=description,
                                         defaults=dict(kind=kind, amount=amount, managed_by=staff))
    PowerImbalance.objects.get_or_create(
        project=discharge, where="Clinicians outnumber contributors at the working group.",
        defaults=dict(step_taken="At least three contributors at every meeting; contributors co-chair.",
                      owner=staff, status=PowerImbalance.Status.IN_HAND),
    )
    tomorrow = today + timedelta(days=1)
    # A saved place with the access it offers, so the meeting page shows needs beside it.
    education_centre, _ = Venue.objects.get_or_create(
        name="Education Centre, St Mary's Hospital",
        defaults=dict(address="Room 2, Education Centre, St Mary's Hospital",
                      access_features=["step_free", "hearing_loop", "accessible_toilet", "quiet_room"],
                      access_information="Step-free entrance on Park Road."),
    )
    m1, created = Meeting.objects.get_or_create(
        project=discharge, title="Letter working group",
        defaults=dict(organiser=staff, start=_at(tomorrow, 10), end=_at(tomorrow, 12),
                      place=education_centre, venue="Room 2, Education Centre, St Mary's Hospital",
                      access_information="Step-free entrance on Park Road; hearing loop; quiet room.",
                      online_link="https://meet.example.org/letter-group",
                      papers_link="https://docs.example.org/letter-draft-2",
                      papers_sent_on=today - timedelta(days=7)),
    )
    MeetingInvitation.objects.get_or_create(meeting=m1, contributor=contributor)
    last_week = today - timedelta(days=7)
    m2, _ = Meeting.objects.get_or_create(
        project=wellbeing, title="Carers' listening event",
        defaults=dict(organiser=staff, start=_at(last_week, 14), end=_at(last_week, 16),
                      venue="Carers' Centre, 12 High Street", access_information="Step-free; parking.",
                      papers_sent_on=last_week - timedelta(days=10),
                      attendance_recorded_at=timezone.now(), attendance_recorded_by=staff),
    )
    MeetingInvitation.objects.get_or_create(
        meeting=m2, contributor=contributor,
        defaults=dict(reply=MeetingInvitation.Reply.ATTENDING, attended=True),
    )
    # What came of it: "you said, we did" on the contributor's project page.
    said, _ = Outcome.objects.get_or_create(
        meeting=m2, said="Carers said afternoon events are hard to reach: evenings suit them better.",
        defaults=dict(recorded_by=staff),
    )
    Action.objects.get_or_create(
        outcome=said, what="Hold the next listening events at 6pm",
        defaults=dict(owner=staff, due_on=today, status=Action.Status.DONE, done_on=today, done_by=staff,
                      what_changed="The next two listening events start at 6pm, with a meal."),
    )
    Action.objects.get_or_create(
        outcome=said, what="Ask the Carers' Centre about evening parking",
        defaults=dict(owner=staff, due_on=today + timedelta(days=21)),
    )
    found = {"projects": [discharge, wellbeing], "meeting_tomorrow": m1, "meeting_last_week": m2}
    return found | demo_roles.seed(people | found)  # roles, interest and offers (contributors issue)
