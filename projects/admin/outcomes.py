"""Admin for outcomes and actions after a meeting: every save goes through the same services
as the site (projects/services/outcomes.py), so the rules and the project's history hold.
Feedback is not in the admin: staff see it only as anonymous totals (the feedback page)."""

from django import forms
from django.contrib import admin
from django.db import transaction

from core.errors import DomainError
from projects.models import Action, Outcome
from projects.services import outcomes as services


class _DryRun(Exception):
    pass


class ServiceForm(forms.ModelForm):
    """Runs the save's service in a transaction that is rolled back, so a rule it enforces
    shows beside the field like any admin error rather than failing on save."""

    actor = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.admin.run_service(self, actor=self.actor)
                raise _DryRun
        except _DryRun:
            pass
        except DomainError as error:
            error.show_on(self)


class ServiceAdmin(admin.ModelAdmin):
    form = ServiceForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor, form.admin = request.user, self
        return form

    def save_model(self, request, obj, form, change):
        saved = self.run_service(form, actor=request.user)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        return False  # contributors may have been told about it


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["what", "owner", "due_on", "status", "done_on", "what_changed"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Outcome)
class OutcomeAdmin(ServiceAdmin):
    list_display = ["said", "meeting", "recorded_by", "recorded_at"]
    list_select_related = ["meeting", "recorded_by"]
    search_fields = ["said", "meeting__title", "meeting__project__title"]
    autocomplete_fields = ["meeting"]
    fields = ["meeting", "said", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]
    inlines = [ActionInline]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "meeting"] if obj else self.readonly_fields

    @staticmethod
    def run_service(form, *, actor):
        data = form.cleaned_data
        if form.instance.pk:
            return services.outcome_update(actor=actor, outcome_id=form.instance.pk, said=data["said"])
        return services.outcome_record(actor=actor, meeting_id=data["meeting"].pk, said=data["said"])


@admin.register(Action)
class ActionAdmin(ServiceAdmin):
    list_display = ["what", "owner", "due_on", "status", "done_on"]
    list_filter = ["status", "due_on"]
    list_select_related = ["owner"]
    search_fields = ["what", "what_changed", "outcome__said", "outcome__meeting__title"]
    autocomplete_fields = ["outcome", "owner"]
    fields = ["outcome", "what", "owner", "due_on", "status", "what_changed", "done_on", "done_by"]
    readonly_fields = ["done_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.status == Action.Status.DONE:
            return [*self.fields]
        return (
            [*self.readonly_fields, "outcome"]
            if obj
            else [*self.readonly_fields, "status", "what_changed", "done_on"]
        )

    @staticmethod
    def run_service(form, *, actor):
        data = form.cleaned_data
        action = form.instance
        if not action.pk:
            return services.action_add(
                actor=actor,
                outcome_id=data["outcome"].pk,
                what=data["what"],
                owner=data["owner"],
                due_on=data["due_on"],
            )
        saved = services.action_update(
            actor=actor, action_id=action.pk, what=data["what"], owner=data["owner"], due_on=data["due_on"]
        )
        if data.get("status") == Action.Status.DONE:
            saved = services.action_mark_done(
                actor=actor,
                action_id=action.pk,
                what_changed=data.get("what_changed", ""),
                done_on=data.get("done_on"),
            )
        return saved
