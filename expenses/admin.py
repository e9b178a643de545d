"""Admin: claims with their lines inline; actions call the same services as the pages."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from coproduction.security import register_history_admin

from . import services
from .models import Claim, ClaimEvent, ClaimLine, PaymentBatch, Rate, Receipt


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ["kind", "amount", "effective_from", "confirm_flag", "source"]
    list_filter = ["kind", "needs_confirmation"]
    ordering = ["kind", "-effective_from"]

    @admin.display(boolean=False, description="Confirm against current national guidance")
    def confirm_flag(self, obj):
        return "Confirm against current national guidance" if obj.needs_confirmation else "Confirmed"


class ClaimLineInline(admin.TabularInline):
    model = ClaimLine
    extra = 0
    fields = ["kind", "date", "description", "quantity", "rate", "amount", "pricing_note", "budget_line"]
    # The amount is typed only for costs paid; time and mileage are priced from the rates.
    readonly_fields = ["rate", "pricing_note"]


class ReceiptInline(admin.TabularInline):
    model = Receipt
    extra = 0
    fields = [
        "original_name", "line", "content_type", "size", "uploaded_by", "uploaded_at", "file_removed_at",
        "file_removed_note",
    ]
    readonly_fields = fields
    can_delete = False


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    fields = ["created_at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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
class ClaimAdmin(SimpleHistoryAdmin):
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
    # Status and money change only through the services, so history stays complete.
    readonly_fields = [
        "status",
        "time_amount",
        "expenses_amount",
        "total",
        "submitted_at",
        "approved_at",
        "paid_at",
        "payment_preference",
        "is_late",
        "reviewed_by",
        "rejection_reason",
        "batch",
        "entered_by",
        "created_at",
        "entered_on_behalf",
        "organisation_paid",
    ]
    actions = ["approve_claims", "approve_claims_over_budget", "make_payment_batch"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Lines edited inline are priced again by the same service, and the change recorded.
        if change and any(fs.has_changed() for fs in formsets if fs.model is ClaimLine):
            try:
                services.claim_reprice(claim_id=form.instance.pk, user=request.user)
            except services.ClaimError as exc:
                self.message_user(request, exc.message, messages.ERROR)

    @admin.action(description="Approve the selected claims (stops if over budget)")
    def approve_claims(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            "approved",
            lambda c: services.claim_approve(claim_id=c.pk, reviewer=request.user),
        )

    @admin.action(description="Approve the selected claims even if over budget")
    def approve_claims_over_budget(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            "approved",
            lambda c: services.claim_approve(claim_id=c.pk, reviewer=request.user, confirm_over_budget=True),
        )

    @admin.action(description="Put the selected approved claims in a new payment batch")
    def make_payment_batch(self, request, queryset):
        try:
            batch = services.batch_create(
                user=request.user, claim_ids=list(queryset.values_list("pk", flat=True))
            )
        except services.ClaimError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(
                request, f"Payment batch {batch.pk} made; mark it paid from its page.", messages.SUCCESS
            )


@admin.register(PaymentBatch)
class PaymentBatchAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "status", "reference", "paid_on", "created_by", "created_at"]
    list_filter = ["status", "paid_on"]
    readonly_fields = ["status", "reference", "paid_on", "paid_by", "created_by", "created_at"]


# Lines and receipts change inside the claim page: their own history is listed here.
register_history_admin(ClaimLine, "claim_id", "kind", "date", "description", "quantity", "amount")
register_history_admin(Receipt, "claim_id", "original_name", "content_type", "size")
