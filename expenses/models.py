"""Expenses and payments: rates, claims, receipts, batches (see the expenses issue)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.dates import SensibleDateField
from core.storage import private_storage, random_name
from projects.models import BudgetLine, Meeting, Project

MONEY = {"max_digits": 10, "decimal_places": 2}


def receipts_upload_to(instance, filename):
    return random_name("receipts")(instance, filename)


class Rate(models.Model):
    """A rate in pounds, in force from a date until the next row of the same kind."""

    class Kind(models.TextChoices):
        HOURLY = "time_hours", "Involvement: per hour"
        HALF_DAY = "time_half_day", "Involvement: per half day"
        DAY = "time_day", "Involvement: per full day"
        FIXED_FEE = "fixed_fee", "Involvement: fixed fee for an activity"
        CAR = "mileage_car", "Car: per mile, first 10,000 miles in a tax year"
        CAR_OVER_10000 = "mileage_car_over_10000", "Car: per mile after 10,000 miles in a tax year"
        MOTORCYCLE = "mileage_motorcycle", "Motorcycle: per mile"
        BICYCLE = "mileage_bicycle", "Bicycle: per mile"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Only for a fixed fee: what it pays for ("reading papers", "attending a focus group").
    activity = models.CharField(
        "activity (fixed fees only)", max_length=100, blank=True,
        help_text="For a fixed fee: the activity it pays, as contributors will see it.",
    )
    amount = models.DecimalField("amount (£)", **MONEY)
    effective_from = SensibleDateField("in force from")
    needs_confirmation = models.BooleanField(
        "confirm against current national guidance",
        default=False,
        help_text="Example figures: check them against current guidance (e.g. NIHR) before use.",
    )
    source = models.CharField(max_length=200, blank=True, help_text="Where the figure comes from.")
    # Empty: the organisation's rate card. A role's own rows replace the organisation's rate of
    # that kind for its holders, from the first row's date (expenses/rate_cards.py).
    role = models.ForeignKey(
        "projects.Role", on_delete=models.PROTECT, null=True, blank=True, related_name="rates",
        help_text="Leave empty for the organisation's rate; choose a role for a rate only its "
        "holders are paid.",
    )

    class Meta:
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "activity", "effective_from"], condition=models.Q(role__isnull=True),
                name="unique_rate_per_day",
            ),
            models.UniqueConstraint(
                fields=["role", "kind", "activity", "effective_from"],
                condition=models.Q(role__isnull=False), name="unique_role_rate_per_day",
            ),
            # A fixed fee names its activity; no other rate has one.
            models.CheckConstraint(
                condition=models.Q(kind="fixed_fee") & ~models.Q(activity="")
                | ~models.Q(kind="fixed_fee") & models.Q(activity=""),
                name="fixed_fee_names_activity",
                violation_error_message="A fixed fee needs its activity; other rates have none.",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="rate_not_negative"),
        ]

    def __str__(self):
        card = f" ({self.role.title})" if self.role_id else ""
        what = f"Fixed fee for {self.activity}" if self.activity else self.get_kind_display()
        return f"{what}{card}: £{self.amount} from {self.effective_from:%d %B %Y}"


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting to be paid"
        PAID = "paid", "Paid"

    reference = models.CharField(
        max_length=100, blank=True, help_text="The bank or finance system reference."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    paid_on = SensibleDateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Audit trail: who changed what and when, shown in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "payment batches"

    def __str__(self):
        return f"Payment batch {self.pk}" + (f" ({self.reference})" if self.reference else "")


# A claim in one of these states stands (or may yet be paid): at most one per fingerprint.
LIVE_CLAIM_STATUSES = ("draft", "submitted", "queried", "approved", "paid")
# Sent to a reviewer and not withdrawn or refused: what "possible duplicate" compares with.
SENT_CLAIM_STATUSES = ("submitted", "queried", "approved", "paid")


class Claim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not sent yet)"
        SUBMITTED = "submitted", "Sent, waiting for review"
        QUERIED = "queried", "Question from the reviewer"
        APPROVED = "approved", "Approved, waiting for payment"
        REJECTED = "rejected", "Not approved"
        PAID = "paid", "Paid"
        WITHDRAWN = "withdrawn", "Withdrawn by the contributor"

    LIVE_STATUSES = LIVE_CLAIM_STATUSES
    SENT_STATUSES = SENT_CLAIM_STATUSES

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="claims")
    contributor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims_entered"
    )
    # Staff typed it in for someone who does not use the web; shown to the contributor.
    entered_on_behalf = models.BooleanField(default=False)
    # A direct cost: the organisation paid the supplier, nobody is reimbursed.
    organisation_paid = models.BooleanField("paid directly by the organisation", default=False)
    # Snapshot at submission so a later change of mind does not rewrite history.
    payment_preference = models.CharField(max_length=20, blank=True)
    # Hidden token of the form that created it: a second submit of the same form is refused.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Who it is for, the project and every line: the same claim made again (Back and Send, or a
    # second person entering the same paper form) is refused while this one stands.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # Some activity was more than 90 days before submission: flagged to the reviewer.
    is_late = models.BooleanField("sent more than 90 days after the activity", default=False)
    time_amount = models.DecimalField("for time (£)", default=0, **MONEY)
    expenses_amount = models.DecimalField("for expenses (£)", default=0, **MONEY)
    total = models.DecimalField("total (£)", default=0, **MONEY)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_reviewed",
    )
    rejection_reason = models.TextField(blank=True)
    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    # The part of another claim over the contributor's payment limit (expenses/limits.py),
    # deferred to a later period (approved) or declined as they chose (not approved).
    split_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="remainders",
        verbose_name="the part over the limit of",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # Audit trail: who changed what and when, shown in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["status", "approved_at"]),
            models.Index(fields=["paid_at"]),
            # A batch's claims in order (the batch CSV) without walking every claim's id.
            models.Index(fields=["batch", "id"], name="claim_batch_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(total__gte=0), name="claim_total_not_negative"),
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=models.Q(status__in=LIVE_CLAIM_STATUSES) & ~models.Q(fingerprint=""),
                name="claim_made_once",
            ),
        ]

    def __str__(self):
        return f"Claim {self.pk} by {self.contributor} for {self.project}"


class ClaimLine(models.Model):
    class Kind(models.TextChoices):
        TIME_HOURS = "time_hours", "Time (hours)"
        TIME_HALF_DAY = "time_half_day", "Time (half days)"
        TIME_DAY = "time_day", "Time (full days)"
        FIXED_FEE = "fixed_fee", "Fixed fee for an activity"
        MILEAGE_CAR = "mileage_car", "Mileage by car"
        MILEAGE_MOTORCYCLE = "mileage_motorcycle", "Mileage by motorcycle"
        MILEAGE_BICYCLE = "mileage_bicycle", "Mileage by bicycle"
        PUBLIC_TRANSPORT = "public_transport", "Bus, train or tram fare"
        TAXI = "taxi", "Taxi"
        PARKING = "parking", "Parking"
        MEALS = "meals", "Meals and drinks"
        CARER = "carer", "Carer or personal assistant"
        OTHER = "other", "Other cost"

    # Payment for involvement (income, counted against a payment limit), fixed fees included.
    TIME_KINDS = frozenset({"time_hours", "time_half_day", "time_day", "fixed_fee"})
    MILEAGE_KINDS = frozenset({"mileage_car", "mileage_motorcycle", "mileage_bicycle"})
    # Time and mileage are priced from rates; everything else is a cost paid, with a receipt.
    PRICED_KINDS = TIME_KINDS | MILEAGE_KINDS

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = SensibleDateField("date of the activity")
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(
        "hours, days, miles or times", max_digits=8, decimal_places=2, null=True, blank=True
    )
    # A fixed fee line: the rate card's activity it is priced from.
    activity = models.CharField(max_length=100, blank=True)
    rate = models.DecimalField("rate (£)", null=True, blank=True, **MONEY)
    amount = models.DecimalField("amount (£)", **MONEY)
    pricing_note = models.CharField(max_length=200, blank=True)
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="claim_lines"
    )
    # Audit trail: who changed what and when, shown in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]
        # "Possible duplicate": the same date, kind and amount in another claim.
        indexes = [models.Index(fields=["date", "kind", "amount"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="claim_line_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date}: £{self.amount}"

    @property
    def is_time(self) -> bool:
        return self.kind in self.TIME_KINDS

    @property
    def needs_receipt(self) -> bool:
        return self.kind not in self.PRICED_KINDS


class Receipt(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="receipts")
    line = models.ForeignKey(
        ClaimLine, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts"
    )
    # Emptied when the retention period ends (expenses/retention.py); the row stays.
    file = models.FileField(upload_to=receipts_upload_to, storage=private_storage, blank=True)
    file_removed_at = models.DateTimeField("file removed", null=True, blank=True)
    file_removed_note = models.CharField("why the file was removed", max_length=200, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Audit trail: who changed what and when, shown in the admin.
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class ClaimEvent(models.Model):
    """Every change of a claim: who, when, from which state to which, and what they said."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=10, choices=Claim.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Claim.Status.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status or 'new'} -> {self.to_status}"


class RemittanceSent(models.Model):
    """A remittance email ("what this payment was for") to one payee for one paid batch. The row
    is claimed before the email goes, so a second run finds it and sends nothing."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="remittances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    amount = models.DecimalField("amount (£)", **MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "person"], name="one_remittance_per_payee"),
        ]

    def __str__(self):
        return f"Remittance for batch {self.batch_id} to person {self.person_id}"


class VoucherIssue(models.Model):
    """Vouchers actually given to a contributor, against the claims they pay."""

    class HowSent(models.TextChoices):
        POST = "post", "By post"
        EMAIL = "email", "By email (an e-voucher code)"
        IN_PERSON = "in_person", "Handed over in person"
        OTHER = "other", "Another way"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vouchers")
    reference = models.CharField("voucher code or reference", max_length=100, unique=True)
    value = models.DecimalField("value (£)", **MONEY)
    issued_on = SensibleDateField("issued on")
    how_sent = models.CharField("how they were sent", max_length=10, choices=HowSent.choices)
    claims = models.ManyToManyField(Claim, related_name="vouchers", verbose_name="claims they pay")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [models.CheckConstraint(condition=models.Q(value__gt=0), name="voucher_value_positive")]

    def __str__(self):
        return f"Vouchers {self.reference}: £{self.value}"
