from django import forms
from django.contrib import admin, messages
from django.utils.text import capfirst

from core.admin import ViewOnlyAdmin

from . import registry, services
from .models import GroupMessage, ReminderSent, ReminderSetting, StaffTask


class ReminderSettingListForm(forms.ModelForm):
    """The boxes in the list, named with their row: a column heading alone does not label them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label}: {self.instance.get_kind_display()}"


def _lead_time(setting: ReminderSetting) -> str:
    kind = registry.KINDS.get(setting.kind)
    return f"{capfirst(kind.lead_means)} (default {kind.lead_days})." if kind else ""


@admin.register(ReminderSetting)
class ReminderSettingAdmin(admin.ModelAdmin):
    list_display = ["kind", "enabled", "lead_days", "lead_time_counts", "subject"]
    list_editable = ["enabled", "lead_days"]
    fields = ["kind", "enabled", "lead_days", "subject", "intro"]
    readonly_fields = ["kind"]

    @admin.display(description="what the lead time counts")
    def lead_time_counts(self, setting):
        return _lead_time(setting)

    def changelist_view(self, request, extra_context=None):
        services.create_missing_settings()  # every kind in the registry is listed
        return super().changelist_view(request, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "lead_days" in form.base_fields:
            form.base_fields["lead_days"].help_text = _lead_time(obj)
        return form

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=ReminderSettingListForm, **kwargs)

    def has_add_permission(self, request):
        return False  # one row per kind in the registry, made from its defaults

    def has_delete_permission(self, request, obj=None):
        return False  # switch a reminder off instead


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "recipient",
        "channel",
        "status",
        "attempts",
        "sent_at",
        "message_subject",
    ]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["recipient__email", "recipient__name", "subject_key", "message_subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["try_again"]
    readonly_fields = [f.name for f in ReminderSent._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Try sending the selected failed reminders again")
    def try_again(self, request, queryset):
        count = services.retry_failed(reminder_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} failed reminder(s) queued to send again.", messages.SUCCESS)


@admin.register(StaffTask)
class StaffTaskAdmin(admin.ModelAdmin):
    list_display = ["text", "assigned_to", "created_at", "done_at", "done_by"]
    list_filter = [("done_at", admin.EmptyFieldListFilter)]
    search_fields = ["text", "contributor__name", "assigned_to__name"]
    list_select_related = ["assigned_to", "done_by"]
    raw_id_fields = ["reminder", "assigned_to", "contributor", "done_by"]


@admin.register(GroupMessage)
class GroupMessageAdmin(ViewOnlyAdmin):
    """Messages staff sent to a group: each person's copy is listed under Reminders sent (kind
    "A message from staff"), where a failed one can be tried again."""

    list_display = ["created_at", "subject", "project", "meeting", "audience", "sent_by"]
    list_filter = ["audience", "project"]
    search_fields = ["subject", "body", "project__title"]
    list_select_related = ["project", "meeting", "sent_by"]
    date_hierarchy = "created_at"
