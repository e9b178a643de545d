"""Shapes shared by every app's part of "Download my data" (composed in coproduction/).

Every item names the record it came from ("expenses.claim:12"), so the person (and a test) can
see that nothing held about them was left out.
"""

from collections.abc import Iterable

from django.db import models

# The field that says when a record was made, for records that only name the person.
_WHEN_FIELDS = (
    "history_date", "action_time", "created_at", "at", "offered_at", "uploaded_at", "requested_at",
)


def record(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def when(value) -> str | None:
    return value.isoformat() if value else None


def _when_field(model) -> str | None:
    names = {field.name for field in model._meta.concrete_fields}
    return next((name for name in _WHEN_FIELDS if name in names), None)


def records_naming(user, fields: Iterable[tuple[type[models.Model], str]]) -> list[dict]:
    """Records that name `user` as the one who did something (reviewed a claim, recorded
    attendance, changed a version): what, when and their part, never the record's contents,
    which are often about other people. One query per field."""
    found = []
    for model, name in fields:
        field = model._meta.get_field(name)
        stamp = _when_field(model)
        rows = model._default_manager.filter(**{name: user}).order_by("pk")
        if stamp:
            pairs = rows.values_list("pk", stamp)
        else:
            pairs = ((pk, None) for pk in rows.values_list("pk", flat=True))
        for pk, moment in pairs:
            found.append(
                {
                    "record": f"{model._meta.label_lower}:{pk}",
                    "what": str(model._meta.verbose_name),
                    "your part": str(field.verbose_name),
                    "when": when(moment),
                }
            )
    return found
