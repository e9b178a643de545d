"""Finance pages for paying a batch for real: the bank file, who is left out and why, journals."""

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from contributors.access import contributor_required, finance_required
from core.csv import csv_response

from . import pricing
from .bank_file import LAYOUTS, bank_file_rows, batch_payees, layout, not_in_bank_file_rows
from .journal import batch_journal_rows, yearly_journal_rows
from .models import PaymentBatch
from .payments import TAKE_OUT, batch_take_out_unpayable, paid_to
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
        count = batch_take_out_unpayable(batch_id=batch.pk, user=request.user)
    except ClaimError as error:
        messages.error(request, error.message)
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
    today = timezone.localdate()
    current = pricing.tax_year_start(today).year
    try:
        year = min(max(int(request.GET.get("year", current)), 2000), current)
    except ValueError:
        year = current
    start, end = date(year, 4, 6), date(year + 1, 4, 5)
    return csv_response(yearly_journal_rows(start=start, end=end), f"journal-{year}-{year + 1}.csv")


def _letter(request, person):
    today = timezone.localdate()
    current = pricing.tax_year_start(today).year
    try:
        year = min(max(int(request.GET.get("year", current)), 2000), current)
    except ValueError:
        year = current
    start, end = date(year, 4, 6), date(year + 1, 4, 5)
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
