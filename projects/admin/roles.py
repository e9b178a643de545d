"""Admin for role templates, roles, versions, expressions of interest, applications and offers.

Templates are edited here. Roles, interest, offers and acceptances are read here and changed on
the site, through the services: a role's terms changed here would skip the new version people
must accept, an offer accepted here would skip the role's places, and so on.
"""

from django.contrib import admin, messages

from core.admin import ReadOnlyHistoryAdmin, ViewOnlyAdmin
from core.errors import DomainError
from core.history import register_history_admin
from projects.models import (
    Application,
    ExpressionOfInterest,
    Role,
    RoleAcceptance,
    RoleOffer,
    RoleTemplate,
    RoleVersion,
)


@admin.register(RoleTemplate)
class RoleTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    list_filter = ["is_default"]
    search_fields = ["name", "purpose", "activities"]


class RoleVersionInline(admin.TabularInline):
    model = RoleVersion
    extra = 0
    can_delete = False
    fields = ["number", "created_at", "created_by", "description"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # versions are made by role_update, never by hand


class RoleOfferInline(admin.TabularInline):
    model = RoleOffer
    extra = 0
    fields = ["contributor", "status", "offered_version", "accepted_version", "offered_at", "responded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Role)
class RoleAdmin(ReadOnlyHistoryAdmin, ViewOnlyAdmin):
    list_display = ["title", "project", "status", "selection_method", "places", "start_date", "end_date"]
    list_filter = ["status", "selection_method", "project"]
    search_fields = ["title", "purpose", "project__title"]
    list_select_related = ["project"]
    inlines = [RoleVersionInline, RoleOfferInline]


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(ViewOnlyAdmin):
    list_display = ["contributor", "role", "status", "created_at", "decided_by"]
    list_filter = ["status", "role__project"]
    search_fields = ["contributor__name", "contributor__email", "role__title"]
    list_select_related = ["contributor", "role", "decided_by"]
    raw_id_fields = ["contributor", "role"]


@admin.register(Application)
class ApplicationAdmin(ViewOnlyAdmin):
    """Applications to public adverts: read here. Shortlisting goes through the same service as
    the role's page; offering and turning down (which needs a reason the applicant is told) are
    done there."""

    list_display = ["name", "role", "contact_method", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "contact_method", "role__project"]
    search_fields = ["name", "email", "phone", "role__title"]
    list_select_related = ["role", "decided_by"]
    raw_id_fields = ["role", "contributor", "decided_by"]
    date_hierarchy = "created_at"
    actions = ["shortlist"]

    @admin.action(description="Shortlist the selected applications")
    def shortlist(self, request, queryset):
        from projects.services.adverts import application_shortlist

        done = 0
        for application in queryset.filter(status=Application.Status.RECEIVED):
            try:
                application_shortlist(application_id=application.pk, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{application.name}: {error}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} application(s) shortlisted.", messages.SUCCESS)


class RoleAcceptanceInline(admin.TabularInline):
    model = RoleAcceptance
    extra = 0
    readonly_fields = ["version", "accepted_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleOffer)
class RoleOfferAdmin(ReadOnlyHistoryAdmin, ViewOnlyAdmin):
    list_display = ["contributor", "role", "status", "offered_version", "accepted_version", "offered_at"]
    list_filter = ["status", "role__project"]
    search_fields = ["contributor__name", "contributor__email", "role__title"]
    list_select_related = ["contributor", "role", "offered_version", "accepted_version"]
    raw_id_fields = ["contributor", "role", "offered_version", "accepted_version"]
    inlines = [RoleAcceptanceInline]


# Acceptances are shown inside the offer: their own history is listed here.
register_history_admin(RoleAcceptance, "offer_id", "version_id", "accepted_at")
