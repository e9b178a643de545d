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


# --- uploaded meeting papers ---------------------------------------------------------------
# Papers may be Word or text documents as well as PDFs and images, so unlike receipts they are
# not limited to three types; but what a name claims must be what the content is, and nothing
# a browser or a computer could run is kept.
_EXECUTABLE_STARTS = (b"\x7fELF", b"MZ", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
_MARKUP = (b"<html", b"<!doctype html", b"<svg", b"<script", b"<?xml", b"<body", b"<iframe")
_NAMED_TYPES = {
    ".pdf": {"application/pdf"},
    ".png": {"image/png"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
    ".odt": {"application/vnd.oasis.opendocument.text", "application/zip"},
    ".doc": {"application/msword", "application/x-ole-storage", "application/x-cfb"},
}
PAPERS_NOT_ALLOWED = (
    "This file cannot be used as meeting papers. Upload a PDF, a Word or OpenDocument file, "
    "a plain text file or a photo, or give a link instead."
)


def check_papers(upload) -> None:
    """Raise ValidationError when an uploaded papers file is empty, runnable, web markup, or not
    what its name says."""
    import os

    import filetype
    from django.core.exceptions import ValidationError

    if upload.size == 0:
        raise ValidationError("This file is empty. Choose the papers again.", code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_EXECUTABLE_STARTS) or start.startswith(_MARKUP):
        raise ValidationError(PAPERS_NOT_ALLOWED, code="not_allowed")
    ext = os.path.splitext(upload.name or "")[1].lower()
    kind = filetype.guess(head)
    if ext in _NAMED_TYPES:
        if kind is None or kind.mime not in _NAMED_TYPES[ext]:
            raise ValidationError(PAPERS_NOT_ALLOWED, code="wrong_type")
    elif ext == ".txt":
        if b"\x00" in head or b"<script" in head.lower():
            raise ValidationError(PAPERS_NOT_ALLOWED, code="wrong_type")
    else:
        # Stored without an extension and always downloaded, never shown in the browser.
        if kind is not None and kind.mime.startswith(
            ("application/x-executable", "application/x-msdownload")
        ):
            raise ValidationError(PAPERS_NOT_ALLOWED, code="not_allowed")


# --- the audit trail of records that the admin shows only inline ---------------------------
def register_history_admin(model, *fields: str):
    """A read-only admin list of every version of `model` (e.g. claim lines, acceptances),
    which have no admin page of their own to hang a History button on."""
    from django.contrib import admin

    historical = model.history.model

    class HistoryAdmin(admin.ModelAdmin):
        list_display = ["history_date", "history_user", "history_type", *fields]
        list_filter = ["history_type", "history_date"]
        list_select_related = ["history_user"]
        date_hierarchy = "history_date"

        def has_add_permission(self, request):
            return False

        def has_change_permission(self, request, obj=None):
            return False

        def has_delete_permission(self, request, obj=None):
            return False

    HistoryAdmin.__name__ = f"{historical.__name__}Admin"
    admin.site.register(historical, HistoryAdmin)
    return HistoryAdmin
