"""Upload checks by content, never by the file name alone: an executable renamed .pdf is refused."""

import os

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

ALLOWED = {"image/jpeg": "JPEG photo", "image/png": "PNG image", "application/pdf": "PDF"}

NOT_ALLOWED_MESSAGE = (
    "This file is not a JPEG photo, PNG image or PDF. Take a photo of the receipt, "
    "or save it as a PDF, and try again."
)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_receipt(upload) -> str:
    """Return the content type of a good receipt, or raise ValidationError saying why not."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"This file is {_megabytes(upload.size)}; the most we can take is "
            f"{limit // (1024 * 1024)} MB. Take a smaller photo or scan, and try again.",
            code="too_big",
        )
    if upload.size == 0:
        raise ValidationError("This file is empty. Choose the receipt again.", code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise ValidationError(NOT_ALLOWED_MESSAGE, code="wrong_type")
    if mime.startswith("image/"):
        try:
            with Image.open(upload) as image:
                image.verify()
        except Exception as exc:  # Pillow raises many kinds for a broken image
            raise ValidationError(
                "This image could not be read; it may be damaged. Take the photo again.",
                code="broken_image",
            ) from exc
        finally:
            upload.seek(0)
    return mime


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
