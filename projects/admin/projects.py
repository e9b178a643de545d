"""Admin for projects, suitability, resources, power imbalances and meetings."""

from django import forms
from django.contrib import admin
from django.db import models

from contributors.models import AccessFeature
from projects.models import (
    BudgetLine,
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    Milestone,
    PieceOfWork,
    PowerImbalance,
    Project,
    ProjectEvent,
    Venue,
)
from projects.services.projects import ProjectError, project_check, project_update


class PieceOfWorkInline(admin.StackedInline):
    model = PieceOfWork
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    autocomplete_fields = ["managed_by"]


class PowerImbalanceInline(admin.TabularInline):
    model = PowerImbalance
    extra = 0
    autocomplete_fields = ["owner"]


class ProjectAdminForm(forms.ModelForm):
    """The site's rules for a project's own fields (dates in order; active only once the
    suitability assessment is complete), shown beside the field like any admin error."""

    class Meta:
        model = Project
        fields = "__all__"  # noqa: DJ007 - the admin decides which fields it shows

    def _post_clean(self):
        super()._post_clean()
        old_status = None
        if self.instance.pk:
            old_status = Project.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
        try:
            project_check(self.instance, old_status=old_status)
        except ProjectError as error:
            error.show_on(self)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectAdminForm
    list_display = ["title", "status", "lead", "start_date", "end_date", "archived_at"]
    list_filter = ["status", "involvement_level", ("archived_at", admin.EmptyFieldListFilter), "lead"]
    search_fields = ["title", "summary", "lead__name", "lead__email"]
    autocomplete_fields = ["lead", "team"]
    date_hierarchy = "start_date"
    inlines = [PieceOfWorkInline, MilestoneInline, BudgetLineInline, PowerImbalanceInline]
    readonly_fields = ["archived_at", "archived_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            ProjectEvent.objects.create(
                project=obj, actor=request.user, action="created", detail="In the admin."
            )
            return
        # Through the same service as the site, which checks the rules again under a lock and
        # records a change of status.
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in form.cleaned_data and name != "team"
        }
        project_update(project_id=obj.pk, actor=request.user, **fields)

    def has_delete_permission(self, request, obj=None):
        # Claims point at projects (PROTECT): projects are archived, never deleted.
        return False


@admin.register(PieceOfWork)
class PieceOfWorkAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "involvement_level"]
    list_filter = ["involvement_level"]
    search_fields = ["title", "project__title"]
    list_select_related = ["project"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "due_date", "done"]
    list_filter = ["done"]
    search_fields = ["title", "project__title"]
    list_select_related = ["project"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "description", "amount", "managed_by", "nominal_code", "cost_centre"]
    list_filter = ["kind"]
    search_fields = ["description", "project__title"]
    list_select_related = ["project", "managed_by"]


@admin.register(PowerImbalance)
class PowerImbalanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "owner", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["where", "step_taken", "project__title"]
    list_select_related = ["project", "owner"]


# Attendance decides who can claim and be paid: it is recorded on the site ("Record who
# came"), which keeps who recorded it and when; replies are the contributor's own.
INVITATION_READ_ONLY = ["reply", "reply_note", "reply_recorded_by", "attended", "invited_at", "replied_at"]


class MeetingInvitationInline(admin.TabularInline):
    model = MeetingInvitation
    extra = 0
    autocomplete_fields = ["contributor"]
    readonly_fields = INVITATION_READ_ONLY


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "start", "end", "organiser", "papers_sent_on"]
    list_filter = [("attendance_recorded_at", admin.EmptyFieldListFilter), "start"]
    search_fields = ["title", "project__title", "venue"]
    date_hierarchy = "start"
    list_select_related = ["project", "organiser"]
    autocomplete_fields = ["organiser"]
    inlines = [MeetingInvitationInline]
    # The admin's file widget links to the file's URL, and private papers have none (a 500).
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}


@admin.register(MeetingInvitation)
class MeetingInvitationAdmin(admin.ModelAdmin):
    list_display = ["contributor", "meeting", "reply", "attended"]
    list_filter = ["reply", "attended"]
    search_fields = ["contributor__name", "contributor__email", "meeting__title"]
    list_select_related = ["contributor", "meeting"]
    readonly_fields = INVITATION_READ_ONLY


class VenueAdminForm(forms.ModelForm):
    access_features = forms.MultipleChoiceField(
        choices=AccessFeature.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label="Access it offers",
    )

    class Meta:
        model = Venue
        fields = ["name", "address", "access_features", "access_information"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    """Venues meetings and series pick from, so their access is recorded once."""

    form = VenueAdminForm
    list_display = ["name", "address"]
    search_fields = ["name", "address"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    """Read only: a series is changed on the site, which tells everyone invited."""

    list_display = ["title", "project", "frequency", "first_start", "until", "count", "ended_at"]
    list_select_related = ["project"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ProjectEvent)
class ProjectEventAdmin(admin.ModelAdmin):
    list_display = ["at", "project", "action", "actor"]
    list_filter = ["action"]
    search_fields = ["project__title", "detail"]
    list_select_related = ["project", "actor"]

    def has_change_permission(self, request, obj=None):
        return False  # the record of who did what stays as it was

    def has_delete_permission(self, request, obj=None):
        return False
