"""Reads about people."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.search import search_terms

from .models import Invitation
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
    """Each question's answers as ranges from core.suppression (the one rule for publishing
    counts of people), every answer listed, "Not answered" last; and how many answered."""
    from django.db.models import Count

    from core.suppression import suppress

    from .models import EqualityMonitoring

    answered = EqualityMonitoring.objects.filter(
        user__is_active=True, user__anonymised_at__isnull=True
    )
    total = answered.count()
    sections = []
    for name in EqualityMonitoring.REPORTED_FIELDS:
        field = EqualityMonitoring._meta.get_field(name)
        counts = dict(answered.values_list(name).annotate(n=Count("pk")).values_list(name, "n"))
        table = suppress(
            [(str(label), counts.get(value, 0)) for value, label in [*field.choices, ("", "Not answered")]]
        )
        rows = [{"label": row.label, "figure": row.text} for row in table.rows] if total else []
        sections.append({"question": str(field.verbose_name).capitalize(), "rows": rows})
    # Exact: the ranges always leave the smallest groups open at both ends, so the total
    # cannot be used to work one out (see core/suppression.py).
    people = [{"label": "Total", "figure": str(total)}] if total else []
    return [{"question": "People who answered", "rows": people}, *sections]


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
            "interests": profile.interests,
            "lived_experience": profile.lived_experience,
            "payment_preference": profile.get_payment_preference_display(),
            "usual_travel_mode": profile.get_usual_travel_mode_display() if profile.usual_travel_mode else "",
            "usual_journey_miles": str(profile.usual_journey_miles) if profile.usual_journey_miles else None,
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

