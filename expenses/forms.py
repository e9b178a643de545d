"""Input cleaning only; the rules live in services.py."""

import json
import uuid
from decimal import Decimal

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone

from contributors.models import User
from core.dates import validate_sensible_date
from core.uploads import check_receipt
from core.widgets import DatePicker, FastSelect
from projects.models import Project

from .models import Claim, ClaimLine, Rate

KIND_HELP = (
    "Time, fixed fees and mileage are worked out from the current rates. For everything else, "
    "enter what you paid and add a photo or PDF of the receipt."
)
QUANTITY_LIMITS = {
    "time_hours": (Decimal("24"), "One line can be at most 24 hours. Use a line per day."),
    "time_half_day": (Decimal("10"), "One line can be at most 10 half days."),
    "time_day": (Decimal("5"), "One line can be at most 5 days. Use a line per week."),
    "fixed_fee": (Decimal("10"), "One line can be at most 10 times. Use a line per date."),
}
MILES_LIMIT = Decimal("2000")
# Which fields a line needs besides its date and description, by kind: the claim page shows only
# these (static/js/expenses.js) and the server ignores the others.
PAID_KINDS = [kind for kind in ClaimLine.Kind.values if kind not in ClaimLine.PRICED_KINDS]
FIELDS_BY_KIND = {
    "quantity": sorted(ClaimLine.PRICED_KINDS),
    "activity": ["fixed_fee"],
    "amount": PAID_KINDS,
    "receipt": PAID_KINDS,
}
QUANTITY_HINTS = {
    "time_hours": "How many hours, for example 2.5.",
    "time_half_day": "How many half days.",
    "time_day": "How many full days.",
    "fixed_fee": "How many times (usually 1).",
    **{kind: "How many miles you travelled." for kind in ClaimLine.MILEAGE_KINDS},
}


class ReceiptField(forms.FileField):
    """A receipt checked by what is in the file, not by its name."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.checked_content_type = check_receipt(upload)
        return upload


class ClaimForm(forms.Form):
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label="Project")
    form_token = forms.UUIDField(widget=forms.HiddenInput)
    meeting = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects if projects is not None else Project.objects.none()
        self.fields["project"].empty_label = "Choose the project"
        if not self.is_bound and "form_token" not in self.initial:
            self.initial["form_token"] = uuid.uuid4()


class EditForm(forms.Form):
    """Changing a claim's lines needs no other fields; the page still has a form to show errors."""


class OnBehalfClaimForm(ClaimForm):
    contributor = forms.ModelChoiceField(
        queryset=User.objects.filter(is_staff=False, is_active=True),
        label="Contributor",
        help_text="The person this claim is for. They will see that you entered it.",
    )
    note = forms.CharField(
        label="How the claim reached you",
        required=False,
        max_length=500,
        help_text="For example: paper form and receipts handed in at the meeting on 3 March.",
    )

    field_order = ["contributor", "project", "note"]


class ClaimLineForm(forms.Form):
    kind = forms.ChoiceField(
        label="What for", choices=[("", "Choose")] + list(ClaimLine.Kind.choices), help_text=KIND_HELP
    )
    date = forms.DateField(label="Date", widget=DatePicker)
    description = forms.CharField(
        label="Description",
        max_length=300,
        help_text="For example: steering group meeting, return train fare.",
    )
    activity = forms.ChoiceField(
        label="Activity (fixed fees)", required=False, choices=[],
        help_text="Only for a fixed fee: the activity, as your role's rates name it.",
    )
    quantity = forms.DecimalField(
        label="Hours, days, miles or times",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        help_text="Only for time and mileage.",
        error_messages={"min_value": "Enter a number more than 0."},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    amount = forms.DecimalField(
        label="Amount paid (£)",
        required=False,
        max_digits=10,
        decimal_places=2,
        help_text="Only for costs you paid, such as fares, parking, meals or care.",
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        error_messages={"max_decimal_places": "Enter pounds and pence, like 12.50."},
    )
    receipt = ReceiptField(
        label="Receipt (photo or PDF, up to 10 MB)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args, expenses_only=False, **kwargs):
        self.expenses_only = expenses_only
        super().__init__(*args, **kwargs)
        for name, kinds in FIELDS_BY_KIND.items():
            self.fields[name].widget.attrs["data-kinds"] = " ".join(kinds)
        self.fields["quantity"].widget.attrs["data-kind-hints"] = json.dumps(QUANTITY_HINTS)
        # Every activity with a fixed fee on a card; the price comes from the claimant's card.
        activities = Rate.objects.filter(kind=Rate.Kind.FIXED_FEE).order_by("activity")
        names = activities.values_list("activity", flat=True).distinct()
        self.fields["activity"].choices = [("", "Choose")] + [(name, name) for name in names]
        if expenses_only:
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] not in ClaimLine.TIME_KINDS
            ]
            self.fields["kind"].help_text = (
                "You chose to decline payment, so you can claim expenses but not time. "
                "You can change that choice in your profile. " + KIND_HELP
            )

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise ValidationError("The date is in the future. Claim after the activity has happened.")
        validate_sensible_date(value)
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        if kind in ClaimLine.TIME_KINDS and self.expenses_only:
            self.add_error("kind", "You chose to decline payment, so you can claim expenses but not time.")
        if kind == ClaimLine.Kind.FIXED_FEE and not data.get("activity") and "activity" not in self.errors:
            self.add_error("activity", "Choose the activity the fixed fee is for.")
        if kind != ClaimLine.Kind.FIXED_FEE:
            data["activity"] = ""
        if kind in ClaimLine.PRICED_KINDS:
            quantity = data.get("quantity")
            if quantity is None and "quantity" not in self.errors:
                self.add_error("quantity", "Enter how many hours, days or miles.")
            elif quantity is not None:
                limit, message = QUANTITY_LIMITS.get(
                    kind, (MILES_LIMIT, f"One line can be at most {MILES_LIMIT} miles.")
                )
                if quantity > limit:
                    self.add_error("quantity", message)
            # Time and mileage are priced on the server; whatever was typed as an amount is ignored.
            data["amount"] = None
            self.errors.pop("amount", None)
        elif "amount" not in self.errors:
            self._check_amount(data.get("amount"))
        return data

    def _check_amount(self, value):
        limit = settings.CLAIM_LINE_MAX_AMOUNT
        if value is None:
            self.add_error("amount", "Enter the amount you paid.")
        elif value <= 0:
            self.add_error("amount", "Enter an amount more than £0.")
        elif value > limit:
            self.add_error(
                "amount",
                f"£{value} is more than the £{limit} limit for one line. Check the amount; "
                "if it is right, ask staff to enter it for you.",
            )


class BaseLineFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this line"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not kept:
            raise ValidationError("Add at least one line: what you are claiming for.")


ClaimLineFormSet = formset_factory(
    ClaimLineForm, formset=BaseLineFormSet, extra=3, can_delete=True, max_num=30, validate_max=True
)


def line_formset(*args, expenses_only=False, **kwargs):
    return ClaimLineFormSet(*args, form_kwargs={"expenses_only": expenses_only}, prefix="lines", **kwargs)


class DirectCostForm(forms.Form):
    contributor = forms.ModelChoiceField(
        queryset=User.objects.filter(is_staff=False, is_active=True), label="Contributor"
    )
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label="Project")
    kind = forms.ChoiceField(
        label="What was paid for",
        choices=[(k, v) for k, v in ClaimLine.Kind.choices if k not in ClaimLine.PRICED_KINDS],
    )
    date = forms.DateField(label="Date of travel or use", widget=DatePicker)
    description = forms.CharField(
        label="Description",
        max_length=300,
        help_text="For example: return train ticket booked through our travel account.",
    )
    amount = forms.DecimalField(
        label="Amount we paid (£)",
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        error_messages={"min_value": "Enter an amount more than £0."},
    )
    receipt = ReceiptField(label="Invoice or receipt (optional)", required=False)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects if projects is not None else Project.objects.none()
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise ValidationError("The date is in the future. Record costs once they are paid.")
        validate_sensible_date(value)
        return value

    def clean_amount(self):
        value = self.cleaned_data["amount"]
        if value > settings.CLAIM_LINE_MAX_AMOUNT:
            raise ValidationError(
                f"£{value} is more than the £{settings.CLAIM_LINE_MAX_AMOUNT} limit for one line."
            )
        return value


class ReceiptUploadForm(forms.Form):
    line = forms.TypedChoiceField(label="Which line is it for", coerce=int, required=False, empty_value=None)
    receipt = ReceiptField(label="Receipt (photo or PDF, up to 10 MB)")

    def __init__(self, *args, claim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipt"].help_text = (
            f"A claim can hold up to {settings.CLAIM_MAX_RECEIPTS} receipts, "
            f"{settings.CLAIM_MAX_RECEIPTS_MB} MB in all."
        )
        lines = list(claim.lines.all()) if claim else []
        self.fields["line"].choices = [("", "The whole claim")] + [
            (line.pk, f"{line.date:%d %b %Y}: {line.description}") for line in lines
        ]


class CommentForm(forms.Form):
    comment = forms.CharField(label="Your answer", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing this claim?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: I sent it twice, or I put the wrong date. The reviewer sees this.",
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Comment, question or reason",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A question or a reason is needed when you ask a question or do not approve. "
        "The contributor sees it.",
    )
    confirm_over_budget = forms.BooleanField(required=False, widget=forms.HiddenInput)


class MarkPaidForm(forms.Form):
    reference = forms.CharField(
        label="Payment reference", max_length=100, help_text="From the bank or the finance system."
    )
    paid_on = forms.DateField(label="Date paid", widget=DatePicker)

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise ValidationError(
                "The payment date is in the future. Mark the batch paid once the money has gone."
            )
        validate_sensible_date(value)
        return value


class ReviewQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices, label="Status", empty_label="Any status"
    )
    # Only projects with claims in the queue, as (pk, title) pairs: finance sees every project,
    # and a full model per option for 2,000 projects was most of the page's time (bench/).
    project = django_filters.ChoiceFilter(
        field_name="project", choices=[], label="Project", empty_label="Any project", widget=FastSelect,
    )
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__gte",
        label="Sent on or after",
        widget=DatePicker,
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__lte",
        label="Sent on or before",
        widget=DatePicker,
    )
    late = django_filters.BooleanFilter(
        field_name="is_late", label="Sent more than 90 days after the activity"
    )

    class Meta:
        model = Claim
        fields = ["status", "project", "submitted_after", "submitted_before", "late"]

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["project"].extra["choices"] = list(projects) if projects is not None else []
