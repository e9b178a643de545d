"""Security helpers shared by the apps: who the audit trail records outside a web request."""

from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


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


def update_with_history(queryset, *, user, **changes) -> int:
    """queryset.update(**changes) that also writes the audit trail, which a plain update skips.
    Three queries whatever the number of rows."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    count = model._default_manager.filter(pk__in=ids).update(**changes)
    changed = list(model._default_manager.filter(pk__in=ids))
    model.history.bulk_history_create(changed, update=True, default_user=user)
    return count
