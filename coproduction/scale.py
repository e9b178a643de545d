"""A realistic organisation for the benchmark: `seed_demo --scale N`.

At N=1: about 5,000 contributors (profiles and availability), 50 staff, 200 projects (team,
budget lines, milestones, roles, offers), 2,000 meetings with invitations and attendance,
50,000 claims with lines (most paid, in weekly batches; a realistic share waiting for review
or payment) and reminders history. Rows are written with bulk_create in batches, with one
precomputed password hash and no services or signals, so N=1 takes well under 3 minutes.

Everything made here has an email at SCALE_DOMAIN; when such a user exists the builder does
nothing, so running it twice does not double the data.
"""

import random
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from contributors.models import Availability, ContributorProfile, User
from expenses.models import Claim, ClaimLine, PaymentBatch
from projects.models import (
    BudgetLine,
    Meeting,
    MeetingInvitation,
    Milestone,
    PieceOfWork,
    Project,
    Role,
    RoleOffer,
    RoleVersion,
)
from reminders.models import ReminderSent

SCALE_DOMAIN = "scale.example.org"
BATCH = 2000

FIRST = ["Zoë", "Amara", "Bartłomiej", "Siân", "Mohammed", "Chloé", "Niamh", "Rajesh", "Grace", "Tomás",
         "Li", "Fatima", "Dafydd", "Ewa", "Kwame", "Ingrid", "José", "Aoife", "Olamide", "Hannah"]
LAST = ["O'Brien", "Okafor", "Nowak", "Llewellyn", "Al-Rashid", "Dubois", "Ní Bhriain", "Kumar",
        "Mensah", "Ó Ceallaigh", "Wei", "Hussain", "Jones", "Kowalczyk", "Asante", "Sørensen"]
TOPICS = ["diabetes", "mental health", "maternity care", "dementia", "stroke", "cancer screening",
          "carers", "kidney care", "sickle cell", "hearing loss", "long covid", "end of life care"]


def scale_exists() -> bool:
    return User.objects.filter(email__endswith=f"@{SCALE_DOMAIN}").exists()


def counts(n: float) -> dict:
    def c(base, least=1):
        return max(least, round(base * n))

    return {
        "contributors": c(5000, 10),
        "staff": c(50, 3),
        "projects": c(200, 2),
        "meetings": c(2000, 4),
        "claims": c(50000, 20),
    }


def _bulk(model, objs):
    return model.objects.bulk_create(objs, batch_size=BATCH)


def build(n: float = 1.0, *, seed: int = 8, log=print) -> dict:
    """Create the organisation; returns how many of each thing were made (empty if it exists)."""
    if scale_exists():
        log(f"Scale data already present (@{SCALE_DOMAIN}); nothing to do.")
        return {}
    rnd = random.Random(seed)
    size = counts(n)
    started = time.monotonic()
    now = timezone.now().astimezone(UTC).replace(microsecond=0)
    today = now.date()
    password = make_password("coproduce-demo")  # one hash for everyone: hashing is the slow part
    made: dict = {}

    def step(label, count):
        made[label] = count
        log(f"  {label}: {count} ({time.monotonic() - started:.1f}s)")

    with transaction.atomic():
        # --- people -------------------------------------------------------------------------
        staff = _bulk(User, [
            User(email=f"staff{i}@{SCALE_DOMAIN}", name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)} (staff)",
                 is_staff=True, is_finance=i < 2, password=password, date_joined=now - timedelta(days=400))
            for i in range(size["staff"])
        ])
        people = _bulk(User, [
            User(email=f"contributor{i}@{SCALE_DOMAIN}", name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                 password=password, date_joined=now - timedelta(days=rnd.randint(1, 700)))
            for i in range(size["contributors"])
        ])
        step("staff", len(staff))
        contact = ["email"] * 8 + ["phone", "post"]
        payment = ["paid"] * 7 + ["vouchers", "vouchers", "expenses_only"]
        travel = ["car", "car", "public_transport", "public_transport", "bicycle", "walk", "taxi"]
        profiles = _bulk(ContributorProfile, [
            ContributorProfile(
                user=person, contact_method=rnd.choice(contact), payment_preference=rnd.choice(payment),
                interests=", ".join(rnd.sample(TOPICS, 2)), lived_experience=rnd.choice(TOPICS),
                usual_travel_mode=rnd.choice(travel), usual_journey_miles=Decimal(rnd.randint(2, 40)),
                phone="01632 960000",
            )
            for person in people
        ])
        slots = []
        for profile in profiles:
            for weekday, part in rnd.sample([(d, p) for d in range(7) for p in ("morning", "afternoon",
                                                                                "evening")], 3):
                slots.append(Availability(profile=profile, weekday=weekday, part_of_day=part))
        _bulk(Availability, slots)
        step("contributors", len(people))

        # --- projects -----------------------------------------------------------------------
        statuses = ["active"] * 6 + ["planning", "idea", "closed"]
        projects = _bulk(Project, [
            Project(
                title=f"Scale project {i}: {rnd.choice(TOPICS)}", summary="Benchmark data.",
                status=rnd.choice(statuses), lead=staff[i % len(staff)],
                start_date=today - timedelta(days=rnd.randint(30, 400)),
                end_date=today + timedelta(days=rnd.randint(30, 400)), involvement_level="involve",
                open_decisions="Wording and format.", fixed_decisions="Budget.",
                can_achieve="Better services.", cannot_achieve="More money.",
                created_at=now - timedelta(days=400),
            )
            for i in range(size["projects"])
        ])
        Team = Project.team.through
        team = []
        for i, project in enumerate(projects):
            members = {staff[(i + k) % len(staff)].pk for k in (1, 2, 3)} - {project.lead_id}
            team += [Team(project_id=project.pk, user_id=pk) for pk in members]
        _bulk(Team, team)
        budget, lines_by_project = [], {}
        for project in projects:
            for kind, amount in (("time", "20000.00"), ("travel", "8000.00"), ("other", "2000.00")):
                budget.append(BudgetLine(project=project, kind=kind, amount=Decimal(amount),
                                         description=f"{kind} budget"))
        for line in _bulk(BudgetLine, budget):
            lines_by_project.setdefault(line.project_id, {})[line.kind] = line
        _bulk(Milestone, [
            Milestone(project=p, title=f"Milestone {k}", due_date=today + timedelta(days=60 * k - 90),
                      done=k < 2)
            for p in projects for k in range(4)
        ])
        _bulk(PieceOfWork, [PieceOfWork(project=p, title="Main piece of work", involvement_level="involve")
                            for p in projects])
        roles = _bulk(Role, [
            Role(project=p, title=f"Patient partner {k + 1}", purpose="Bring lived experience.",
                 activities="Meetings and reading.", time_commitment="Two hours a month.",
                 payment_terms="Time and travel paid.", selection_method="expression_of_interest",
                 status="open" if k == 2 else "filled")
            for p in projects for k in range(3)
        ])
        versions = _bulk(RoleVersion, [RoleVersion(role=r, number=1, description={"title": r.title})
                                       for r in roles])
        step("projects", len(projects))

        # Each contributor holds an accepted role on one project; one in ten has an offer waiting
        # on another.
        roles_of = defaultdict(list)
        for role, version in zip(roles, versions, strict=True):
            roles_of[role.project_id].append((role, version))
        pool = defaultdict(list)  # project id -> contributors with a role there
        offers = []
        for i, person in enumerate(people):
            project = projects[i % len(projects)]
            role, version = roles_of[project.pk][(i // len(projects)) % 2]
            offered = now - timedelta(days=rnd.randint(20, 300))
            offers.append(RoleOffer(role=role, contributor=person, offered_version=version,
                                    accepted_version=version, status="accepted", offered_by=project.lead,
                                    offered_at=offered, responded_at=offered + timedelta(days=3)))
            pool[project.pk].append(person)
            if i % 10 == 0:
                other = projects[(i + 7) % len(projects)]
                role, version = roles_of[other.pk][2]
                offers.append(RoleOffer(role=role, contributor=person, offered_version=version,
                                        status="offered", offered_by=other.lead,
                                        offered_at=now - timedelta(days=rnd.randint(1, 30))))
        _bulk(RoleOffer, offers)
        step("offers", len(offers))

        # --- meetings -----------------------------------------------------------------------
        meetings = []
        for i in range(size["meetings"]):
            project = projects[i % len(projects)]
            start = (now - timedelta(days=rnd.randint(-60, 365))).replace(hour=rnd.choice([9, 10, 14, 18]),
                                                                           minute=0, second=0)
            meetings.append(Meeting(
                project=project, title=f"Working group {i}", organiser=project.lead, start=start,
                end=start + timedelta(hours=2), venue="Education Centre" if i % 3 else "",
                online_link="https://meet.example.org/wg" if i % 3 != 1 else "",
                papers_sent_on=(start - timedelta(days=8)).date() if i % 5 else None,
                attendance_recorded_at=start + timedelta(days=1) if start < now else None,
                attendance_recorded_by=project.lead if start < now else None,
                created_at=start - timedelta(days=30),
            ))
        meetings = _bulk(Meeting, meetings)
        invitations = []
        for meeting in meetings:
            past = meeting.start < now
            for person in rnd.sample(pool[meeting.project_id], min(8, len(pool[meeting.project_id]))):
                reply = rnd.choices(["attending", "not_attending", "no_reply"], [7, 1, 2])[0]
                invitations.append(MeetingInvitation(
                    meeting=meeting, contributor=person, reply=reply,
                    attended=(reply == "attending" and rnd.random() < 0.9) if past else None,
                    invited_at=meeting.created_at,
                ))
        _bulk(MeetingInvitation, invitations)
        step("meetings", len(meetings))
        made["invitations"] = len(invitations)

        # --- claims -------------------------------------------------------------------------
        # Most attended meetings get a claim; the rest are claims for other work on the project.
        by_id = {m.pk: m for m in meetings}
        sources = [(inv.contributor, by_id[inv.meeting_id].project_id, by_id[inv.meeting_id])
                   for inv in invitations if inv.attended and rnd.random() < 0.85]
        sources = sources[: size["claims"]]
        while len(sources) < size["claims"]:
            i = rnd.randrange(len(people))
            sources.append((people[i], projects[i % len(projects)].pk, None))
        claims = []
        for person, project_id, meeting in sources:
            ago = timedelta(days=rnd.randint(1, 365), hours=rnd.randint(0, 9))
            when = meeting.start if meeting else now - ago
            submitted = when + timedelta(days=rnd.randint(1, 10))
            if submitted > now:
                submitted = now - timedelta(hours=rnd.randint(1, 48))
            age = (now - submitted).days
            if age > 30:
                status = rnd.choices(["paid", "rejected", "draft"], [95, 3, 2])[0]
            else:
                status = rnd.choices(["submitted", "approved", "paid", "queried", "draft"],
                                     [35, 25, 25, 7, 8])[0]
            claim = Claim(project_id=project_id, contributor=person, meeting=meeting, status=status,
                          entered_by=person, payment_preference="paid", created_at=submitted,
                          submitted_at=None if status == "draft" else submitted,
                          time_amount=Decimal("50.00"), expenses_amount=Decimal("4.50"),
                          total=Decimal("54.50"))
            if status in ("approved", "paid", "rejected"):
                claim.reviewed_by_id = staff[rnd.randrange(len(staff))].pk
            if status in ("approved", "paid"):
                claim.approved_at = submitted + timedelta(days=min(age, rnd.randint(1, 5)))
            if status == "paid":
                claim.paid_at = min(claim.approved_at + timedelta(days=rnd.randint(3, 12)), now)
            if status == "rejected":
                claim.rejection_reason = "This was not part of the role."
            claims.append(claim)
        # Paid claims go into weekly batches, like finance does.
        weeks = defaultdict(list)
        for claim in claims:
            if claim.status == "paid":
                weeks[claim.paid_at.date() - timedelta(days=claim.paid_at.weekday())].append(claim)
        finance = staff[0]
        batches = _bulk(PaymentBatch, [
            PaymentBatch(reference=f"BACS-{week:%Y%m%d}", status="paid", paid_on=week, created_by=finance,
                         paid_by=finance, created_at=datetime.combine(week, datetime.min.time(), UTC))
            for week in sorted(weeks)
        ])
        for batch, week in zip(batches, sorted(weeks), strict=True):
            for claim in weeks[week]:
                claim.batch = batch
        claims = _bulk(Claim, claims)
        step("claims", len(claims))
        made["batches"] = len(batches)
        claim_lines = []
        for claim in claims:
            day = (claim.meeting.start if claim.meeting else claim.created_at).date()
            budget = lines_by_project[claim.project_id]
            claim_lines.append(ClaimLine(
                claim=claim, kind="time_hours", date=day, description="Meeting", quantity=Decimal("2"),
                rate=Decimal("25.00"), amount=Decimal("50.00"), budget_line=budget["time"]))
            claim_lines.append(ClaimLine(
                claim=claim, kind="mileage_car", date=day, description="Home and back",
                quantity=Decimal("10"),
                rate=Decimal("0.45"), amount=Decimal("4.50"), budget_line=budget["travel"]))
        _bulk(ClaimLine, claim_lines)
        step("claim lines", len(claim_lines))

        # --- reminders history --------------------------------------------------------------
        claim_type = ContentType.objects.get_for_model(Claim)
        meeting_type = ContentType.objects.get_for_model(Meeting)
        history = [
            ReminderSent(kind="claim_paid", content_type=claim_type, object_id=c.pk,
                         subject_key=f"expenses.claim:{c.pk}", recipient=c.contributor, occasion="paid",
                         status="sent", attempts=1, message_subject="Your claim has been paid",
                         created_at=c.paid_at, last_attempt_at=c.paid_at, sent_at=c.paid_at)
            for c in claims if c.status == "paid"
        ]
        for inv in invitations:
            meeting = by_id[inv.meeting_id]
            if meeting.start < now and inv.reply != "not_attending":
                at = meeting.start - timedelta(days=1)
                history.append(ReminderSent(
                    kind="meeting_day_before", content_type=meeting_type, object_id=meeting.pk,
                    subject_key=f"projects.meeting:{meeting.pk}", recipient_id=inv.contributor_id,
                    occasion=meeting.start.isoformat(), status="sent", attempts=1,
                    message_subject=f"Tomorrow: {meeting.title}", created_at=at, last_attempt_at=at,
                    sent_at=at,
                ))
        _bulk(ReminderSent, history)
        step("reminders sent", len(history))
    made["seconds"] = round(time.monotonic() - started, 1)
    return made
