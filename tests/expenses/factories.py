"""Factories for the expenses tests."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from expenses import services

# The project-side factories live in tests/projects/factories.py; re-exported for older imports.
from tests.projects.factories import BudgetLineFactory, ProjectFactory, give_role  # noqa: F401


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (30, 30, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(name="receipt.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, jpeg_bytes() if content is None else content, content_type=content_type)


def receipt_pair(name="receipt.jpg"):
    return (upload(name), "image/jpeg")


def line(
    kind="public_transport", *, when=None, quantity=None, amount=None, description="Train fare", receipts=None
):
    if kind in {
        "time_hours",
        "time_half_day",
        "time_day",
        "mileage_car",
        "mileage_motorcycle",
        "mileage_bicycle",
    }:
        quantity = Decimal("1") if quantity is None else Decimal(str(quantity))
        receipts = receipts or []
    else:
        amount = Decimal("12.50") if amount is None else Decimal(str(amount))
        receipts = [receipt_pair()] if receipts is None else receipts
    return services.LineInput(
        kind=kind,
        date=when or days_ago(2),
        description=description,
        quantity=quantity,
        amount=amount,
        receipts=receipts,
    )


def make_claim(contributor, project, lines=None, *, submit=True, entered_by=None):
    return services.claim_create(
        contributor=contributor,
        project=project,
        actor=entered_by or contributor,
        lines=lines or [line()],
        submit=submit,
    )
