"""Receipt checks by content, never by the file name: an executable renamed .pdf is refused."""

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
