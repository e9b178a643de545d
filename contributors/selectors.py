"""Reads about people."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.search import search_terms

from .models import Invitation
from .services import hash_token


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("user").filter(token_hash=hash_token(token)).first()


# --- pool, reach report, monitoring aggregates, personal data (contributors issue) ---
SMALL_GROUP = 5
SUPPRESSED = "fewer than 5"


def suppress_small(count: int) -> int | str:
    """The one rule for publishing counts of people: any group smaller than 5 is shown as
    "fewer than 5", so nobody can be picked out of a report."""
    return SUPPRESSED if count < SMALL_GROUP else count


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
    from django.db.models import Prefetch, Q

    from .models import Availability

    queryset = contributors_queryset().select_related("profile").prefetch_related(
        Prefetch("profile__availability", queryset=Availability.objects.order_by("weekday", "part_of_day"))
    )
    for word in search_terms(search).words:
        queryset = queryset.filter(
            Q(name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(email__icontains=word)
            | Q(profile__interests__icontains=word)
            | Q(profile__lived_experience__icontains=word)
        )
    return annotate_involvement(queryset).order_by("name", "email")


def contributor_for_staff(*, pk: int):
    """One contributor as staff see them (never their monitoring answers), or 404."""
    from django.shortcuts import get_object_or_404

    from .models import User

    queryset = User.objects.filter(is_staff=False).select_related("profile")
    return get_object_or_404(annotate_involvement(queryset), pk=pk)


@dataclass
class ReachReport:
    people: list
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


def reach_report() -> ReachReport:
    people = list(annotate_involvement(contributors_queryset()).order_by("-recent_total", "name"))
    totals = [person.recent_total for person in people]
    total_involvements = sum(totals)
    buckets = []
    for label, low, high in BUCKETS:
        count = sum(1 for t in totals if t >= low and (high is None or t <= high))
        percent = round(100 * count / len(people)) if people else 0
        buckets.append((label, count, percent))
    # The most-involved 10% of contributors (at least one person when there is anyone).
    top_n = max(1, -(-len(people) // 10)) if people else 0
    top_sum = sum(sorted(totals, reverse=True)[:top_n])
    share = round(100 * top_sum / total_involvements) if total_involvements else 0
    return ReachReport(
        people=people,
        buckets=buckets,
        total_people=len(people),
        total_involvements=total_involvements,
        involved_people=sum(1 for t in totals if t),
        top_tenth_people=top_n,
        top_tenth_share=share,
        monitoring=monitoring_aggregates(),
    )


def monitoring_aggregates() -> list[dict]:
    """Counts of monitoring answers per question, every count through suppress_small."""
    from django.db.models import Count

    from .models import EqualityMonitoring

    answered = EqualityMonitoring.objects.filter(
        user__is_active=True, user__anonymised_at__isnull=True
    )
    total = answered.count()
    sections = []
    for name in EqualityMonitoring.REPORTED_FIELDS:
        field = EqualityMonitoring._meta.get_field(name)
        counts = dict(answered.values_list(name).annotate(n=Count("pk")).values_list(name, "n"))
        rows = []
        for value, label in [*field.choices, ("", "Not answered")]:
            if counts.get(value):
                rows.append({"label": label, "count": suppress_small(counts[value])})
        sections.append({"question": str(field.verbose_name).capitalize(), "rows": rows})
    return [{"question": "People who answered", "rows": [
        {"label": "Total", "count": suppress_small(total)}]}, *sections]


def personal_data(user) -> dict:
    """Everything we hold about this person, for the "download my data" page (JSON-ready)."""
    from .models import ContributorProfile, EqualityMonitoring

    def stamp(value):
        return value.isoformat() if value else None

    data: dict = {
        "account": {
            "email": user.email,
            "name": user.name,
            "preferred_name": user.preferred_name,
            "joined": stamp(user.date_joined),
            "last_login": stamp(user.last_login),
        },
        "profile": None,
        "availability": [],
        "equality_monitoring": None,
    }
    profile = ContributorProfile.objects.filter(user=user).first()
    if profile:
        data["profile"] = {
            "phone": profile.phone,
            "address": profile.address,
            "how_we_contact_you": profile.get_contact_method_display(),
            "access_needs": profile.access_needs,
            "interests": profile.interests,
            "lived_experience": profile.lived_experience,
            "payment_preference": profile.get_payment_preference_display(),
            "usual_travel_mode": profile.get_usual_travel_mode_display() if profile.usual_travel_mode else "",
            "usual_journey_miles": str(profile.usual_journey_miles) if profile.usual_journey_miles else None,
        }
        data["availability"] = [
            {"day": slot.get_weekday_display(), "part_of_day": slot.get_part_of_day_display()}
            for slot in profile.availability.all()
        ]
    monitoring = EqualityMonitoring.objects.filter(user=user).first()
    if monitoring:
        data["equality_monitoring"] = {
            "consent_given_at": stamp(monitoring.consent_given_at),
            **{
                name: getattr(monitoring, f"get_{name}_display")()
                for name in EqualityMonitoring.REPORTED_FIELDS
            },
        }
    # Roles, offers and meetings live in projects/; read through this person's relations.
    data["expressions_of_interest"] = [
        {
            "role": interest.role.title,
            "project": interest.role.project.title,
            "statement": interest.statement,
            "status": interest.get_status_display(),
            "reason": interest.decision_reason,
            "sent": stamp(interest.created_at),
        }
        for interest in user.expressions_of_interest.select_related("role__project")
    ]
    data["role_offers"] = [
        {
            "role": offer.role.title,
            "project": offer.role.project.title,
            "status": offer.get_status_display(),
            "offered_at": stamp(offer.offered_at),
            "offered_terms": offer.offered_version.description,
            "accepted_terms_version": offer.accepted_version.number if offer.accepted_version else None,
            "acceptances": [
                {"version": acc.version.number, "accepted_at": stamp(acc.accepted_at)}
                for acc in offer.acceptances.all()
            ],
        }
        for offer in user.role_offers.select_related(
            "role__project", "offered_version", "accepted_version"
        ).prefetch_related("acceptances__version")
    ]
    data["meeting_invitations"] = [
        {
            "meeting": invitation.meeting.title,
            "project": invitation.meeting.project.title,
            "start": stamp(invitation.meeting.start),
            "reply": invitation.get_reply_display(),
            "attended": invitation.attended,
        }
        for invitation in user.meeting_invitations.select_related("meeting__project")
    ]
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

