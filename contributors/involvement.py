"""When each person was first involved: `User.first_involved_on`, kept by the services that
record involvement, so the funder report can tell who is new in a period with an indexed filter
instead of looking back through every claim and meeting of 50,000 people (bench/README.md).

Involvement is what the funder report counts (coproduction/funder_report.py): a meeting the
person attended that was not cancelled (the day it started, local time), or a line of a claim of
theirs a reviewer accepted (approved or paid), by the date of the activity. contributors/ cannot
see meetings or claims, so each app that records involvement registers here, from its
AppConfig.ready(), a function giving a person's earliest involvement of its kind; every service
that can change it (attendance recorded, a claim accepted, paid, rejected, withdrawn or split, a
meeting moved) calls `first_involvement_refresh` for the people it touched, in its transaction.

Worked out again from the records each time rather than only moved earlier, so taking
involvement away (a claim rejected after approval, attendance corrected) is right too; it is
one UPDATE of the people touched. Erasure keeps the claims and attendance (contributors/
erasure.py), so the date stays with the anonymised person and the report's figures do not move.
"""

from collections.abc import Callable, Iterable

from django.db.models import DateField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Least

# name -> function(person) returning a queryset of one date column, earliest first, for the
# person (an OuterRef to the user's pk).
_SOURCES: dict[str, Callable[[OuterRef], QuerySet]] = {}


def register(name: str, source: Callable[[OuterRef], QuerySet]) -> None:
    """Called from an app's AppConfig.ready()."""
    _SOURCES[name] = source


def registered() -> list[str]:
    return list(_SOURCES)


def first_involvement():
    """An expression for the user's earliest involvement of any kind (None if never)."""
    earliest = [
        Subquery(source(OuterRef("pk"))[:1], output_field=DateField()) for source in _SOURCES.values()
    ]
    if not earliest:
        return None
    if len(earliest) == 1:
        return earliest[0]
    # LEAST of the dates, leaving out the kinds the person has none of: PostgreSQL's LEAST
    # skips NULLs but SQLite's MIN does not, so each is coalesced with the others.
    return Least(*(Coalesce(date, *(other for other in earliest if other is not date)) for date in earliest))


def first_involvement_refresh(people: Iterable[int] | QuerySet | None) -> int:
    """Work out `first_involved_on` again for these people (ids or a queryset of users;
    everyone when None). Returns how many rows were updated."""
    from .models import User

    users = User.objects.all()
    if people is not None:
        ids = people if isinstance(people, QuerySet) else {pk for pk in people if pk is not None}
        if not isinstance(ids, QuerySet) and not ids:
            return 0
        users = users.filter(pk__in=ids)
    return users.update(first_involved_on=first_involvement())
