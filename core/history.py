"""The audit trail (django-simple-history): who it records outside a web request, bulk updates
that still write it, and the admin list of versions for records shown only inline."""

from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib import admin
from simple_history.models import HistoricalRecords

from core.admin import ViewOnlyAdmin


@contextmanager
def acting_as(user):
    """Record `user` in the audit trail (django-simple-history) for writes made outside a web
    request: a management command, a Celery task or a shell. Web requests need nothing: the
    HistoryRequestMiddleware records request.user. Services stay unchanged either way."""
    context = HistoricalRecords.context
    saved = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if saved is None:
            del context.request
        else:
            context.request = saved


def update_with_history(queryset, *, actor, **changes) -> int:
    """queryset.update(**changes) that also writes the audit trail, which a plain update skips.
    Three queries whatever the number of rows."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    count = model._default_manager.filter(pk__in=ids).update(**changes)
    changed = list(model._default_manager.filter(pk__in=ids))
    model.history.bulk_history_create(changed, update=True, default_user=actor)
    return count


# --- the audit trail of records that the admin shows only inline ---------------------------
def register_history_admin(model, *fields: str):
    """A read-only admin list of every version of `model` (e.g. claim lines, acceptances),
    which have no admin page of their own to hang a History button on."""
    historical = model.history.model

    class HistoryAdmin(ViewOnlyAdmin):
        list_display = ["history_date", "history_user", "history_type", *fields]
        list_filter = ["history_type", "history_date"]
        list_select_related = ["history_user"]
        date_hierarchy = "history_date"

    HistoryAdmin.__name__ = f"{historical.__name__}Admin"
    admin.site.register(historical, HistoryAdmin)
    return HistoryAdmin
