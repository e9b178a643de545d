"""Every kind of reminder is one `ReminderKind`, declared in `reminders/kinds/` and registered
here. The scan, sending (email or a staff task), the admin's settings, "Messages sent to me",
erasure and the tests all read this registry, so a new kind is one declaration.

This module imports nothing from the project: models.py reads the labels from it, and the
migrations name `kind_choices` (a reference that stays put, never the data it returns).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model


@dataclass(frozen=True, eq=False)
class ReminderKind:
    # Stored on every setting and every reminder sent: never rename one that has been used.
    key: str
    # Shown to admins (settings, reminders sent) and in "Messages sent to me".
    label: str
    # Defaults for the kind's row in the admin's reminder settings (made on demand).
    lead_days: int
    lead_means: str  # what the lead time counts, e.g. "days before the meeting"
    subject: str  # a Django template, editable by admins
    intro: str  # the opening paragraph, a Django template, editable by admins

    # What a reminder is about (what it is sent once for, with `occasion`), and what sending
    # loads with it.
    about: type[Model]
    load_related: tuple[str, ...]
    # The rows whose reminder is due: candidates(scan, lead_days) -> QuerySet, paged by id.
    candidates: Callable[[Any, int], Any]
    # Who receives it: recipients(row, scan) -> people (look shared lists up with scan.once).
    recipients: Callable[[Any, Any], Iterable]
    # Which occasion: a text, or occasion(row). A new occasion (a meeting moved) is a new reminder.
    occasion: str | Callable[[Any], str]
    # What the email carries beyond the greeting and the intro: context(obj) -> dict, shown by
    # the templates reminders/email/<template>.txt and .html.
    context: Callable[[Any], dict]
    # For contributors who asked for a phone call or a letter: staff_task(obj, reach, now) ->
    # (who does it, what to do), where reach is "Call Zoë O'Brien (07700 900123)". None only
    # when `to_staff`: staff always get email.
    staff_task: Callable[[Any, str, Any], tuple] | None = None
    to_staff: bool = False
    # The row found -> what the reminder is about (an invitation -> its meeting).
    subject_of: Callable[[Any], Model] = lambda row: row
    # Files the email carries: attachments(obj) -> [(filename, bytes, mimetype)], e.g. the
    # meeting's calendar file.
    attachments: Callable[[Any], list[tuple]] | None = None
    # The email templates' name without .txt/.html; by default reminders/email/<key>.
    # reminders/email/plain is the greeting, the intro and a link to `url`.
    template: str = ""
    # For erasure: the path from `about` to the person it is about (None: about nobody in
    # particular, like a meeting). Reminders about them lose their name when they are erased.
    person: str | None = None
    # What the email shows that depends on the occasion too: occasion_context(obj, occasion) ->
    # dict (a daily summary lists that day's items; the occasion is the day).
    occasion_context: Callable[[Any, str], dict] | None = None
    # The words of a text message (before the link): text(obj, context) -> str. By default the
    # email's subject.
    text: Callable[[Any, dict], str] | None = None
    # For a call or a letter: why it is no longer worth making, or "" while it is:
    # out_of_date(obj, recipient, now) -> str. Checked when the task is made and when staff
    # open it ("They have already answered.").
    out_of_date: Callable[[Any, Any, Any], str] | None = None

    @property
    def templates(self) -> tuple[str, str]:
        name = self.template or f"reminders/email/{self.key}"
        return f"{name}.txt", f"{name}.html"

    def occasion_for(self, row) -> str:
        return self.occasion(row) if callable(self.occasion) else self.occasion

    def __str__(self):
        return self.label


KINDS: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    if kind.key in KINDS:
        raise ImproperlyConfigured(f"Two reminder kinds are called {kind.key!r}.")
    if kind.staff_task is None and not kind.to_staff:
        raise ImproperlyConfigured(
            f"Reminder kind {kind.key!r} can reach contributors, so it needs a staff_task wording "
            "for those who asked for a phone call or a letter (or to_staff=True)."
        )
    KINDS[kind.key] = kind
    return kind


def kinds() -> list[ReminderKind]:
    return list(KINDS.values())


def get(key: str) -> ReminderKind:
    try:
        return KINDS[key]
    except KeyError:
        raise KeyError(f"No reminder kind is called {key!r}.") from None


def kind_choices() -> list[tuple[str, str]]:
    """The model fields' choices, read when shown: a new kind needs no schema migration."""
    return [(kind.key, kind.label) for kind in KINDS.values()]
