"""A realistic organisation for the benchmark: `bench/seed_scale.py --scale N`.

At N=1: 5,000 contributors (profiles, availability, consented monitoring answers for most),
50 staff, 200 projects (team, budget lines, milestones, roles, offers), 2,000 meetings with
invitations and attendance, 50,000 claims with lines (most paid, in weekly batches; a realistic
share waiting for review or payment) and the reminders already sent for all of it. N=10 is ten
times each.

Speed and memory: rows are plain tuples written straight to each table (COPY on PostgreSQL,
executemany elsewhere) in chunks, with ids given here, one precomputed password hash and no
model instances, services or signals. Only ids and what later rows need are kept, so memory
grows with the number of meetings and people, not with claims or lines.

Everything made here has an email at SCALE_DOMAIN; when such a user exists the builder does
nothing, so running it twice does not double the data. Nothing in the running site imports
this module.
"""

import io
import json
import random
import resource
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.utils import timezone

from contributors.models import Availability, ContributorProfile, EqualityMonitoring, User
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
PASSWORD = "coproduce-demo"
CHUNK = 20_000

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


# --- writing rows -------------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value).translate(_COPY_ESCAPES)
    if isinstance(value, (bytes, memoryview)):
        return "\\\\x" + bytes(value).hex()
    return str(value)


def _stock(field) -> bool:
    """A Django field, or a subclass that stores values the same way (one that only adds
    validators, say): its values go to COPY as they are."""
    base = next(k for k in type(field).__mro__ if k.__module__.startswith("django."))
    return all(getattr(type(field), name) is getattr(base, name)
               for name in ("get_prep_value", "get_db_prep_value", "get_db_prep_save", "pre_save"))


class Table:
    """Rows for one model, written in chunks with ids given here.

    `columns` are the attnames the caller gives for every row, in order; every other column gets
    its model default once (auto_now fields: `now`). A column that has no default and is not
    given is an error here rather than a failed COPY: a new required field must be added to
    the builder."""

    def __init__(self, model, columns, *, now, chunk=CHUNK):
        meta = model._meta
        self.model, self.table, self.chunk = model, meta.db_table, chunk
        self.pk = meta.pk.column
        given = [meta.get_field(name) for name in columns]
        names = {f.attname for f in given}
        rest = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in names]
        fixed = [self._default(model, f, now) for f in rest]
        self.fields = given + rest
        self.columns = [meta.pk.column] + [f.column for f in self.fields]
        self.postgres = connection.vendor == "postgresql"
        # A custom field that stores values its own way (an encrypted one, say) prepares them.
        self.custom = [i for i, f in enumerate(given) if not _stock(f)]
        self.fixed_values = fixed
        self.fixed_text = "".join("\t" + _copy_text(self._prep(f, v))
                                  for f, v in zip(rest, fixed, strict=True))
        self.rows: list = []
        self.count = 0
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX("{self.pk}"), 0) FROM "{self.table}"')
            self.next_id = cursor.fetchone()[0] + 1

    @staticmethod
    def _default(model, field, now):
        if field.has_default():
            if field.unique and callable(field.default):
                raise ImproperlyConfigured(f"{model.__name__}.{field.name}: give each row its own value")
            return field.get_default()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        if field.null:
            return None
        if field.empty_strings_allowed:
            return ""
        raise ImproperlyConfigured(f"{model.__name__}.{field.name} has no default: the builder must give it")

    def _prep(self, field, value):
        if _stock(field) and not isinstance(field, models.JSONField):
            return value
        prepared = field.get_db_prep_save(value, connection)
        return json.dumps(value) if isinstance(field, models.JSONField) and value is not None else prepared

    def add(self, *values) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, values))
        if len(self.rows) >= self.chunk:
            self.flush()
        return pk

    def flush(self):
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                if self.custom:
                    fields = self.fields
                    self.rows = [(pk, tuple(self._prep(fields[i], v) if i in self.custom else v
                                            for i, v in enumerate(values))) for pk, values in self.rows]
                fixed = self.fixed_text + "\n"
                text = "".join(
                    str(pk) + "\t" + "\t".join([_copy_text(v) for v in values]) + fixed
                    for pk, values in self.rows
                )
                columns = ", ".join(f'"{c}"' for c in self.columns)
                cursor.cursor.copy_expert(f'COPY "{self.table}" ({columns}) FROM STDIN', io.StringIO(text))
            else:
                fields = self.fields
                placeholders = ", ".join(["%s"] * len(self.columns))
                columns = ", ".join(f'"{c}"' for c in self.columns)
                cursor.executemany(
                    f'INSERT INTO "{self.table}" ({columns}) VALUES ({placeholders})',
                    [[pk, *(f.get_db_prep_save(v, connection)
                            for f, v in zip(fields, (*values, *self.fixed_values), strict=True))]
                     for pk, values in self.rows],
                )
        self.count += len(self.rows)
        self.rows = []

    def close(self) -> int:
        self.flush()
        if self.postgres and self.count:
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                               [f'"{self.table}"', self.pk, self.next_id - 1])
        return self.count


# --- the organisation ---------------------------------------------------------------------------


def analyze(step) -> None:
    """As autovacuum would do soon after: without statistics for a million new rows the planner
    picks plans no running site would use."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        step("statistics (ANALYZE)", 1)


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
    password = make_password(PASSWORD)  # one hash for everyone: hashing is the slow part
    made: dict = {}

    def table(model, *columns):
        return Table(model, columns, now=now)

    def step(label, count):
        made[label] = count
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        log(f"  {label}: {count} ({time.monotonic() - started:.1f}s, peak memory {rss} MB)")

    with transaction.atomic():
        # --- people -------------------------------------------------------------------------
        users = table(User, "email", "name", "is_staff", "is_finance", "password", "date_joined")
        staff = [
            users.add(f"staff{i}@{SCALE_DOMAIN}", f"{rnd.choice(FIRST)} {rnd.choice(LAST)} (staff)", True,
                      i < 2, password, now - timedelta(days=400))
            for i in range(size["staff"])
        ]
        people = [
            users.add(f"contributor{i}@{SCALE_DOMAIN}", f"{rnd.choice(FIRST)} {rnd.choice(LAST)}", False,
                      False, password, now - timedelta(days=rnd.randint(1, 700)))
            for i in range(size["contributors"])
        ]
        users.close()
        step("staff", len(staff))
        contact = ["email"] * 8 + ["phone", "post"]
        payment = ["paid"] * 7 + ["vouchers", "vouchers", "expenses_only"]
        travel = ["car", "car", "public_transport", "public_transport", "bicycle", "walk", "taxi"]
        profiles = table(ContributorProfile, "user_id", "contact_method", "payment_preference", "interests",
                         "lived_experience", "usual_travel_mode", "usual_journey_miles", "phone")
        slots = table(Availability, "profile_id", "weekday", "part_of_day")
        every_slot = [(d, p) for d in range(7) for p in ("morning", "afternoon", "evening")]
        monitoring = table(EqualityMonitoring, "user_id", "consent_given_at", "age_band", "gender",
                           "ethnic_group", "disability", "carer")
        answers = {name: [value for value, _label in EqualityMonitoring._meta.get_field(name).choices] + [""]
                   for name in EqualityMonitoring.REPORTED_FIELDS}
        for person in people:
            profile = profiles.add(person, rnd.choice(contact), rnd.choice(payment),
                                   ", ".join(rnd.sample(TOPICS, 2)), rnd.choice(TOPICS), rnd.choice(travel),
                                   Decimal(rnd.randint(2, 40)),
                                   "01632 960000")
            for weekday, part in rnd.sample(every_slot, 3):
                slots.add(profile, weekday, part)
            if rnd.random() < 0.6:  # most answer the optional monitoring questions
                monitoring.add(person, now - timedelta(days=rnd.randint(1, 600)),
                               *(rnd.choice(answers[name]) for name in EqualityMonitoring.REPORTED_FIELDS))
        profiles.close()
        slots.close()
        made["monitoring answers"] = monitoring.close()
        step("contributors", len(people))

        # --- projects -----------------------------------------------------------------------
        statuses = ["active"] * 6 + ["planning", "idea", "closed"]
        project_rows = table(Project, "title", "summary", "status", "lead_id", "start_date", "end_date",
                             "involvement_level", "open_decisions", "fixed_decisions", "can_achieve",
                             "cannot_achieve", "created_at")
        projects, lead_of = [], {}
        for i in range(size["projects"]):
            lead = staff[i % len(staff)]
            pk = project_rows.add(
                f"Scale project {i}: {rnd.choice(TOPICS)}", "Benchmark data.", rnd.choice(statuses), lead,
                today - timedelta(days=rnd.randint(30, 400)), today + timedelta(days=rnd.randint(30, 400)),
                "involve", "Wording and format.", "Budget.", "Better services.", "More money.",
                now - timedelta(days=400))
            projects.append(pk)
            lead_of[pk] = lead
        project_rows.close()
        team = table(Project.team.through, "project_id", "user_id")
        for i, project in enumerate(projects):
            for pk in sorted({staff[(i + k) % len(staff)] for k in (1, 2, 3)} - {lead_of[project]}):
                team.add(project, pk)
        team.close()
        budget = table(BudgetLine, "project_id", "kind", "amount", "description")
        budget_of = {}  # project id -> (time line id, travel line id)
        for project in projects:
            ids = [budget.add(project, kind, Decimal(amount), f"{kind} budget")
                   for kind, amount in (("time", "20000.00"), ("travel", "8000.00"), ("other", "2000.00"))]
            budget_of[project] = (ids[0], ids[1])
        budget.close()
        milestones = table(Milestone, "project_id", "title", "due_date", "done")
        pieces = table(PieceOfWork, "project_id", "title", "involvement_level")
        role_rows = table(Role, "project_id", "title", "purpose", "activities", "time_commitment",
                          "payment_terms", "selection_method", "status", "advertised", "closing_date")
        version_rows = table(RoleVersion, "role_id", "number", "description", "created_at")
        roles_of = {}  # project id -> [(role id, version id)] for its three roles
        for project in projects:
            for k in range(4):
                milestones.add(project, f"Milestone {k}", today + timedelta(days=60 * k - 90), k < 2)
            pieces.add(project, "Main piece of work", "involve")
            roles_of[project] = []
            for k in range(3):
                title = f"Patient partner {k + 1}"
                role = role_rows.add(project, title, "Bring lived experience.", "Meetings and reading.",
                                     "Two hours a month.", "Time and travel paid.", "expression_of_interest",
                                     "open" if k == 2 else "filled",
                                     # One open role in five is advertised on the public list.
                                     k == 2 and project % 5 == 0, today + timedelta(days=10 + project % 30))
                version = version_rows.add(role, 1, {"title": title}, now - timedelta(days=400))
                roles_of[project].append((role, version))
        milestones.close()
        pieces.close()
        role_rows.close()
        version_rows.close()
        step("projects", len(projects))

        # Each contributor holds an accepted role on one project; one in ten has an offer waiting
        # on another.
        claim_type = ContentType.objects.get_for_model(Claim).pk
        meeting_type = ContentType.objects.get_for_model(Meeting).pk
        offer_type = ContentType.objects.get_for_model(RoleOffer).pk
        history = table(ReminderSent, "kind", "content_type_id", "object_id", "subject_key", "recipient_id",
                        "occasion", "status", "attempts", "message_subject", "created_at", "last_attempt_at",
                        "sent_at")

        def sent(kind, type_id, label, pk, recipient, occasion, subject, at):
            history.add(kind, type_id, pk, f"{label}:{pk}", recipient, occasion, "sent", 1, subject,
                        at, at, at)

        offers = table(RoleOffer, "role_id", "contributor_id", "offered_version_id", "accepted_version_id",
                       "status", "offered_by_id", "offered_at", "responded_at")
        pool = defaultdict(list)  # project id -> contributors with a role there
        for i, person in enumerate(people):
            project = projects[i % len(projects)]
            role, version = roles_of[project][(i // len(projects)) % 2]
            offered = now - timedelta(days=rnd.randint(20, 300))
            offers.add(role, person, version, version, "accepted", lead_of[project], offered,
                       offered + timedelta(days=3))
            pool[project].append(person)
            if i % 10 == 0:
                other = projects[(i + 7) % len(projects)]
                role, version = roles_of[other][2]
                offered = now - timedelta(days=rnd.randint(1, 30))
                offer = offers.add(role, person, version, None, "offered", lead_of[other], offered, None)
                sent("offer_made", offer_type, "projects.roleoffer", offer, person, f"version:{version}",
                     "You have been offered a role", offered)
        made["offers"] = offers.close()
        step("offers", made["offers"])

        # --- meetings -----------------------------------------------------------------------
        meeting_rows = table(Meeting, "project_id", "title", "organiser_id", "start", "end", "venue",
                             "online_link", "papers_sent_on", "attendance_recorded_at",
                             "attendance_recorded_by_id", "created_at")
        invitation_rows = table(MeetingInvitation, "meeting_id", "contributor_id", "reply", "attended",
                                "invited_at")
        # What claims need from an attended meeting: (contributor, project, meeting id, its start).
        sources = []
        for i in range(size["meetings"]):
            project = projects[i % len(projects)]
            lead = lead_of[project]
            start = (now - timedelta(days=rnd.randint(-60, 365))).replace(hour=rnd.choice([9, 10, 14, 18]),
                                                                           minute=0, second=0)
            past = start < now
            created = start - timedelta(days=30)
            title = f"Working group {i}"
            meeting = meeting_rows.add(
                project, title, lead, start, start + timedelta(hours=2), "Education Centre" if i % 3 else "",
                "https://meet.example.org/wg" if i % 3 != 1 else "",
                (start - timedelta(days=8)).date() if i % 5 else None,
                start + timedelta(days=1) if past else None, lead if past else None, created)
            for person in rnd.sample(pool[project], min(8, len(pool[project]))):
                reply = rnd.choices(["attending", "not_attending", "no_reply"], [7, 1, 2])[0]
                attended = (reply == "attending" and rnd.random() < 0.9) if past else None
                invitation_rows.add(meeting, person, reply, attended, created)
                if attended and rnd.random() < 0.85:
                    sources.append((person, project, meeting, start))
                if reply != "not_attending":
                    sent("meeting_invited", meeting_type, "projects.meeting", meeting, person, "invited",
                         f"You are invited: {title}", created)
                    if past:
                        sent("meeting_day_before", meeting_type, "projects.meeting", meeting, person,
                             start.isoformat(), f"Tomorrow: {title}", start - timedelta(days=1))
        meeting_rows.close()
        made["invitations"] = invitation_rows.close()
        step("meetings", size["meetings"])

        # --- claims -------------------------------------------------------------------------
        # Most attended meetings get a claim; the rest are claims for other work on the project.
        # Paid claims go into weekly batches, as finance does; a batch's id is known before it
        # is written (foreign keys are checked at commit), so claims stream straight out.
        batches = table(PaymentBatch, "reference", "status", "paid_on", "created_by_id", "paid_by_id",
                        "created_at")
        first_batch = batches.next_id
        monday = today - timedelta(days=today.weekday())

        claim_rows = table(Claim, "project_id", "contributor_id", "meeting_id", "status", "entered_by_id",
                           "payment_preference", "created_at", "submitted_at", "time_amount",
                           "expenses_amount", "total", "reviewed_by_id", "approved_at", "paid_at",
                           "rejection_reason", "batch_id")
        line_rows = table(ClaimLine, "claim_id", "kind", "date", "description", "quantity", "rate", "amount",
                          "budget_line_id")
        paid_weeks = Counter()
        statuses_made = Counter()
        time_amount, expenses_amount, total = Decimal("50.00"), Decimal("4.50"), Decimal("54.50")
        hours, miles, hourly, mileage = Decimal("2"), Decimal("10"), Decimal("25.00"), Decimal("0.45")
        for k in range(size["claims"]):
            if k < len(sources):
                person, project, meeting, when = sources[k]
            else:
                i = rnd.randrange(len(people))
                person, project, meeting = people[i], projects[i % len(projects)], None
                when = now - timedelta(days=rnd.randint(1, 365), hours=rnd.randint(0, 9))
            submitted = when + timedelta(days=rnd.randint(1, 10))
            if submitted > now:
                submitted = now - timedelta(hours=rnd.randint(1, 48))
            age = (now - submitted).days
            if age > 30:
                status = rnd.choices(["paid", "rejected", "draft"], [95, 3, 2])[0]
            else:
                status = rnd.choices(["submitted", "approved", "paid", "queried", "draft"],
                                     [35, 25, 25, 7, 8])[0]
            statuses_made[status] += 1
            reviewer = approved = paid = batch = None
            if status in ("approved", "paid", "rejected"):
                reviewer = staff[rnd.randrange(len(staff))]
            if status in ("approved", "paid"):
                approved = submitted + timedelta(days=min(age, rnd.randint(1, 5)))
            if status == "paid":
                paid = min(approved + timedelta(days=rnd.randint(3, 12)), now)
                week = (monday - (paid.date() - timedelta(days=paid.weekday()))).days // 7
                paid_weeks[week] += 1
                batch = first_batch + week
            claim = claim_rows.add(
                project, person, meeting, status, person, "paid", submitted,
                None if status == "draft" else submitted, time_amount, expenses_amount, total, reviewer,
                approved, paid, "This was not part of the role." if status == "rejected" else "", batch)
            day = when.date()
            time_line, travel_line = budget_of[project]
            line_rows.add(claim, "time_hours", day, "Meeting", hours, hourly, time_amount, time_line)
            line_rows.add(claim, "mileage_car", day, "Home and back", miles, mileage, expenses_amount,
                          travel_line)
            if paid:
                sent("claim_paid", claim_type, "expenses.claim", claim, person, "paid",
                     "Your claim has been paid", paid)
        made["claims"] = claim_rows.close()
        made["claim lines"] = line_rows.close()
        del sources
        # The batches, one per week with a paid claim (weeks counted back from this one).
        finance = staff[0]
        for week in range(max(paid_weeks, default=-1) + 1):
            day = monday - timedelta(weeks=week)
            batches.next_id = first_batch + week
            if paid_weeks[week]:
                batches.add(f"BACS-{day:%Y%m%d}", "paid", day, finance, finance,
                            datetime.combine(day, datetime.min.time(), UTC))
        made["batches"] = batches.close()
        step("claims", made["claims"])
        made["reminders sent"] = history.close()
        step("reminders sent", made["reminders sent"])
        # Written straight to the tables, not by the services that keep each person's first
        # involvement (contributors/involvement.py): worked out once here, as the backfill does.
        from contributors.involvement import first_involvement_refresh

        # Statistics first: without them this one UPDATE read every claim line once per person
        # (more than 8 minutes at N=10 instead of seconds).
        analyze(step)
        made["first involvement"] = first_involvement_refresh(None)
        step("first involvement", made["first involvement"])
    analyze(step)
    made["claim statuses"] = dict(statuses_made)
    made["seconds"] = round(time.monotonic() - started, 1)
    made["peak memory MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return made
