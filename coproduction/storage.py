"""Private file storage: receipts and meeting papers live outside MEDIA_ROOT under random
names, and are only ever served through views that check who is asking."""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage


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
