"""Erasing a person reaches every copy of their details, in every app.

The apps above this one hold copies: a staff task says "Call Zoë O'Brien (07700 900123)", a
reminder's subject names her, a project event quotes her availability, a claim's history keeps
her words. contributors/ cannot import those apps, so each one registers a function here, from
its AppConfig.ready(), that erases its own copies; person_anonymise (the one service behind
every door: the admin's user list and its erasure requests) runs them all in its transaction.

Why a registry rather than orchestration in coproduction/: the doors live here and must not
import upward, and each app's eraser sits beside the code that writes those copies, so whoever
adds a copy sees where it must be erased. tests/privacy/test_erasure.py searches every column of
every table for the person's name and phone number afterwards.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import models

REMOVED = "(removed)"


def _fold(text: str) -> str:
    """Zoë -> Zoe, O’Brien -> O'Brien: the spellings people type for the same name."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.replace("\u2019", "'")


def _phone_pattern(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return None
    gap = r"[\s\-.()]*"
    if digits.startswith("0"):  # 07700 900123 is also +44 7700 900123
        body = gap.join(digits[1:])
        return rf"(?<!\d)(?:(?:\+|00){gap}44{gap}(?:\(0\){gap})?|0){gap}{body}(?!\d)"
    return rf"(?<!\d){gap.join(digits)}(?!\d)"


def _words(values: Iterable[str]) -> str:
    alternatives = sorted({v for v in values if v}, key=len, reverse=True)
    # O'Brien is also typed O’Brien.
    return "|".join(re.escape(v).replace("'", "['\u2019]") for v in alternatives)


@dataclass(frozen=True)
class Erasure:
    """One person being erased: who they are now (anonymised), who did it and when, and how
    they could be recognised in text, captured before their details were removed."""

    person: models.Model
    by: models.Model
    at: datetime
    names: frozenset[str]
    name_parts: frozenset[str]
    emails: frozenset[str]
    phones: frozenset[str]
    address_lines: frozenset[str]

    @property
    def pseudonym(self) -> str:
        return self.person.name

    def _sub(self, pattern: str, replacement: str, text: str, flags=re.IGNORECASE) -> str:
        return re.sub(pattern, replacement, text, flags=flags) if pattern else text

    def scrub_names(self, text: str) -> str:
        """Name, email address and phone number replaced: for text shared with other people
        (a project's description, a meeting's notes), where only what identifies them goes."""
        if not text:
            return text
        text = self._sub(_words(self.emails), REMOVED, text)
        for phone in self.phones:
            text = self._sub(_phone_pattern(phone) or "", REMOVED, text)
        names = _words(self.names)
        return self._sub(rf"(?<!\w)(?:{names})(?!\w)" if names else "", self.pseudonym, text)

    def scrub(self, text: str) -> str:
        """Also their address and each part of their name: for text about them alone (their
        claims, the tasks and messages about them)."""
        text = self.scrub_names(text)
        if not text:
            return text
        text = self._sub(_words(self.address_lines), REMOVED, text)
        parts = _words(self.name_parts)
        # Case as written, so "Rose" the name goes but "rose" the word stays.
        return self._sub(rf"(?<!\w)(?:{parts})(?!\w)" if parts else "", self.pseudonym, text, flags=0)

    def scrub_value(self, value, *, shared: bool = False):
        """scrub (or scrub_names) through text, lists and dicts (JSON fields)."""
        if isinstance(value, str):
            return self.scrub_names(value) if shared else self.scrub(value)
        if isinstance(value, list):
            return [self.scrub_value(v, shared=shared) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub_value(v, shared=shared) for k, v in value.items()}
        return value


def identity_of(user, *, extra_emails: Iterable[str] = ()) -> dict:
    """How the person can be recognised in text: read before anything is removed."""
    from .models import ContributorProfile

    profile = ContributorProfile.objects.filter(user=user).first()
    names = {n.strip() for n in (user.name, user.preferred_name) if n and n.strip()}
    names |= {_fold(n) for n in names}
    parts = {p for n in names for p in re.split(r"[\s,]+", n) if len(p) >= 3}
    address = (profile.address if profile else "") or ""
    lines = [line.strip() for line in re.split(r"[\n,]", address) if line.strip()]
    # The first line (a house name or number and street) and any line with a digit (a postcode).
    kept = {line for i, line in enumerate(lines) if len(line) >= 4 and (i == 0 or re.search(r"\d", line))}
    postcodes = {re.sub(r"\s+", "", line) for line in kept if re.fullmatch(r"[A-Za-z0-9 ]{5,8}", line)}
    return {
        "names": frozenset(names),
        "name_parts": frozenset(parts - names),
        "emails": frozenset(e.lower() for e in {user.email, *extra_emails} if e),
        "phones": frozenset({profile.phone} if profile and profile.phone else set()),
        "address_lines": frozenset(kept | postcodes),
    }


# --- the registry ------------------------------------------------------------------------
_ERASERS: dict[str, Callable[[Erasure], None]] = {}


def register(name: str, eraser: Callable[[Erasure], None]) -> None:
    """Called from an app's AppConfig.ready(): `eraser` removes that app's copies."""
    _ERASERS[name] = eraser


def registered() -> list[str]:
    return list(_ERASERS)


def erase_everywhere(erasure: Erasure) -> None:
    for eraser in _ERASERS.values():
        eraser(erasure)


# --- helpers every eraser uses -----------------------------------------------------------
def _history_model(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def scrub_rows(erasure: Erasure, queryset, fields: Iterable[str], *, shared: bool = False) -> int:
    """Scrub these text fields on each row, and on every earlier version of those rows kept
    by the audit trail. Rows that do not mention the person are left as they were."""
    fields = list(fields)
    model = queryset.model
    changed = _scrub_queryset(erasure, queryset, fields, shared=shared)
    history = _history_model(model)
    if history is not None:
        ids = list(queryset.values_list("pk", flat=True))
        kept = [f for f in fields if any(h.name == f for h in history._meta.concrete_fields)]
        _scrub_queryset(erasure, history.objects.filter(id__in=ids), kept, shared=shared)
    return changed


def _scrub_queryset(erasure: Erasure, queryset, fields: list[str], *, shared: bool) -> int:
    if not fields:
        return 0
    changed = 0
    model = queryset.model
    for pk, *values in queryset.values_list("pk", *fields).iterator():
        updates = {}
        for field, value in zip(fields, values, strict=True):
            cleaned = erasure.scrub_value(value, shared=shared)
            if cleaned != value:
                updates[field] = cleaned
        if updates:
            model._default_manager.filter(pk=pk).update(**updates)
            changed += 1
    return changed


def set_rows(queryset, **values) -> int:
    """Set fields on these rows and on every earlier version of them in the audit trail."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    count = model._default_manager.filter(pk__in=ids).update(**values)
    history = _history_model(model)
    if history is not None:
        history.objects.filter(id__in=ids).update(**values)
    return count


def delete_rows(queryset) -> int:
    """Delete these rows and every earlier version of them in the audit trail."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    history = _history_model(model)
    if history is not None:
        history.objects.filter(id__in=ids).delete()
    return model._default_manager.filter(pk__in=ids).delete()[0]


def scrub_admin_log(erasure: Erasure, model, ids: Iterable, *, shared: bool = False) -> None:
    """The admin's log of changes keeps each object's name as it was ("Claim 3 by Zoë ...")."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    ids = [str(pk) for pk in ids]
    if not ids:
        return
    kind = ContentType.objects.get_for_model(model)
    entries = LogEntry.objects.filter(content_type=kind, object_id__in=ids)
    _scrub_queryset(erasure, entries, ["object_repr", "change_message"], shared=shared)
