"""Thin views for claims, review and payments: check access, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from contributors.models import ContributorProfile
from core.access import contributor_required, finance_required, staff_required
from core.csv import csv_blocks, csv_response
from core.dates import chosen_tax_year, tax_year_bounds, tax_year_start
from core.errors import show_error
from core.fragments import cached_stream, render_cached
from core.pagination import page_of
from core.storage import serve_private_file
from projects.models import MeetingInvitation
from projects.selectors.access import projects_managed_by

from . import access, schedule, selectors, services, workflow
from .forms import (
    ClaimForm,
    CommentForm,
    DirectCostForm,
    EditForm,
    MarkPaidForm,
    OnBehalfClaimForm,
    ReceiptUploadForm,
    ReviewForm,
    ReviewQueueFilter,
    WithdrawForm,
    line_formset,
)
from .models import Claim, ClaimLine, PaymentBatch
from .services import ClaimError, DuplicateSubmission, LineInput, OverBudget

PAGE_SIZE = 25


def _expenses_only(user) -> bool:
    profile = ContributorProfile.objects.filter(user=user).first()
    return bool(profile and profile.payment_preference == ContributorProfile.PaymentPreference.EXPENSES_ONLY)


def _line_inputs(formset) -> list[LineInput]:
    result = []
    for form in formset.forms:
        if not form.has_changed() or formset._should_delete_form(form):
            continue
        data = form.cleaned_data
        receipts = []
        if data.get("receipt"):
            receipts.append((data["receipt"], data["receipt"].checked_content_type))
        result.append(
            LineInput(
                kind=data["kind"],
                date=data["date"],
                description=data["description"],
                quantity=data.get("quantity"),
                amount=data.get("amount"),
                activity=data.get("activity") or "",
                receipts=receipts,
            )
        )
    return result


def _meeting_prefill(user, meeting_id):
    """Lines for an attended meeting: its time and the contributor's usual journey."""
    invitation = (
        MeetingInvitation.objects.filter(meeting_id=meeting_id, contributor=user, attended=True)
        .select_related("meeting")
        .first()
    )
    if invitation is None:
        return None, []
    meeting = invitation.meeting
    day = timezone.localtime(meeting.start).date()
    hours = (meeting.end - meeting.start).total_seconds() / 3600
    lines = []
    if not _expenses_only(user):
        lines.append(
            {
                "kind": ClaimLine.Kind.TIME_HOURS,
                "date": day,
                "description": meeting.title,
                "quantity": round(hours * 4) / 4,
            }
        )
    profile = ContributorProfile.objects.filter(user=user).first()
    mode = profile.usual_travel_mode if profile else ""
    journey = f"Travel to {meeting.title}"
    if mode in ("car", "motorcycle", "bicycle") and profile.usual_journey_miles:
        lines.append(
            {
                "kind": f"mileage_{mode}",
                "date": day,
                "description": journey,
                "quantity": profile.usual_journey_miles,
            }
        )
    elif mode in ("public_transport", "taxi"):
        lines.append({"kind": mode, "date": day, "description": journey})
    return meeting, lines


def _claim_page(request, *, form, formset, title, on_behalf=False, meeting=None):
    return render(
        request,
        "expenses/claim_form.html",
        {
            "form": form,
            "formset": formset,
            "title": title,
            "on_behalf": on_behalf,
            "meeting": meeting,
            "expenses_only": not on_behalf and _expenses_only(request.user),
        },
    )


def _save_claim(request, *, form, formset, contributor, submit, comment=""):
    meeting = None
    if form.cleaned_data.get("meeting"):
        meeting = (
            MeetingInvitation.objects.filter(
                meeting_id=form.cleaned_data["meeting"], contributor=contributor, attended=True
            )
            .select_related("meeting")
            .first()
        )
        meeting = meeting.meeting if meeting else None
    return services.claim_create(
        contributor=contributor,
        project=form.cleaned_data["project"],
        actor=request.user,
        lines=_line_inputs(formset),
        meeting=meeting,
        form_token=form.cleaned_data["form_token"],
        submit=submit,
        comment=comment,
    )


@contributor_required
def my_claims(request):
    def context():
        claims = list(selectors.claims_of(request.user))
        for claim in claims:
            claim.expected = selectors.expected_payment(claim)
        return {
            "claims": claims,
            "paid": [c for c in claims if c.status == Claim.Status.PAID],
            "can_claim": selectors.projects_claimable_by(request.user).exists(),
            "payment_promise": schedule.promise(),
        }

    # From the cache while nothing it shows has changed (core/fragments.py).
    return render_cached(request, "expenses/my_claims.html", context, title="My claims",
                         parts=[request.user.pk])


@contributor_required
def claim_create(request):
    projects = selectors.projects_claimable_by(request.user)
    expenses_only = _expenses_only(request.user)
    meeting = None
    if request.method == "POST":
        form = ClaimForm(request.POST, projects=projects)
        formset = line_formset(request.POST, request.FILES, expenses_only=expenses_only)
        if form.is_valid() and formset.is_valid():
            try:
                claim = _save_claim(
                    request,
                    form=form,
                    formset=formset,
                    contributor=request.user,
                    submit="save_draft" not in request.POST,
                )
            except DuplicateSubmission as exc:
                show_error(request, exc, level=messages.INFO)
                return redirect("expenses:claim_detail", pk=exc.claim.pk)
            except ClaimError as exc:
                show_error(form, exc)
            else:
                if claim.status == Claim.Status.DRAFT:
                    messages.success(request, "Your claim is saved as a draft. Send it when it is ready.")
                else:
                    messages.success(
                        request, f"Your claim for £{claim.total} is sent. {selectors.expected_payment(claim)}"
                    )
                return redirect("expenses:claim_detail", pk=claim.pk)
        if request.FILES:
            messages.warning(
                request,
                "For your safety, files are not kept when a form has a problem: "
                "please choose your receipts again.",
            )
    else:
        initial = {}
        lines = []
        if request.GET.get("meeting", "").isdigit():
            meeting, lines = _meeting_prefill(request.user, int(request.GET["meeting"]))
            if meeting is None:
                messages.warning(
                    request,
                    "That meeting is not one your attendance has been recorded for, "
                    "so the claim is not pre-filled.",
                )
            else:
                initial = {"project": meeting.project_id, "meeting": meeting.pk}
        form = ClaimForm(initial=initial, projects=projects)
        formset = line_formset(initial=lines or None, expenses_only=expenses_only)
    if not projects.exists():
        messages.info(
            request,
            "You can claim once you hold a role on a project, or once your attendance at one of "
            "its meetings is recorded.",
        )
    return _claim_page(request, form=form, formset=formset, title="Make a claim", meeting=meeting)


@login_required
def claim_edit(request, pk):
    """Change the lines of a draft, or of a claim the reviewer asked about."""
    claim = selectors.get_claim_for_user(request.user, pk)
    user = request.user
    if not access.is_owner(user, claim):
        raise Http404("Only the person who made this claim can change it.")
    if not workflow.claim_can(claim, "change", user):
        messages.error(
            request, f"This claim is {claim.get_status_display().lower()}, so it cannot be changed."
        )
        return redirect("expenses:claim_detail", pk=claim.pk)
    expenses_only = _expenses_only(claim.contributor)
    if request.method == "POST":
        formset = line_formset(request.POST, request.FILES, expenses_only=expenses_only)
        if formset.is_valid():
            try:
                services.claim_update_lines(claim_id=claim.pk, actor=user, lines=_line_inputs(formset))
            except ClaimError as exc:
                show_error(request, exc)
            else:
                messages.success(request, "Your changes are saved. Receipts you added before are kept.")
                return redirect("expenses:claim_detail", pk=claim.pk)
    else:
        initial = [
            {
                "kind": line.kind,
                "date": line.date,
                "description": line.description,
                "quantity": line.quantity,
                "amount": None if line.kind in ClaimLine.PRICED_KINDS else line.amount,
            }
            for line in claim.lines.all()
        ]
        formset = line_formset(initial=initial, expenses_only=expenses_only)
    return render(
        request,
        "expenses/claim_form.html",
        {
            "form": EditForm(),
            "formset": formset,
            "title": f"Change claim {claim.pk}",
            "claim": claim,
            "expenses_only": expenses_only,
            "editing": True,
        },
    )


@staff_required
def claim_on_behalf(request):
    projects = projects_managed_by(request.user)
    if request.method == "POST":
        form = OnBehalfClaimForm(request.POST, projects=projects)
        contributor = None
        if form.is_valid():
            contributor = form.cleaned_data["contributor"]
        formset = line_formset(
            request.POST, request.FILES, expenses_only=bool(contributor and _expenses_only(contributor))
        )
        if form.is_valid() and formset.is_valid():
            try:
                claim = _save_claim(
                    request,
                    form=form,
                    formset=formset,
                    contributor=contributor,
                    submit=True,
                    comment=form.cleaned_data.get("note", ""),
                )
            except DuplicateSubmission as exc:
                show_error(request, exc, level=messages.INFO)
                return redirect("expenses:claim_detail", pk=exc.claim.pk)
            except ClaimError as exc:
                show_error(form, exc)
            else:
                messages.success(
                    request,
                    f"The claim for {contributor} is entered and sent for review. "
                    "Someone else must approve it.",
                )
                return redirect("expenses:claim_detail", pk=claim.pk)
    else:
        form = OnBehalfClaimForm(projects=projects)
        formset = line_formset()
    return _claim_page(
        request, form=form, formset=formset, title="Enter a claim for a contributor", on_behalf=True
    )


@staff_required
def direct_cost(request):
    projects = projects_managed_by(request.user)
    form = DirectCostForm(request.POST or None, request.FILES or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        receipts = [(data["receipt"], data["receipt"].checked_content_type)] if data.get("receipt") else []
        try:
            claim = services.direct_cost_record(
                actor=request.user,
                contributor=data["contributor"],
                project=data["project"],
                kind=data["kind"],
                date=data["date"],
                description=data["description"],
                amount=data["amount"],
                receipts=receipts,
                form_token=data["form_token"],
            )
        except DuplicateSubmission as exc:
            show_error(request, exc, level=messages.INFO)
            return redirect("expenses:claim_detail", pk=exc.claim.pk)
        except ClaimError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request,
                f"£{claim.total} paid directly for {claim.contributor} is recorded "
                "against the project's budget.",
            )
            return redirect("expenses:claim_detail", pk=claim.pk)
    return render(request, "expenses/direct_cost.html", {"form": form})


@login_required
def claim_detail(request, pk):
    return _claim_detail_page(request, selectors.get_claim_for_user(request.user, pk))


def _claim_detail_page(request, claim, *, overruns=(), **forms):
    """The claim's page; after a refused action, with that action's form as it was sent."""
    user = request.user
    can = workflow.allowed_actions(claim, user)
    reviewer = access.is_reviewer(user, claim)
    lines = list(claim.lines.select_related("budget_line").prefetch_related("receipts"))
    return render(
        request,
        "expenses/claim_detail.html",
        {
            "claim": claim,
            "lines": lines,
            "events": selectors.claim_events(claim),
            "claim_receipts": claim.receipts.filter(line__isnull=True),
            "expected": selectors.expected_payment(claim),
            "can": can,
            "is_reviewer": reviewer,
            "review_form": forms.get("review_form") or ReviewForm(),
            "answer_form": forms.get("answer_form") or CommentForm(),
            "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
            "receipt_form": forms.get("receipt_form") or ReceiptUploadForm(claim=claim),
            "duplicates": selectors.possible_duplicates(claim) if reviewer else [],
            "overruns": overruns,
            "budget": services.budget_overruns(claim) if can["approve"] else [],
            "late_days": services.LATE_AFTER_DAYS,
        },
    )


# --- one small POST view per row of the workflow table (expenses/workflow.py) --------------
# Each calls its service, which checks the table; a refusal shows the claim's page again with
# the message and the form as it was sent.


def _refused(request, pk, error, **forms):
    show_error(request, error)
    return _claim_detail_page(request, selectors.get_claim_for_user(request.user, pk), **forms)


@login_required
@require_POST
def claim_send(request, pk):
    claim = selectors.get_claim_for_user(request.user, pk)
    try:
        services.claim_submit(claim_id=claim.pk, actor=request.user)
    except ClaimError as error:
        return _refused(request, pk, error)
    messages.success(request, "Your claim is sent for review.")
    return redirect("expenses:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_delete(request, pk):
    claim = selectors.get_claim_for_user(request.user, pk)
    try:
        services.claim_delete_draft(claim_id=claim.pk, actor=request.user)
    except ClaimError as error:
        return _refused(request, pk, error)
    messages.success(request, "The draft claim is deleted.")
    return redirect("expenses:review_queue" if request.user.is_staff else "expenses:my_claims")


@login_required
@require_POST
def claim_answer(request, pk):
    claim = selectors.get_claim_for_user(request.user, pk)
    form = CommentForm(request.POST)
    try:
        if not form.is_valid():
            raise ClaimError("Write your answer to the reviewer's question.")
        services.claim_answer_query(
            claim_id=claim.pk, actor=request.user, comment=form.cleaned_data["comment"]
        )
    except ClaimError as error:
        return _refused(request, pk, error, answer_form=form)
    messages.success(request, "Your answer is sent and the claim is back with the reviewer.")
    return redirect("expenses:claim_detail", pk=claim.pk)


@login_required
@require_POST
def claim_withdraw(request, pk):
    claim = selectors.get_claim_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ClaimError("Say why you are withdrawing the claim; the reviewer will see it.")
        services.claim_withdraw(claim_id=claim.pk, actor=request.user, reason=form.cleaned_data["reason"])
    except ClaimError as error:
        return _refused(request, pk, error, withdraw_form=form)
    messages.success(request, "Your claim is withdrawn. It will not be paid.")
    return redirect("expenses:claim_detail", pk=claim.pk)


@login_required
@require_POST
def receipt_add(request, pk):
    claim = selectors.get_claim_for_user(request.user, pk)
    form = ReceiptUploadForm(request.POST, request.FILES, claim=claim)
    try:
        if not form.is_valid():
            raise ClaimError("The receipt could not be added: see below.")
        upload = form.cleaned_data["receipt"]
        services.receipt_add(
            claim_id=claim.pk,
            actor=request.user,
            upload=upload,
            content_type=upload.checked_content_type,
            line_id=form.cleaned_data.get("line"),
        )
    except ClaimError as error:
        return _refused(request, pk, error, receipt_form=form)
    messages.success(request, "The receipt is added.")
    return redirect("expenses:claim_detail", pk=claim.pk)


def _review(request, pk, decide):
    """Approve, query and reject share the review form (one button each); `decide` calls the
    service and returns the message to show."""
    claim = selectors.get_claim_for_user(request.user, pk)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ClaimError("The review could not be saved: see below.")
        done = decide(claim, form.cleaned_data)
    except OverBudget as error:
        show_error(request, error, level=messages.WARNING)
        return _claim_detail_page(request, claim, review_form=form, overruns=error.overruns)
    except ClaimError as error:
        return _refused(request, pk, error, review_form=form)
    messages.success(request, done)
    return redirect("expenses:review_queue")


@login_required
@require_POST
def claim_approve(request, pk):
    def decide(claim, data):
        services.claim_approve(
            claim_id=claim.pk, actor=request.user, comment=data["comment"],
            confirm_over_budget=bool(data.get("confirm_over_budget")),
        )
        run, _by = selectors.expected_payment_dates(Claim.objects.get(pk=claim.pk))
        return (
            f"Claim {claim.pk} is approved and waits for the next payment batch. "
            f"The contributor is told to expect it in the payment run on {run:%A %-d %B}."
        )

    return _review(request, pk, decide)


@login_required
@require_POST
def claim_query(request, pk):
    def decide(claim, data):
        services.claim_query(claim_id=claim.pk, actor=request.user, comment=data["comment"])
        return "Your question is sent to the contributor."

    return _review(request, pk, decide)


@login_required
@require_POST
def claim_reject(request, pk):
    def decide(claim, data):
        services.claim_reject(claim_id=claim.pk, actor=request.user, reason=data["comment"])
        return "The claim is not approved; the contributor sees your reason."

    return _review(request, pk, decide)


@login_required
def receipt(request, pk):
    receipt = selectors.get_receipt_for_user(request.user, pk)
    if not receipt.file:
        return render(request, "expenses/receipt_removed.html", {"receipt": receipt}, status=410)
    return serve_private_file(receipt.file, filename=receipt.original_name, content_type=receipt.content_type)


@staff_required
def review_queue(request):
    def context():
        base = selectors.claims_for_review(request.user)
        data = request.GET.copy()
        if "status" not in data:
            data["status"] = Claim.Status.SUBMITTED
        projects = selectors.review_queue_projects(
            base, status=data.get("status"), chosen=data.get("project")
        )
        filterset = ReviewQueueFilter(data, queryset=base, projects=projects)
        page = page_of(request, filterset.qs, PAGE_SIZE)
        page.object_list = selectors.flag_possible_duplicates(page.object_list)
        query = data.copy()
        query.pop("page", None)
        return {
            "filter": filterset, "page": page, "query": query.urlencode(),
            "late_days": services.LATE_AFTER_DAYS,
        }

    # From the cache while no claim (or anything else it shows) has changed (core/fragments.py).
    return render_cached(request, "expenses/review_queue.html", context, title="Claims to review",
                         parts=[request.user.pk, request.GET.urlencode()])


@finance_required
def batch_list(request):
    if request.method == "POST":
        try:
            batch = services.batch_create(actor=request.user)
        except ClaimError as exc:
            show_error(request, exc)
            return redirect("expenses:batch_list")
        messages.success(
            request, f"Payment batch {batch.pk} is made. Download its CSV, pay it, then mark it paid."
        )
        return redirect("expenses:batch_detail", pk=batch.pk)
    page = page_of(request, selectors.batches(), PAGE_SIZE)
    ready = selectors.claims_ready_for_batch()
    return render(
        request,
        "expenses/batch_list.html",
        {
            "page": page,
            "ready_count": ready.count(),
            "ready_total": sum(ready.values_list("total", flat=True)),
        },
    )


@finance_required
def batch_detail(request, pk):
    batch = get_object_or_404(PaymentBatch.objects.select_related("created_by", "paid_by"), pk=pk)
    form = MarkPaidForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_mark_paid(
                batch_id=batch.pk,
                actor=request.user,
                reference=form.cleaned_data["reference"],
                paid_on=form.cleaned_data["paid_on"],
            )
        except ClaimError as exc:
            show_error(form, exc)
        else:
            messages.success(request, f"Batch {batch.pk} is marked paid; every claim in it is now paid.")
            return redirect("expenses:batch_detail", pk=batch.pk)
    claims = selectors.batch_claims(batch)
    page = page_of(request, claims, 100)
    return render(
        request,
        "expenses/batch_detail.html",
        {
            "batch": batch,
            "page": page,
            "form": form,
            "totals": claims.aggregate(
                count=Count("pk"),
                time=Sum("time_amount"),
                expenses=Sum("expenses_amount"),
                total=Sum("total"),
            ),
        },
    )


@finance_required
def batch_csv(request, pk):
    batch = get_object_or_404(PaymentBatch, pk=pk)
    # Finance download a batch's file again and again while it is prepared and paid: kept in the
    # cache while its claims are unchanged (core/fragments.py); a big batch streams every time.
    blocks = cached_stream("batch_csv", lambda: csv_blocks(selectors.batch_csv_rows(batch)), parts=[batch.pk])
    return csv_response((), f"payment-batch-{batch.pk}.csv", blocks=blocks)


@finance_required
def yearly_report(request):
    current = tax_year_start(timezone.localdate()).year
    year = chosen_tax_year(request.GET.get("year"), today=timezone.localdate())
    if request.GET.get("format") == "csv":
        filename = f"yearly-totals-{year}-{year + 1}.csv"
        return csv_response(selectors.yearly_csv_rows(start_year=year), filename)
    rows = selectors.yearly_totals(start_year=year)
    return render(
        request,
        "expenses/yearly_report.html",
        {
            "rows": rows,
            "year": year,
            "years": list(range(current, current - 6, -1)),
            "start": tax_year_bounds(year)[0],
            "end": tax_year_bounds(year)[1],
        },
    )


@require_POST
@finance_required
def batch_remove_claim(request, pk, claim_pk):
    try:
        services.batch_remove_claim(batch_id=pk, claim_id=claim_pk, actor=request.user)
    except ClaimError as exc:
        show_error(request, exc)
    else:
        messages.success(request, f"Claim {claim_pk} is taken out of the batch and waits for the next one.")
    return redirect("expenses:batch_detail", pk=pk)
