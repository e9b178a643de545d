from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.names import clean_name

from .models import Availability, ContributorProfile, EqualityMonitoring, ErasureRequest, Invitation, User
from .selectors import email_held_by_another
from .services import EMAIL_TAKEN, PersonError, email_address_sync, person_anonymise


class PersonRulesMixin:
    """The same rules as the site's own forms: an address another account holds is refused, and
    names are cleaned by the one rule for names."""

    def clean_name(self):
        return clean_name(self.cleaned_data.get("name", ""))

    def clean_preferred_name(self):
        return clean_name(self.cleaned_data.get("preferred_name", ""))

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if not email:
            # Contributors reached by phone or post have none; staff always log in.
            if self.cleaned_data.get("is_staff") or getattr(self.instance, "is_staff", False):
                raise forms.ValidationError("Staff need an email address to log in.")
            return None
        if email_held_by_another(email, user=self.instance if self.instance.pk else None):
            raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return email


class UserChangeForm(PersonRulesMixin, auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User


class UserCreationForm(PersonRulesMixin, auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class ProfileInline(admin.StackedInline):
    model = ContributorProfile
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "preferred_name", "is_staff", "is_finance", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_finance", "is_superuser", "is_active", "anonymised_at"]
    search_fields = ["email", "name", "preferred_name"]
    inlines = [ProfileInline]
    actions = ["anonymise_people"]
    readonly_fields = ["anonymised_at", "anonymised_by"]

    @admin.action(description="Anonymise: remove personal data, keep financial records")
    def anonymise_people(self, request, queryset):
        _anonymise(self, request, queryset)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.anonymised_at:
            email_address_sync(user=obj)  # allauth's record follows the login
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("name", "preferred_name")}),
        (
            "Roles",
            {"fields": ("is_active", "is_staff", "is_finance", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined", "anonymised_at", "anonymised_by")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2", "is_staff")}),
    )


class AvailabilityInline(admin.TabularInline):
    model = Availability
    extra = 0


@admin.register(ContributorProfile)
class ContributorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "contact_method", "payment_preference", "updated_at"]
    list_filter = ["contact_method", "payment_preference"]
    search_fields = ["user__email", "user__name", "interests", "lived_experience"]
    list_select_related = ["user"]
    inlines = [AvailabilityInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["accepted_at", "created_at"]
    search_fields = ["email"]
    readonly_fields = ["token_hash"]
    list_select_related = ["invited_by"]


def _anonymise(model_admin, request, users):
    done = 0
    for user in users:
        try:
            person_anonymise(user=user, actor=request.user)
        except PersonError as error:
            model_admin.message_user(request, f"{user}: {error}", messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, f"Personal data removed for {done} person(s).", messages.SUCCESS)


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "requested_at", "handled_at", "handled_by"]
    list_filter = ["status", "requested_at"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user", "handled_by"]
    readonly_fields = ["user", "reason", "requested_at", "handled_at", "handled_by", "status"]
    actions = ["anonymise_requesters"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Anonymise these people (removes personal data, keeps financial records)")
    def anonymise_requesters(self, request, queryset):
        people = [r.user for r in queryset.select_related("user") if not r.user.anonymised_at]
        _anonymise(self, request, people)


@admin.register(EqualityMonitoring)
class EqualityMonitoringAdmin(admin.ModelAdmin):
    """Only superusers may see individual answers; staff use the reach report's totals."""

    list_display = ["pk", "consent_given_at", "updated_at"]
    list_filter = ["age_band", "gender", "ethnic_group", "disability", "carer"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AllauthEmailAddressAdmin):
    """Read only: change a person's address on their record under Users (or they change it
    themselves), which keeps this record and their login the same."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

