"""Data for the browser journeys, made through services where the step is not the thing tested."""

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from contributors.services import contributor_invite
from expenses import services as expenses
from projects.models import BudgetLine, Meeting, MeetingInvitation, Project, Role
from projects.services import roles as role_services
from tests.roles.factories import make_role

PROJECT = "Clearer letters for outpatients"
ROLE = "Letter reading panel member"
MEETING = "Letters workshop"


@dataclass
class Plan:
    project: Project
    role: Role
    meeting: Meeting


def planned_project(*, staff) -> Plan:
    """A project with its assessment, budget, an open role and a meeting two weeks ahead."""
    project = Project.objects.create(
        title=PROJECT, lead=staff, summary="Rewrite appointment letters with the people who read them.",
        involvement_level="coproduce", open_decisions="The wording and layout of the letters.",
        fixed_decisions="The legal information in every letter.",
        can_achieve="Letters people understand first time.", cannot_achieve="Changes to clinic times.",
    )
    BudgetLine.objects.create(project=project, kind=BudgetLine.Kind.TIME, amount=Decimal("600.00"))
    BudgetLine.objects.create(project=project, kind=BudgetLine.Kind.TRAVEL, amount=Decimal("200.00"))
    role = make_role(project=project, by=staff, title=ROLE)
    start = (timezone.localtime() + timedelta(days=14)).replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = Meeting.objects.create(
        project=project, title=MEETING, organiser=staff, start=start, end=start + timedelta(hours=2),
        venue="Room 2, Education Centre", access_information="Step-free entrance on Park Road.",
        online_link="https://meet.example.org/letters",
    )
    return Plan(project=project, role=role, meeting=meeting)


def invited_with_offer(*, plan: Plan, staff, email="zoe@example.org", name="Zoë O'Brien"):
    """A contributor invited by email, offered the role and invited to the meeting."""
    sent = contributor_invite(email=email, name=name, actor=staff)
    offer = role_services.offer_make(role=plan.role, contributor_id=sent.invitation.user_id, actor=staff)
    MeetingInvitation.objects.create(meeting=plan.meeting, contributor=sent.invitation.user)
    return sent, offer


def member(*, plan: Plan, staff, contributor):
    """A contributor who has accepted the role and is invited to the meeting."""
    offer = role_services.offer_make(role=plan.role, contributor_id=contributor.pk, actor=staff)
    role_services.offer_accept(offer_id=offer.pk, actor=contributor, version_number=None)
    MeetingInvitation.objects.get_or_create(meeting=plan.meeting, contributor=contributor)
    return offer


def sent_claim(*, plan: Plan, contributor, parking_receipt=None):
    """A claim for two hours and a return car journey, sent for review; with a photo of a receipt,
    parking too."""
    day = timezone.localdate() - timedelta(days=3)
    lines = [
        expenses.LineInput(kind="time_hours", date=day, description="Reading panel", quantity=Decimal("2"),
                           amount=None, receipts=[]),
        expenses.LineInput(kind="mileage_car", date=day, description="To the hospital and back",
                           quantity=Decimal("12"), amount=None, receipts=[]),
    ]
    if parking_receipt is not None:
        upload = SimpleUploadedFile(parking_receipt.name, parking_receipt.read_bytes(), "image/png")
        lines.append(expenses.LineInput(kind="parking", date=day, description="Hospital car park",
                                        amount=Decimal("4.50"), receipts=[(upload, "image/png")]))
    return expenses.claim_create(
        contributor=contributor, project=plan.project, actor=contributor, lines=lines, submit=True
    )


def paid(claim, *, reviewer, finance):
    """The claim approved, put in a payment batch and paid today."""
    expenses.claim_approve(claim_id=claim.pk, actor=reviewer)
    batch = expenses.batch_create(actor=finance, claim_ids=[claim.pk])
    expenses.batch_mark_paid(
        batch_id=batch.pk, actor=finance, reference="BACS-0042", paid_on=timezone.localdate()
    )
    claim.refresh_from_db()
    return claim


def image_file(tmp_path, name="parking-receipt.png", fmt="PNG"):
    """A real (small) photo of a receipt."""
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (240, 240, 230)).save(buffer, fmt)
    path.write_bytes(buffer.getvalue())
    return path


def a_second_tuesday() -> date:
    """The first 2nd Tuesday of a month at least three weeks ahead."""
    day = timezone.localdate() + timedelta(days=21)
    first = date(day.year, day.month, 1)
    while True:
        tuesday = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
        if tuesday >= day:
            return tuesday
        first = date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def fill_monthly_series(page, *, invitee="Zoë O'Brien") -> None:
    """What staff type on "Set up a repeating meeting": six meetings on the 2nd Tuesday, 18:00 to
    20:00, the invitee ticked; then Save."""
    day = a_second_tuesday()
    page.get_by_label("Title").fill("Steering group")
    page.get_by_label("Every month on the same weekday").check()
    page.get_by_label("First meeting starts (UK time)").fill(f"{day.isoformat()}T18:00")
    page.get_by_label("First meeting ends (UK time)").fill(f"{day.isoformat()}T20:00")
    page.get_by_label("Number of meetings (optional)").fill("6")
    page.get_by_label("Venue address").fill("Room 2, Education Centre")
    page.get_by_label(invitee).check()
    page.get_by_role("button", name="Save the series").click()
