"""Private file storage: receipts and meeting papers live outside MEDIA_ROOT under random
names, and are only ever served through views that check who is asking."""

import mimetypes
import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404

# Shown in the browser; anything else is downloaded, never opened by the page.
SHOWN_INLINE = {"application/pdf", "image/png", "image/jpeg"}


class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    # Read the setting each time, so tests (and deployments) can point it elsewhere.
    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def random_name(folder: str):
    """upload_to for private files: a random name, keeping only a safe extension."""

    def upload_to(instance, filename):
        ext = os.path.splitext(filename)[1].lower()
        ext = ext if ext in {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".odt", ".txt"} else ""
        return f"{folder}/{uuid.uuid4().hex}{ext}"

    upload_to.__qualname__ = f"random_name_{folder}"
    return upload_to


def serve_private_file(field_file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """The one response for a private file, after the view has checked who is asking: PDFs and
    images open in the browser, the rest download; never sniffed, never kept by a shared cache.
    A file missing from disk is a 404, not a server error."""
    if content_type is None:
        ext = os.path.splitext(field_file.name)[1].lower()
        content_type = mimetypes.types_map.get(ext, "application/octet-stream")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(
        handle, content_type=content_type, as_attachment=content_type not in SHOWN_INLINE, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
