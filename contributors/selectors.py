"""Reads about people."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from .models import Invitation
from .services import hash_token


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("user").filter(token_hash=hash_token(token)).first()


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
    while day <= local_end.date():
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
