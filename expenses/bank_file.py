"""The bank's bulk-payment file for a payment batch: one row per payee, not per claim.

A person's claims in the batch are added together. Each row carries a reference the bank
accepts (UK bank references: at most 18 characters, letters and digits), made from the batch
and the person, so a contributor's statement says which payment it was. People we cannot pay by
bank are left out of the file and listed apart with the reason: vouchers, no payment wanted,
no bank details, or held after a change of details (contributors/bank_details.py).

The columns come from BANK_FILE_LAYOUT (LAYOUTS below). Rows are read in chunks and streamed,
so a batch of any size is written in constant memory. This is the only reader of the sealed
account details.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from contributors.bank_details import Account, unseal
from contributors.models import BankDetails

from .models import PaymentBatch

REFERENCE_MAX = 18
REFERENCE_PATTERN = re.compile(r"[A-Z0-9]{1,18}")
# BACS: account names of up to 18 characters from A-Z, 0-9, space and . & / -
BACS_NAME_MAX = 18
_NOT_BACS = re.compile(r"[^A-Z0-9 .&/-]")


@dataclass(frozen=True)
class Layout:
    label: str
    header: bool
    columns: tuple[str, ...] = ("sort code", "account number", "account name", "amount", "reference")


# Names must match settings.BANK_FILE_LAYOUTS (checked by a test).
LAYOUTS = {
    "uk": Layout("UK standard: sort code, account number, account name, amount, reference, with a "
                 "header row", header=True),
    "uk_no_header": Layout("UK standard, without the header row (for bank portals that refuse one)",
                           header=False),
}


class Reason:
    VOUCHERS = "vouchers"
    NO_PAYMENT = "no payment wanted"
    MISSING = "no bank details"
    HELD = "held after a change of bank details"


def payment_reference(batch_id: int, person_id: int) -> str:
    reference = f"CP{batch_id}P{person_id}"
    if not REFERENCE_PATTERN.fullmatch(reference):
        raise ValueError(f"Reference {reference!r} is not 1 to 18 letters and digits.")
    return reference


def bacs_name(name: str) -> str:
    """Zoë O'Brien -> ZOE OBRIEN: the letters a bank file takes, at most 18."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    plain = _NOT_BACS.sub("", plain)
    return " ".join(plain.split())[:BACS_NAME_MAX].strip()


@dataclass
class Payee:
    person_id: int
    name: str
    email: str
    total: Decimal
    claim_count: int
    reference: str
    reason: str = ""
    held_until: object = None
    account: Account | None = field(default=None, repr=False)

    @property
    def payable(self) -> bool:
        return not self.reason


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _reason(details: BankDetails | None, vouchers: bool, now) -> str:
    if vouchers or (details and details.method == BankDetails.Method.VOUCHERS):
        return Reason.VOUCHERS
    if details and details.method == BankDetails.Method.NONE:
        return Reason.NO_PAYMENT
    if details is None or not details.sealed:
        return Reason.MISSING
    if details.is_held(now):
        return Reason.HELD
    return ""


def batch_payees(
    batch: PaymentBatch, *, unseal_accounts: bool = False, chunk_size: int = 500
) -> Iterator[Payee]:
    """Each person paid in the batch once, with their claims added up, in person order. Only the
    bank file itself asks for the accounts to be unsealed."""
    now = timezone.now()
    rows = (
        batch.claims.values("contributor_id", "contributor__name", "contributor__email")
        .annotate(
            total=Sum("total"),
            claims=Count("pk"),
            vouchers=Count("pk", filter=Q(payment_preference="vouchers")),
        )
        .order_by("contributor_id")
        .iterator(chunk_size=chunk_size)
    )
    for chunk in _chunks(rows, chunk_size):
        details = BankDetails.objects.in_bulk([row["contributor_id"] for row in chunk], field_name="user_id")
        for row in chunk:
            person = row["contributor_id"]
            found = details.get(person)
            payee = Payee(
                person_id=person,
                name=row["contributor__name"] or row["contributor__email"],
                email=row["contributor__email"],
                total=row["total"] or Decimal("0.00"),
                claim_count=row["claims"],
                reference=payment_reference(batch.pk, person),
                reason=_reason(found, row["vouchers"] > 0, now),
                held_until=found.hold_until if found else None,
            )
            if payee.payable and unseal_accounts:
                payee.account = unseal(found.sealed)
            yield payee


def layout() -> Layout:
    return LAYOUTS[settings.BANK_FILE_LAYOUT]


def bank_file_rows(batch: PaymentBatch, *, chunk_size: int = 500) -> Iterator[list]:
    chosen = layout()
    if chosen.header:
        yield list(chosen.columns)
    for payee in batch_payees(batch, unseal_accounts=True, chunk_size=chunk_size):
        if not payee.payable or payee.total <= 0:
            continue
        account = payee.account
        yield [
            account.sort_code,
            account.account_number,
            bacs_name(account.account_name),
            f"{payee.total:.2f}",
            payee.reference,
        ]


NOT_PAID_HEADER = ["contributor", "email", "claims", "amount", "reference", "why not in the bank file"]


def not_in_bank_file_rows(batch: PaymentBatch, *, chunk_size: int = 500) -> Iterator[list]:
    yield NOT_PAID_HEADER
    for payee in batch_payees(batch, chunk_size=chunk_size):
        if payee.payable:
            continue
        yield [
            payee.name, payee.email, payee.claim_count, f"{payee.total:.2f}", payee.reference, payee.reason,
        ]
