"""Finance pages for paying a batch for real: the bank file, who is left out and why, journals."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import contributor_required, finance_required
from core.csv import csv_response
from core.dates import chosen_tax_year, tax_year_bounds, tax_year_start
from core.errors import show_error
from core.widgets import DatePicker

from . import pricing
from .bank_file import LAYOUTS, bank_file_rows, batch_payees, layout, not_in_bank_file_rows
from .journal import batch_journal_rows, yearly_journal_rows
from .models import PaymentBatch, VoucherIssue
from .payments import TAKE_OUT, batch_take_out_unpayable, paid_to, voucher_record
from .services import ClaimError


@require_GET
@finance_required
def bank_file_page(request, pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    payable = count = 0
    total = 0
    left_out = []
    for payee in batch_payees(batch):
        if payee.payable:
            payable += 1
            total += payee.total
        else:
            left_out.append(payee)
        count += 1
    return render(
        request,
        "expenses/bank_file.html",
        {
            "batch": batch, "payable": payable, "payable_total": total, "left_out": left_out,
            "can_take_out": batch.status == PaymentBatch.Status.OPEN
            and any(p.reason in TAKE_OUT for p in left_out),
            "layout": layout(), "layouts": LAYOUTS,
        },
    )


@require_GET
@finance_required
def bank_file_csv(request, pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    return csv_response(bank_file_rows(batch), f"bank-file-batch-{batch.pk}.csv")


@require_GET
@finance_required
def not_in_bank_file_csv(request, pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    return csv_response(not_in_bank_file_rows(batch), f"not-in-bank-file-batch-{batch.pk}.csv")


@require_POST
@finance_required
def take_out_unpayable(request, pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    try:
        count = batch_take_out_unpayable(batch_id=batch.pk, actor=request.user)
    except ClaimError as error:
        show_error(request, error)
    else:
        messages.success(
            request, f"{count} claim{'s' if count != 1 else ''} taken out; they wait for the next batch."
        )
    return redirect("expenses:bank_file", pk=batch.pk)


@require_GET
@finance_required
def journal_csv(request, pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    return csv_response(batch_journal_rows(batch), f"journal-batch-{batch.pk}.csv")


@require_GET
@finance_required
def yearly_journal_csv(request):
    year = chosen_tax_year(request.GET.get("year"), today=timezone.localdate())
    start, end = tax_year_bounds(year)
    return csv_response(yearly_journal_rows(start=start, end=end), f"journal-{year}-{year + 1}.csv")


def _letter(request, person):
    today = timezone.localdate()
    current = tax_year_start(today).year
    year = chosen_tax_year(request.GET.get("year"), today=today)
    start, end = tax_year_bounds(year)
    claims = list(paid_to(person, start=start, end=end))
    return render(
        request,
        "expenses/paid_letter.html",
        {
            "person": person, "claims": claims, "year": year, "start": start, "end": end,
            "years": list(range(current, current - 6, -1)), "today": today,
            "time": sum((c.time_amount for c in claims), pricing.ZERO),
            "expenses": sum((c.expenses_amount for c in claims), pricing.ZERO),
            "total": sum((c.total for c in claims), pricing.ZERO),
            "vouchers": VoucherIssue.objects.filter(person=person, issued_on__range=(start, end)),
        },
    )


@require_GET
@contributor_required
def my_paid_letter(request):
    return _letter(request, request.user)


@require_GET
@finance_required
def paid_letter(request, person_pk):
    from contributors.selectors import contributor_for_staff

    return _letter(request, contributor_for_staff(pk=person_pk))


class VoucherForm(forms.Form):
    reference = forms.CharField(label="Voucher code or reference", max_length=100)
    value = forms.DecimalField(label="Value (£)", max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    issued_on = forms.DateField(label="Issued on", widget=DatePicker)
    how_sent = forms.ChoiceField(label="How they were sent", choices=VoucherIssue.HowSent.choices,
                                 widget=forms.RadioSelect)
    claims = forms.TypedMultipleChoiceField(
        label="Claims they pay", coerce=int, widget=forms.CheckboxSelectMultiple
    )


@require_http_methods(["GET", "POST"])
@finance_required
def record_vouchers(request, pk, person_pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    claims = list(batch.claims.filter(contributor_id=person_pk).select_related("contributor", "project"))
    if not claims:
        raise Http404("Nobody with that number is paid in this batch.")
    person = claims[0].contributor
    form = VoucherForm(
        request.POST or None,
        initial={"issued_on": timezone.localdate(), "claims": [c.pk for c in claims],
                 "value": sum(c.total for c in claims)},
    )
    form.fields["claims"].choices = [(c.pk, f"Claim {c.pk}, {c.project}: £{c.total}") for c in claims]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            voucher_record(
                actor=request.user, person=person, reference=data["reference"], value=data["value"],
                issued_on=data["issued_on"], how_sent=data["how_sent"], claim_ids=data["claims"],
            )
        except ClaimError as error:
            show_error(form, error)
        else:
            messages.success(request, f"Vouchers {data['reference']} for {person} are recorded.")
            return redirect("expenses:bank_file", pk=batch.pk)
    issued = VoucherIssue.objects.filter(claims__in=claims).distinct()
    return render(
        request, "expenses/record_vouchers.html",
        {"batch": batch, "person": person, "form": form, "issued": issued},
    )
