from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Availability, ContributorProfile, Invitation, User


class ProfileInline(admin.StackedInline):
    model = ContributorProfile
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "preferred_name", "is_staff", "is_finance", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_finance", "is_superuser", "is_active"]
    search_fields = ["email", "name", "preferred_name"]
    inlines = [ProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("name", "preferred_name")}),
        (
            "Roles",
            {"fields": ("is_active", "is_staff", "is_finance", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
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
