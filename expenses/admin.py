"""Admin: claims, batches and rates to read and export. Money changes only through the services
(the site's pages, and the admin actions here, which call the same services), so what the admin
shows always agrees with what was approved and paid:

- claims, their lines, receipts and history, and payment batches are read-only here, never
  added or deleted (a batch is made by "Put the selected approved claims in a new payment batch");
- a rate is read-only once a sent claim was priced with it (add a new row with its start date);
  rates are never deleted.
"""

from django.contrib import admin, messages

from core.admin import ReadOnlyHistoryAdmin, ViewOnlyInline
from core.history import register_history_admin

from . import selectors, services
from .models import Claim, ClaimEvent, ClaimLine, PaymentBatch, Rate, Receipt


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ["kind", "activity", "amount", "effective_from", "card", "confirm_flag", "source"]
    list_filter = ["kind", "needs_confirmation", ("role", admin.EmptyFieldListFilter)]
    list_select_related = ["role"]
    raw_id_fields = ["role"]

    @admin.display(description="Rate card")
    def card(self, obj):
        return f"Role: {obj.role.title} ({obj.role.project_id})" if obj.role_id else "The organisation's"
    ordering = ["kind", "-effective_from"]
    readonly_fields = ["in_use"]

    @admin.display(boolean=False, description="Confirm against current national guidance")
    def confirm_flag(self, obj):
        return "Confirm against current national guidance" if obj.needs_confirmation else "Confirmed"

    @admin.display(description="Used by sent claims")
    def in_use(self, obj):
        if obj is None or obj.pk is None:
            return "No"
        if selectors.rate_in_use(obj):
            return (
                "Yes: claims were priced with it, so it cannot change. To change the rate, add a new "
                "rate with the date it takes effect."
            )
        return "No: it can still be corrected."

    def has_change_permission(self, request, obj=None):
        if obj is not None and selectors.rate_in_use(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # older activity is priced by it: keep every row


class ClaimLineInline(ViewOnlyInline, admin.TabularInline):
    model = ClaimLine
    fields = ["kind", "date", "description", "quantity", "rate", "amount", "pricing_note", "budget_line"]
    readonly_fields = fields


class ReceiptInline(ViewOnlyInline, admin.TabularInline):
    model = Receipt
    extra = 0
    fields = [
        "original_name", "line", "content_type", "size", "uploaded_by", "uploaded_at", "file_removed_at",
        "file_removed_note",
    ]
    readonly_fields = fields


class ClaimEventInline(ViewOnlyInline, admin.TabularInline):
    model = ClaimEvent
    fields = ["created_at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields


def _run(modeladmin, request, queryset, verb, call):
    done = 0
    for claim in queryset:
        try:
            call(claim)
            done += 1
        except services.ClaimError as exc:
            modeladmin.message_user(request, f"Claim {claim.pk}: {exc.message}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done} claim(s) {verb}.", messages.SUCCESS)


@admin.register(Claim)
class ClaimAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "pk",
        "contributor",
        "project",
        "status",
        "total",
        "payment_preference",
        "is_late",
        "organisation_paid",
        "submitted_at",
        "approved_at",
        "paid_at",
    ]
    list_filter = [
        "status",
        "project",
        "organisation_paid",
        "is_late",
        "submitted_at",
        "approved_at",
        "paid_at",
    ]
    search_fields = ["contributor__name", "contributor__email", "project__title"]
    date_hierarchy = "submitted_at"
    list_select_related = ["contributor", "project"]
    inlines = [ClaimLineInline, ReceiptInline, ClaimEventInline]
    actions = ["approve_claims", "approve_claims_over_budget", "make_payment_batch"]

    # Claims are made, changed, sent, reviewed and paid through the services only: a field
    # edited here (lines, the contributor, a status) would leave totals, budgets and history
    # disagreeing with what was approved and paid.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Approve the selected claims (stops if over budget)")
    def approve_claims(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            "approved",
            lambda c: services.claim_approve(claim_id=c.pk, actor=request.user),
        )

    @admin.action(description="Approve the selected claims even if over budget")
    def approve_claims_over_budget(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            "approved",
            lambda c: services.claim_approve(claim_id=c.pk, actor=request.user, confirm_over_budget=True),
        )

    @admin.action(description="Put the selected approved claims in a new payment batch")
    def make_payment_batch(self, request, queryset):
        try:
            batch = services.batch_create(
                actor=request.user, claim_ids=list(queryset.values_list("pk", flat=True))
            )
        except services.ClaimError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(
                request, f"Payment batch {batch.pk} made; mark it paid from its page.", messages.SUCCESS
            )


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyHistoryAdmin):
    """Made by the claims action or the Payments page, paid with "Mark paid" there."""

    list_display = ["pk", "status", "reference", "paid_on", "created_by", "created_at"]
    list_filter = ["status", "paid_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Lines and receipts change inside the claim page: their own history is listed here.
register_history_admin(ClaimLine, "claim_id", "kind", "date", "description", "quantity", "amount")
register_history_admin(Receipt, "claim_id", "original_name", "content_type", "size")
