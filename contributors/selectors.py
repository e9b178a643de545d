"""Reads about people."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.search import search_terms

from .models import AccessFeature, Invitation
from .services import hash_token


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("user").filter(token_hash=hash_token(token)).first()


# --- pool, reach report, monitoring aggregates, personal data (contributors issue) ---
def involvement_cutoff():
    from django.utils import timezone

    return timezone.now() - timedelta(days=365)


def contributors_queryset():
    """Everyone who is a public contributor and still with us."""
    from .models import User

    return User.objects.filter(is_staff=False, is_active=True, anonymised_at__isnull=True)


def annotate_involvement(queryset, *, since=None):
    """Add recent_roles, recent_meetings, recent_total (last 12 months) and ever_total.

    A role counts while it runs: accepted, and not finished before the cut-off. A meeting
    counts when attendance was recorded. Read through the user's reverse relations, so this
    floor does not import projects/. Subqueries keep the counts exact and the query single.
    """
    from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    since = since or involvement_cutoff()
    model = queryset.model
    offers = model.role_offers.rel.related_model
    invitations = model.meeting_invitations.rel.related_model

    def counted(qs):
        return Coalesce(
            Subquery(
                qs.order_by().values("contributor_id").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    accepted = offers.objects.filter(contributor_id=OuterRef("pk"), status="accepted")
    attended = invitations.objects.filter(contributor_id=OuterRef("pk"), attended=True)
    return queryset.annotate(
        recent_roles=counted(accepted.filter(Q(role__end_date__isnull=True) | Q(role__end_date__gte=since))),
        recent_meetings=counted(attended.filter(meeting__start__gte=since)),
        ever_roles=counted(accepted),
        ever_meetings=counted(attended),
    ).annotate(
        recent_total=F("recent_roles") + F("recent_meetings"),
        ever_total=F("ever_roles") + F("ever_meetings"),
    )


def contributor_pool(*, search: str = ""):
    """Staff list of contributors: name, email, interests or lived experience contain the words."""
    from django.db.models import Prefetch

    from .models import Availability

    # Profiles are fetched for the page's people only (no join), so ORDER BY name LIMIT 25
    # walks the contributor_pool_order index instead of sorting everyone (bench/).
    queryset = contributors_queryset().prefetch_related(
        "profile",
        Prefetch("profile__availability", queryset=Availability.objects.order_by("weekday", "part_of_day")),
    )
    queryset = people_matching(queryset, search)
    return annotate_involvement(queryset).order_by("name", "email")


def people_matching(queryset, search: str):
    """Each word in the name, email, interests or lived experience, ignoring case and accents
    ("Zoe" finds "Zoë")."""
    from django.db.models import Q

    from core.search import contains_folded

    for word in search_terms(search).words:
        queryset = queryset.filter(
            Q(contains_folded("name", word))
            | Q(contains_folded("preferred_name", word))
            | Q(email__icontains=word)
            | Q(contains_folded("profile__interests", word))
            | Q(contains_folded("profile__lived_experience", word))
        )
    return queryset


def contributor_for_staff(*, pk: int):
    """One contributor as staff see them (never their monitoring answers), or 404."""
    from django.shortcuts import get_object_or_404

    from .models import User

    queryset = User.objects.filter(is_staff=False).select_related("profile")
    return get_object_or_404(annotate_involvement(queryset), pk=pk)


@dataclass
class ReachReport:
    people: list  # the most involved first, at most REACH_TABLE_ROWS (the CSV has everyone)
    buckets: list  # (label, count of people, percent of people)
    total_people: int
    total_involvements: int
    involved_people: int
    top_tenth_people: int
    top_tenth_share: int  # percent of all involvements
    monitoring: list


BUCKETS = [
    ("None", 0, 0), ("1", 1, 1), ("2", 2, 2), ("3 or 4", 3, 4), ("5 to 9", 5, 9), ("10 or more", 10, None),
]
REACH_TABLE_ROWS = 50


@dataclass(frozen=True)
class Involvement:
    pk: int
    name: str
    email: str
    recent_roles: int
    recent_meetings: int
    recent_total: int


def _involvement_sql(*, since=None) -> tuple[str, list]:
    """A WITH clause naming `involvement` (id, name, email, recent_roles, recent_meetings,
    recent_total) for every contributor: the same counts as annotate_involvement, but grouped
    once over offers and invitations instead of four subqueries per person, so the reach report
    reads 50,000 people in one pass. The parts are written by the ORM; only the joins are SQL."""
    from django.db.models import Count, Q

    since = since or involvement_cutoff()
    people = contributors_queryset()
    model = people.model
    offers = model.role_offers.rel.related_model
    invitations = model.meeting_invitations.rel.related_model
    roles = (
        offers.objects.filter(status="accepted")
        .filter(Q(role__end_date__isnull=True) | Q(role__end_date__gte=since))
        .order_by().values("contributor_id").annotate(n=Count("pk"))
    )
    meetings = (
        invitations.objects.filter(attended=True, meeting__start__gte=since)
        .order_by().values("contributor_id").annotate(n=Count("pk"))
    )
    parts = [people.order_by().values("pk", "name", "email"), roles, meetings]
    compiled = [part.query.sql_with_params() for part in parts]
    sql = (
        "WITH people (id, name, email) AS ({}), roles (contributor_id, n) AS ({}),"
        " meetings (contributor_id, n) AS ({}), involvement AS ("
        " SELECT people.id, people.name, people.email,"
        " COALESCE(roles.n, 0) AS recent_roles, COALESCE(meetings.n, 0) AS recent_meetings,"
        " COALESCE(roles.n, 0) + COALESCE(meetings.n, 0) AS recent_total"
        " FROM people LEFT JOIN roles ON roles.contributor_id = people.id"
        " LEFT JOIN meetings ON meetings.contributor_id = people.id)"
    ).format(*(text for text, _params in compiled))
    return sql, [param for _text, params in compiled for param in params]


def involvement_rows(*, limit: int | None = None, chunk: int = 2000):
    """Every contributor's involvement in the last 12 months, most involved first (then by
    name), read in chunks through a server-side cursor: for the reach report's table and CSV."""
    from django.db import connection

    sql, params = _involvement_sql()
    sql += " SELECT * FROM involvement ORDER BY recent_total DESC, name, email, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from (Involvement(*row) for row in rows)


def reach_report() -> ReachReport:
    """The spread of involvement, worked out in the database in one query: the table's
    REACH_TABLE_ROWS most involved people, each row carrying the totals, buckets and the top
    tenth's sum as window aggregates over everyone. Python sees only those rows."""
    from django.db import connection

    sql, params = _involvement_sql()
    counts = []
    for _label, low, high in BUCKETS:
        counts.append(
            f"COUNT(*) FILTER (WHERE recent_total >= {low:d}"
            + (f" AND recent_total <= {high:d}) OVER ()" if high is not None else ") OVER ()")
        )
    # The most-involved 10% of contributors (at least one person when there is anyone).
    sql += (
        ", ranked AS (SELECT involvement.*, COUNT(*) OVER () AS everyone,"
        " ROW_NUMBER() OVER (ORDER BY recent_total DESC, name, email, id) AS place FROM involvement)"
        " SELECT id, name, email, recent_roles, recent_meetings, recent_total,"
        " everyone, COALESCE(SUM(recent_total) OVER (), 0), COUNT(*) FILTER (WHERE recent_total > 0) OVER (),"
        " COALESCE(SUM(recent_total) FILTER (WHERE place <= CEIL(everyone / 10.0)) OVER (), 0), "
        + ", ".join(counts) + f" FROM ranked ORDER BY place LIMIT {REACH_TABLE_ROWS:d}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    people = [Involvement(*row[:6]) for row in rows]
    total_people, total_involvements, involved, top_sum, *bucket_counts = (
        rows[0][6:] if rows else (0, 0, 0, 0, *(0 for _ in BUCKETS))
    )
    buckets = [
        (label, count, round(100 * count / total_people) if total_people else 0)
        for (label, _low, _high), count in zip(BUCKETS, bucket_counts, strict=True)
    ]
    top_n = max(1, -(-total_people // 10)) if total_people else 0
    share = round(100 * top_sum / total_involvements) if total_involvements else 0
    return ReachReport(
        people=people,
        buckets=buckets,
        total_people=total_people,
        total_involvements=total_involvements,
        involved_people=involved,
        top_tenth_people=top_n,
        top_tenth_share=share,
        monitoring=monitoring_aggregates(),
    )


def monitoring_aggregates(*, people=None) -> list[dict]:
    """Each question's answers as ranges from core.suppression (the one rule for publishing
    counts of people), every answer listed, "Not answered" last; and how many answered.
    `people`: a subquery of user ids to count only them (the funder report's contributors of a
    period); everyone when None. One query: every answer is a conditional count in one pass."""
    from django.db.models import Count, Q

    from core.suppression import suppress

    from .models import EqualityMonitoring

    answered = EqualityMonitoring.objects.filter(
        user__is_active=True, user__anonymised_at__isnull=True
    )
    if people is not None:
        answered = answered.filter(user_id__in=people)
    questions = []
    counts = {"total": Count("pk")}
    for index, name in enumerate(EqualityMonitoring.REPORTED_FIELDS):
        field = EqualityMonitoring._meta.get_field(name)
        answers = [*field.choices, ("", "Not answered")]
        for position, (value, _label) in enumerate(answers):
            counts[f"q{index}_{position}"] = Count("pk", filter=Q(**{name: value}))
        questions.append((index, field, answers))
    figures = answered.aggregate(**counts)
    total = figures["total"]
    sections = []
    for index, field, answers in questions:
        table = suppress(
            [(str(label), figures[f"q{index}_{n}"]) for n, (_value, label) in enumerate(answers)]
        )
        rows = [{"label": row.label, "figure": row.text} for row in table.rows] if total else []
        sections.append({"question": str(field.verbose_name).capitalize(), "rows": rows})
    # Exact: the ranges always leave the smallest groups open at both ends, so the total
    # cannot be used to work one out (see core/suppression.py).
    people_row = [{"label": "Total", "figure": str(total)}] if total else []
    return [{"question": "People who answered", "rows": people_row}, *sections]


def personal_data_people(user) -> dict:
    """This app's part of "Download my data": the account, how the person signs in (never a
    secret), profile, availability, monitoring answers, invitations and erasure requests.
    coproduction/personal_data.py puts every app's part together."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.admin.models import LogEntry

    from core.personal_data import record, records_naming, when

    from .models import (
        BankDetails,
        ContributorProfile,
        EqualityMonitoring,
        ErasureRequest,
        Invitation,
        User,
    )

    profile = ContributorProfile.objects.filter(user=user).prefetch_related("availability").first()
    monitoring = EqualityMonitoring.objects.filter(user=user).first()
    permissions = user.user_permissions.select_related("content_type").order_by("pk")
    data = {
        "account": {
            "record": record(user),
            "email": user.email,
            "name": user.name,
            "preferred_name": user.preferred_name,
            "joined": when(user.date_joined),
            "last_login": when(user.last_login),
            # The day they were first involved (a meeting attended, a claim accepted).
            "first_involved_on": when(user.first_involved_on),
            "staff": user.is_staff,
            "finance": user.is_finance,
            "groups": [{"record": record(group), "name": group.name} for group in user.groups.all()],
            "permissions": [
                {"record": record(p), "name": f"{p.content_type.app_label}.{p.codename}"} for p in permissions
            ],
        },
        "email_addresses": [
            {"record": record(a), "email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        # That two-factor sign-in is set up and when it was used: never its secret or codes.
        "two_factor_sign_in": [
            {
                "record": record(device),
                "kind": device.get_type_display(),
                "set_up": when(device.created_at),
                "last_used": when(device.last_used_at),
            }
            for device in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "profile": None,
        "availability": [],
        "equality_monitoring": None,
        "invitations": [
            {
                "record": record(invitation),
                "email": invitation.email,
                "sent": when(invitation.created_at),
                "expires": when(invitation.expires_at),
                "used": when(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(user=user).order_by("pk")
        ],
        "erasure_requests": [
            {
                "record": record(request),
                "reason": request.reason,
                "status": request.get_status_display(),
                "asked": when(request.requested_at),
                "done": when(request.handled_at),
            }
            for request in ErasureRequest.objects.filter(user=user).order_by("pk")
        ],
        "records_that_name_you": records_naming(
            user,
            [(Invitation, "invited_by"), (User, "anonymised_by"), (ErasureRequest, "handled_by"),
             (LogEntry, "user"), (BankDetails, "changed_by"), (BankDetails, "confirmed_by")],
        ),
    }
    if profile:
        data["profile"] = {
            "record": record(profile),
            "phone": profile.phone,
            "address": profile.address,
            "how_we_contact_you": profile.get_contact_method_display(),
            "access_needs": profile.access_needs,
            "what_you_need_at_meetings": [
                AccessFeature(code).label for code in profile.access_features_needed or ()
                if code in AccessFeature.values
            ],
            "interests": profile.interests,
            "lived_experience": profile.lived_experience,
            "payment_preference": profile.get_payment_preference_display(),
            "usual_travel_mode": profile.get_usual_travel_mode_display() if profile.usual_travel_mode else "",
            "usual_journey_miles": str(profile.usual_journey_miles) if profile.usual_journey_miles else None,
            "accepts_text_messages": profile.accepts_texts,
            "taking_a_break_until": profile.break_until.isoformat() if profile.break_until else None,
            "about_the_break": profile.break_note,
            "updated": when(profile.updated_at),
        }
        data["availability"] = [
            {
                "record": record(slot),
                "day": slot.get_weekday_display(),
                "part_of_day": slot.get_part_of_day_display(),
            }
            for slot in profile.availability.all()
        ]
    details = BankDetails.objects.filter(user=user).first()
    # Masked, like everywhere but the bank file: a download can be forwarded or left on a laptop.
    data["bank_details"] = details and {
        "record": record(details),
        "how_to_pay": details.get_method_display(),
        "account": f"account number ending {details.masked}" if details.masked else "",
        "added": when(details.added_at),
        "changed": when(details.changed_at),
        "payment_held_until": when(details.hold_until),
        "change_confirmed_by_phone": when(details.confirmed_at),
    }
    if monitoring:
        answers = EqualityMonitoring.REPORTED_FIELDS
        data["equality_monitoring"] = {
            "record": record(monitoring),
            "consent_given_at": when(monitoring.consent_given_at),
            **{name: getattr(monitoring, f"get_{name}_display")() for name in answers},
        }
    return data


# --- availability_conflicts (projects issue: meeting warnings) ---
@dataclass(frozen=True)
class AvailabilityConflict:
    contributor: object
    reason: str


def _parts_phrase(weekday_name: str, parts: list[str], plural: bool) -> str:
    words = [f"{p}s" if plural else p for p in parts]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"{weekday_name} {joined}"


def availability_conflicts(*, contributor_ids, start, end) -> list[AvailabilityConflict]:
    """Invited contributors who have told us when they can take part, and this meeting is not then.

    Availability rows are the times someone CAN take part; no rows means they have not told
    us, so there is nothing to warn about. Times are compared in Europe/London, where the
    parts of the day are defined. One query for all invitees.
    """
    from .models import Availability

    london = ZoneInfo("Europe/London")
    local_start, local_end = start.astimezone(london), end.astimezone(london)
    # (weekday, part) slots the meeting touches, plus whether it runs outside 9am to 9pm.
    needed: list[tuple[int, str]] = []
    outside_hours = False
    day = local_start.date()
    # Eight days hold every weekday whole, after which nothing new can be needed: the loop stops
    # there however long the meeting (a mistyped year 9999 would otherwise walk millions of days).
    last_day = min(local_end.date(), day + timedelta(days=8))
    while day <= last_day:
        day_start = datetime.combine(day, time(0), london)
        seg_start = max(local_start, day_start)
        seg_end = min(local_end, day_start + timedelta(days=1))
        if seg_end > seg_start:
            covered = timedelta(0)
            for part, (t_from, t_to) in Availability.HOURS.items():
                p_start = datetime.combine(day, t_from, london)
                p_end = datetime.combine(day, t_to, london)
                overlap = min(seg_end, p_end) - max(seg_start, p_start)
                if overlap > timedelta(0):
                    needed.append((day.weekday(), str(part)))
                    covered += overlap
            if covered < seg_end - seg_start:
                outside_hours = True
        day += timedelta(days=1)

    needed = list(dict.fromkeys(needed))  # a week-long meeting touches its first weekday twice
    rows = Availability.objects.filter(profile__user_id__in=list(contributor_ids)).select_related(
        "profile__user"
    )
    slots: dict[int, set[tuple[int, str]]] = {}
    people: dict[int, object] = {}
    for row in rows:
        user = row.profile.user
        people[user.pk] = user
        slots.setdefault(user.pk, set()).add((row.weekday, row.part_of_day))

    order = list(Availability.PartOfDay.values)
    weekday_names = dict(Availability.Weekday.choices)
    conflicts = []
    for user_id in sorted(people, key=lambda pk: list(contributor_ids).index(pk)):
        user = people[user_id]
        name = user.name or user.display_name
        can = slots[user_id]
        missing = [slot for slot in needed if slot not in can]
        if not missing and not outside_hours:
            continue
        problems = []
        for weekday in sorted({w for w, _ in needed}):
            can_parts = sorted((p for w, p in can if w == weekday), key=order.index)
            missing_parts = [p for w, p in missing if w == weekday]
            day_name = weekday_names[weekday]
            if not missing_parts:
                continue
            if can_parts:
                problems.append(
                    f"{name} has said they can take part on {_parts_phrase(day_name, can_parts, True)}, "
                    f"not {_parts_phrase(day_name, missing_parts, False)}"
                )
            else:
                problems.append(f"{name} has not said they can take part on {day_name}s")
        if outside_hours:
            problems.append(
                f"{name} has told us when they can take part, and this meeting runs outside "
                "9am to 9pm"
            )
        conflicts.append(AvailabilityConflict(contributor=user, reason="; ".join(problems)))
    return conflicts


# Every sentence availability_conflicts writes about a person starts with their name and one of
# these; project events keep them, so a download and an erasure find them by the same rule.
_MENTION = r"{name} has (?:said|not said|told us when) they can take part[^;.]*"


def availability_mention_pattern(names) -> re.Pattern:
    """Matches what availability_conflicts wrote about any of `names` (one fragment each)."""
    distinct = sorted({name for name in names if name}, key=len, reverse=True)
    alternatives = "|".join(re.escape(name) for name in distinct)
    return re.compile(_MENTION.format(name=f"(?:{alternatives})") if alternatives else r"(?!x)x")


def availability_mentions(text: str, user) -> list[str]:
    """The fragments of a text written by availability_conflicts that are about `user`."""
    return availability_mention_pattern([user.name, user.display_name]).findall(text)


def email_held_by_another(email: str, *, user=None) -> bool:
    """Whether an account other than `user` holds `email`: as its login (User.email, which a
    pending invitation's account has too), or as its main or confirmed address in allauth's
    records. An address someone has only asked to change to holds nothing until they confirm it."""
    from allauth.account.models import EmailAddress
    from django.db.models import Q
    from django.utils import timezone

    from .models import Invitation, User

    email = (email or "").strip()
    others = User.objects.exclude(pk=getattr(user, "pk", None))
    if others.filter(email__iexact=email).exists():
        return True
    addresses = EmailAddress.objects.filter(email__iexact=email).filter(Q(primary=True) | Q(verified=True))
    if user is not None:
        addresses = addresses.exclude(user=user)
    if addresses.exists():
        return True
    invitations = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True)
    if user is not None:
        invitations = invitations.exclude(user=user)
    return invitations.filter(expires_at__gt=timezone.now()).exists()

