"""One small organisation where contributor A's personal data carries unique marker strings,
so any page that leaks it to someone else is found by searching the response."""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from contributors import services as people
from contributors.models import EqualityMonitoring, Invitation, User
from expenses import services as claims
from expenses.models import Claim, PaymentBatch, Receipt
from projects.models import (
    Action,
    BudgetLine,
    ExpressionOfInterest,
    Meeting,
    MeetingFeedback,
    MeetingInvitation,
    MeetingSeries,
    Milestone,
    Outcome,
    PieceOfWork,
    PowerImbalance,
    Project,
    Role,
    RoleOffer,
    RoleVersion,
)
from reminders.models import GroupMessage, ReminderSent, StaffTask
from reminders.services import group_message_send
from tests.expenses.factories import line
from tests.factories import AdminFactory, ContributorFactory, StaffFactory

# Everything that identifies A or says something private about A.
MARKERS = {
    "name": "Qwyllen Marrowby",
    "email": "qwyllen.marrowby@example.org",
    "phone": "07700 987654",
    "address": "Zebulon Cottage",
    "access_needs": "Xylophonic hearing loop",
    "lived_experience": "Vorpal kidney story",
    "claim": "Quokka taxi ride",
    "interest": "Yakety interest statement",
    "erasure": "Frobnicated erasure reason",
    "feedback": "Snorkelled feedback comment",
}
# Seen by the project's own staff, finance and admins, never by staff outside the project.
PROJECT_PRIVATE = ("claim",)
# Never shown to anyone but A (and the admin). Lived experience is shown to staff on purpose:
# they choose people by it.
A_ONLY = ("erasure", "feedback")  # feedback: staff see only anonymous totals


@dataclass
class World:
    a: User
    b: User
    b_member: User
    lead: User
    outsider: User
    admin: User
    project: Project
    objects: dict = field(default_factory=dict)

    def users(self) -> dict:
        return {
            "anonymous": None,
            "contributor_b": self.b,
            "b_on_same_project": self.b_member,
            "contributor_a": self.a,
            "staff_outside": self.outsider,
            "project_staff": self.lead,
            "admin": self.admin,
        }


def _accepted_role(role: Role, contributor: User, by: User) -> RoleOffer:
    version = role.versions.order_by("-number").first() or RoleVersion.objects.create(
        role=role, number=1, description={"title": role.title}
    )
    return RoleOffer.objects.create(
        role=role,
        contributor=contributor,
        offered_version=version,
        accepted_version=version,
        status=RoleOffer.Status.ACCEPTED,
        offered_by=by,
        responded_at=timezone.now(),
    )


def build_world() -> World:
    m = MARKERS
    a = ContributorFactory(name=m["name"], email=m["email"])
    profile = a.profile
    profile.phone = m["phone"]
    profile.address = m["address"]
    profile.access_needs = m["access_needs"]
    profile.lived_experience = m["lived_experience"]
    profile.save()
    EqualityMonitoring.objects.create(
        user=a, consent_given_at=timezone.now(), age_band=EqualityMonitoring.AgeBand.choices[-1][0]
    )
    people.erasure_request_create(actor=a, reason=m["erasure"])

    b = ContributorFactory(name="Bertha Bystander")
    b_member = ContributorFactory(name="Bram Member")
    lead = StaffFactory(name="Lena Lead")
    outsider = StaffFactory(name="Otto Outsider")
    admin = AdminFactory(name="Ada Admin")

    project = Project.objects.create(
        title="Kidney letters",
        lead=lead,
        open_decisions="Wording",
        fixed_decisions="Law",
        can_achieve="Clear letters",
        cannot_achieve="New drugs",
    )
    piece = PieceOfWork.objects.create(project=project, title="Letter review")
    milestone = Milestone.objects.create(project=project, title="Letters sent", due_date=timezone.localdate())
    BudgetLine.objects.create(project=project, kind=BudgetLine.Kind.TRAVEL, amount="500.00")
    budget = BudgetLine.objects.create(project=project, kind=BudgetLine.Kind.TIME, amount="500.00")
    power = PowerImbalance.objects.create(project=project, where="Jargon", step_taken="Glossary", owner=lead)

    role = Role.objects.create(
        project=project,
        title="Panel member",
        purpose="p",
        activities="a",
        time_commitment="t",
        payment_terms="£25 an hour",
        selection_method="expression_of_interest",
        status=Role.Status.OPEN,
        places=2,  # A and B both hold it
    )
    offer = _accepted_role(role, a, lead)
    _accepted_role(role, b_member, lead)
    interest = ExpressionOfInterest.objects.create(role=role, contributor=a, statement=m["interest"])

    meeting = Meeting.objects.create(
        project=project,
        title="Steering group",
        organiser=lead,
        start=timezone.now() - timedelta(days=2),
        end=timezone.now() - timedelta(days=2, hours=-2),
        online_link="https://meet.example.org/room",
    )
    meeting.papers_file.save("papers.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    MeetingInvitation.objects.create(meeting=meeting, contributor=a, attended=True)
    MeetingInvitation.objects.create(meeting=meeting, contributor=b_member, attended=True)
    outcome = Outcome.objects.create(meeting=meeting, said="Letters are hard to read.", recorded_by=lead)
    action = Action.objects.create(
        outcome=outcome, what="Rewrite them", owner=lead, due_on=timezone.localdate()
    )
    MeetingFeedback.objects.create(meeting=meeting, contributor=a, accessible="no", to_change=m["feedback"])
    series = MeetingSeries.objects.create(
        project=project, title="Monthly panel", organiser=lead, frequency="monthly_weekday",
        first_start=timezone.now() + timedelta(days=20), duration=timedelta(hours=1), count=3,
    )
    series.invitees.add(a)
    from projects.services.meetings import calendar_feed_renew

    feed_token = calendar_feed_renew(actor=a)

    claim = claims.claim_create(
        contributor=a,
        project=project,
        actor=a,
        submit=True,
        lines=[line("taxi", description=m["claim"])],
    )
    receipt = Receipt.objects.get(claim=claim)
    approved = claims.claim_create(
        contributor=a,
        project=project,
        actor=a,
        submit=True,
        lines=[line("taxi", description=m["claim"] + " two")],
    )
    claims.claim_approve(claim_id=approved.pk, actor=lead)
    batch = claims.batch_create(actor=admin)
    invitation, _token = _invitation(a, lead)
    reminder = ReminderSent.objects.create(
        kind="claim_prompt",
        content_type_id=_ct(Meeting),
        object_id=meeting.pk,
        subject_key=f"m{meeting.pk}",
        recipient=a,
        occasion="x",
        channel=ReminderSent.Channel.STAFF_TASK,
    )
    task = StaffTask.objects.create(
        reminder=reminder, assigned_to=lead, contributor=a, text=f"Call {m['name']} on {m['phone']}."
    )
    message, _ = group_message_send(
        actor=lead, project=project, meeting=meeting, audience=GroupMessage.Audience.INVITED,
        subject="Papers for the steering group", body="The papers are attached.", form_token=uuid.uuid4(),
        enqueue=lambda pk: None,
    )
    world = World(a=a, b=b, b_member=b_member, lead=lead, outsider=outsider, admin=admin, project=project)
    world.objects = dict(
        piece=piece,
        milestone=milestone,
        budget=budget,
        power=power,
        role=role,
        offer=offer,
        interest=interest,
        meeting=meeting,
        outcome=outcome,
        action=action,
        series=series,
        feed_token=feed_token,
        claim=claim,
        approved=approved,
        receipt=receipt,
        batch=batch,
        invitation=invitation,
        token=_token,
        task=task,
        message=message,
    )
    assert Claim.objects.filter(batch=batch).exists() and PaymentBatch.objects.count() == 1
    return world


def _ct(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def _invitation(a: User, by: User) -> tuple[Invitation, str]:
    token = "security-walk-token-" + "x" * 20
    invitation = Invitation.objects.create(
        email=a.email,
        user=a,
        token_hash=people.hash_token(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=14),
    )
    return invitation, token


def url_kwargs(world: World) -> dict:
    """Path parameters for each named URL: always an object that belongs to A."""
    o = world.objects
    p = world.project.pk
    return {
        "projects:detail": {"pk": p},
        "projects:funder_report": {"pk": p},
        "projects:edit": {"pk": p},
        "projects:suitability": {"pk": p},
        "projects:archive": {"pk": p},
        "projects:unarchive": {"pk": p},
        "projects:piece_create": {"pk": p},
        "projects:piece_edit": {"pk": p, "child_pk": o["piece"].pk},
        "projects:milestone_create": {"pk": p},
        "projects:milestone_edit": {"pk": p, "child_pk": o["milestone"].pk},
        "projects:budget_line_create": {"pk": p},
        "projects:budget_line_edit": {"pk": p, "child_pk": o["budget"].pk},
        "projects:power_imbalance_create": {"pk": p},
        "projects:power_imbalance_edit": {"pk": p, "child_pk": o["power"].pk},
        "projects:meeting_create": {"project_pk": p},
        "projects:outcome_create": {"pk": o["meeting"].pk},
        "projects:action_create": {"pk": o["outcome"].pk},
        "projects:action_done": {"pk": o["action"].pk},
        "projects:project_outcomes": {"pk": p},
        "projects:feedback_give": {"pk": o["meeting"].pk},
        "projects:feedback_results": {"pk": p},
        "projects:series_create": {"project_pk": p},
        **{
            f"projects:series_{name}": {"pk": o["series"].pk}
            for name in ("detail", "edit", "invite", "extend", "end")
        },
        # A's secret calendar address: anyone holding it reads A's meetings, as intended.
        "projects:calendar_feed_ics": {"token": o["feed_token"]},
        "projects:role_create": {"project_pk": p},
        "projects:role_detail": {"pk": o["role"].pk},
        "projects:role_edit": {"pk": o["role"].pk},
        "projects:role_interests": {"pk": o["role"].pk},
        "projects:express_interest": {"pk": o["role"].pk},
        "projects:offer_make": {"pk": o["role"].pk},
        "projects:interest_shortlist": {"pk": o["interest"].pk},
        "projects:interest_turn_down": {"pk": o["interest"].pk},
        "projects:offer_detail": {"pk": o["offer"].pk},
        "projects:offer_respond": {"pk": o["offer"].pk},
        "projects:offer_withdraw": {"pk": o["offer"].pk},
        "expenses:claim_detail": {"pk": o["claim"].pk},
        "expenses:claim_edit": {"pk": o["claim"].pk},
        "expenses:claim_send": {"pk": o["claim"].pk},
        "expenses:claim_delete": {"pk": o["claim"].pk},
        "expenses:claim_answer": {"pk": o["claim"].pk},
        "expenses:claim_withdraw": {"pk": o["claim"].pk},
        "expenses:receipt_add": {"pk": o["claim"].pk},
        "expenses:claim_approve": {"pk": o["claim"].pk},
        "expenses:claim_query": {"pk": o["claim"].pk},
        "expenses:claim_reject": {"pk": o["claim"].pk},
        "expenses:receipt": {"pk": o["receipt"].pk},
        "expenses:batch_detail": {"pk": o["batch"].pk},
        "expenses:batch_csv": {"pk": o["batch"].pk},
        "expenses:batch_remove_claim": {"pk": o["batch"].pk, "claim_pk": o["approved"].pk},
        **{
            f"expenses:{name}": {"pk": o["batch"].pk}
            for name in (
                "bank_file", "bank_file_csv", "journal_csv", "not_in_bank_file_csv", "take_out_unpayable",
            )
        },
        "expenses:paid_letter": {"person_pk": world.a.pk},
        "expenses:record_vouchers": {"pk": o["batch"].pk, "person_pk": world.a.pk},
        "contributors:person_bank_details": {"pk": world.a.pk},
        "contributors:confirm_bank_change": {"pk": world.a.pk},
        "contributors:person_detail": {"pk": world.a.pk},
        "contributors:invitation_accept": {"token": o["token"]},
        "reminders:task_done": {"pk": o["task"].pk},
        "reminders:task_letter": {"pk": o["task"].pk},
        "contributors:give_login": {"pk": world.a.pk},
        "projects:offer_answer_record": {"pk": o["offer"].pk},
        "projects:step_down": {"pk": o["offer"].pk},
        # The role is not advertised and A has no application: these answer 404 to everyone.
        **{f"projects:advert_{name}": {"pk": o["role"].pk} for name in ("detail", "apply", "thanks")},
        **{
            f"projects:application_{name}": {"pk": o["role"].pk}
            for name in ("offer", "shortlist", "turn_down")
        },
        "reminders:message": {"pk": o["message"].pk},
        "reminders:message_project": {"pk": p},
        "reminders:message_meeting": {"pk": o["meeting"].pk},
        **{
            f"projects:meeting_{name}": {"pk": o["meeting"].pk}
            for name in ("detail", "edit", "ics", "papers", "reply", "attendance", "cancel", "reply_record")
        },
    }
