"""Bank details: sealed at rest, shown masked, changed safely.

The account name, sort code and number are sealed with Fernet (the `cryptography` library:
authenticated encryption, so a tampered value fails rather than decrypting to something else)
under BANK_DETAILS_KEYS, several keys newest first (MultiFernet): new values use the first key,
any key opens old ones, and `reseal_bank_details` re-seals every row under the newest key so
an old key can be dropped. Only `unseal` reads them back, and only the bank file calls it.

A change is how payment diversion fraud works (someone in the person's email asks to "update
their bank details"): it needs the person's password again (the view), emails the account's
address, and holds their next payment for BANK_CHANGE_HOLD_DAYS unless finance confirm the
change by phone (`bank_details_confirm`).
"""

import json
import re
from dataclasses import dataclass
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.errors import DomainError

from .models import BankDetails, User


class BankDetailsError(DomainError):
    """Bank details cannot be saved or confirmed this way."""


@dataclass(frozen=True)
class Account:
    account_name: str
    sort_code: str  # 6 digits
    account_number: str  # 8 digits

    def __repr__(self):  # never in a log or a traceback
        return f"<Account ••••{self.account_number[-4:]}>"

    __str__ = __repr__


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.BANK_DETAILS_KEYS])


def seal(account: Account) -> str:
    data = {"n": account.account_name, "s": account.sort_code, "a": account.account_number}
    return _fernet().encrypt(json.dumps(data).encode()).decode()


def unseal(token: str) -> Account:
    try:
        data = json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise BankDetailsError(
            "These bank details cannot be read with the keys in BANK_DETAILS_KEYS."
        ) from exc
    return Account(account_name=data["n"], sort_code=data["s"], account_number=data["a"])


def reseal(token: str) -> str:
    """The same details sealed under the newest key."""
    return _fernet().rotate(token.encode()).decode()


# --- checking what people type ----------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-–]")


def clean_sort_code(value: str) -> str:
    digits = _SEPARATORS.sub("", value or "")
    if not re.fullmatch(r"\d{6}", digits):
        raise BankDetailsError(
            "Enter the sort code as 6 digits, like 12-34-56.", field="sort_code"
        )
    return digits


def clean_account_number(value: str) -> str:
    digits = _SEPARATORS.sub("", value or "")
    if not re.fullmatch(r"\d{8}", digits):
        raise BankDetailsError(
            "Enter the account number as 8 digits, like 12345678. If yours has fewer, your bank "
            "can tell you the 8-digit form.",
            field="account_number",
        )
    return digits


def clean_account_name(value: str) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise BankDetailsError(
            "Enter the name on the account, as the bank has it.", field="account_name"
        )
    if len(name) > 70:
        raise BankDetailsError("The name on the account can be at most 70 letters.", field="account_name")
    return name


# --- writes -------------------------------------------------------------------------------------


def _may_act_for(actor: User, person: User) -> bool:
    if actor.pk == person.pk:
        return not person.is_staff
    return actor.is_staff and (actor.is_finance or actor.is_superuser) and not person.is_staff


@transaction.atomic
def bank_details_save(
    *,
    person: User,
    actor: User,
    method: str,
    account_name: str = "",
    sort_code: str = "",
    account_number: str = "",
) -> BankDetails:
    """Record how `person` is paid. The person themselves, or finance for someone who does not
    use the web. Replacing an account that was already there holds the next payment."""
    if not _may_act_for(actor, person):
        raise BankDetailsError("Only the person themselves or finance staff can change bank details.")
    if method not in BankDetails.Method.values:
        raise BankDetailsError("Choose how you would like to be paid.", field="method")
    details = BankDetails.objects.select_for_update().filter(user=person).first()
    now = timezone.now()
    previous_account = bool(details and details.sealed)
    if details is None:
        details = BankDetails(user=person, added_at=now)
    if method == BankDetails.Method.BANK:
        account = Account(
            account_name=clean_account_name(account_name),
            sort_code=clean_sort_code(sort_code),
            account_number=clean_account_number(account_number),
        )
        if previous_account and unseal(details.sealed) == account and details.method == method:
            return details  # nothing changed: no hold, no email
        details.sealed = seal(account)
        details.last_digits = account.account_number[-4:]
    else:
        if details.pk and details.method == method and not details.sealed:
            return details
        details.sealed, details.last_digits = "", ""
    details.method = method
    if details.pk:
        details.changed_at, details.changed_by = now, actor
    if method == BankDetails.Method.BANK and previous_account:
        details.hold_until = now + timedelta(days=settings.BANK_CHANGE_HOLD_DAYS)
        details.confirmed_at, details.confirmed_by, details.confirmation_note = None, None, ""
    details.save()
    email = person.email
    changed = previous_account or details.changed_at is not None
    transaction.on_commit(lambda: _tell_owner(person_id=person.pk, email=email, changed=changed))
    return details


def _tell_owner(*, person_id: int, email: str, changed: bool) -> None:
    """An email to the account's address, saying something changed but never what."""
    person = User.objects.filter(pk=person_id).first()
    if person is None or not email or person.anonymised_at:
        return
    context = {
        "person": person, "changed": changed, "hold_days": settings.BANK_CHANGE_HOLD_DAYS,
        "site_name": settings.SITE_NAME,
    }
    subject = "Your bank details were changed" if changed else "Your bank details were added"
    send_mail(
        subject,
        render_to_string("contributors/email/bank_details_changed.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )


@transaction.atomic
def bank_details_confirm(*, person: User, actor: User, note: str) -> BankDetails:
    """Finance phoned the person on a number we already held and they confirmed the change:
    the hold ends now. Who and when are recorded."""
    if not (actor.is_staff and (actor.is_finance or actor.is_superuser)):
        raise BankDetailsError("Only finance staff can confirm a change of bank details.")
    details = BankDetails.objects.select_for_update().filter(user=person).first()
    if details is None or not details.hold_until:
        raise BankDetailsError("There is no change of bank details waiting to be confirmed.")
    if details.confirmed_at:
        raise BankDetailsError(
            f"This change was already confirmed on {timezone.localtime(details.confirmed_at):%-d %B %Y}."
        )
    if not note.strip():
        raise BankDetailsError(
            "Say who you spoke to and on which number (one we held before the change).", field="note"
        )
    details.confirmed_at, details.confirmed_by = timezone.now(), actor
    details.confirmation_note = note.strip()[:300]
    details.save(update_fields=["confirmed_at", "confirmed_by", "confirmation_note"])
    return details


def bank_details_reseal_all() -> int:
    """Seal every row again under the newest key (after adding a key in front). Row by row, each
    under its own lock, so it can run while people use the site."""
    count = 0
    for pk in BankDetails.objects.exclude(sealed="").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            details = BankDetails.objects.select_for_update().filter(pk=pk).first()
            if details is None or not details.sealed:
                continue
            details.sealed = reseal(details.sealed)
            details.save(update_fields=["sealed"])
            count += 1
    return count


# --- reads --------------------------------------------------------------------------------------


def bank_details_of(person: User) -> BankDetails | None:
    return BankDetails.objects.filter(user=person).first()
