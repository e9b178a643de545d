"""Hostile files at the receipt and meeting-papers uploads: refused by content, stored privately
under random names, and served only with headers that stop a browser running them."""

import io
import os
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.uploads import NOT_ALLOWED_MESSAGE, PAPERS_NOT_ALLOWED
from expenses.models import Receipt
from tests.expenses.factories import jpeg_bytes, line, pdf_bytes, png_bytes

from .urlwalk import body
from .world import build_world

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 400
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 400
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script></svg>"
)
# A real JPEG with a web page after it: a valid image, so it is kept, but never served as a page.
POLYGLOT = jpeg_bytes() + HTML
LIMIT = 10 * 1024 * 1024

HOSTILE = {
    "an ELF executable renamed .pdf": ("receipt.pdf", ELF, "application/pdf"),
    "a Windows executable renamed .jpg": ("photo.jpg", MZ, "image/jpeg"),
    "an HTML page renamed .png": ("photo.png", HTML, "image/png"),
    "an SVG with script renamed .png": ("photo.png", SVG, "image/png"),
    "a PNG header with script after it": ("photo.png", png_bytes()[:16] + HTML, "image/png"),
}


@pytest.fixture
def world(db):
    return build_world()


def _draft(world):
    from expenses import services

    return services.claim_create(
        contributor=world.a,
        project=world.project,
        actor=world.a,
        submit=False,
        lines=[line("parking", receipts=[])],
    )


def _upload_receipt(client, claim, name, content, content_type="application/octet-stream"):
    return client.post(
        reverse("expenses:receipt_add", args=[claim.pk]),
        {
            "line": "",
            "receipt": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


@pytest.mark.parametrize("case", list(HOSTILE))
def test_it_refuses_hostile_receipts_by_content(world, client, case):
    claim = _draft(world)
    client.force_login(world.a)
    name, content, content_type = HOSTILE[case]
    response = _upload_receipt(client, claim, name, content, content_type)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    # A PNG header followed by a web page gets past the type check but not the image reader.
    assert NOT_ALLOWED_MESSAGE in page or "This image could not be read" in page
    assert not claim.receipts.exists()


def test_it_refuses_a_receipt_one_byte_over_ten_megabytes_and_takes_one_of_exactly_ten(world, client):
    claim = _draft(world)
    client.force_login(world.a)
    exactly = jpeg_bytes()
    exactly += b"\x00" * (LIMIT - len(exactly))
    response = _upload_receipt(client, claim, "big.jpg", exactly + b"\x00", "image/jpeg")
    assert "the most we can take is 10 MB" in response.content.decode()
    assert not claim.receipts.exists()
    assert _upload_receipt(client, claim, "big.jpg", exactly, "image/jpeg").status_code == 302
    assert claim.receipts.get().size == LIMIT


def test_it_refuses_an_empty_receipt(world, client):
    claim = _draft(world)
    client.force_login(world.a)
    response = _upload_receipt(client, claim, "empty.pdf", b"", "application/pdf")
    assert response.status_code == 200
    assert "The submitted file is empty." in response.content.decode() or "This file is empty" in (
        response.content.decode()
    )
    assert not claim.receipts.exists()


@pytest.mark.parametrize(
    "name, kept_as",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32.pdf", "system32.pdf"),
        ('Zoë "O\'Brien" receipt\r\nX-Evil: 1.pdf', None),
        ("收据 ✓.pdf", "收据 ✓.pdf"),
    ],
)
def test_it_keeps_strange_names_as_harmless_labels_only(world, client, name, kept_as):
    claim = _draft(world)
    client.force_login(world.a)
    assert _upload_receipt(client, claim, name, pdf_bytes(), "application/pdf").status_code == 302
    receipt = claim.receipts.get()
    if kept_as:
        assert receipt.original_name.endswith(kept_as.split("\\")[-1]) or receipt.original_name == kept_as
    assert "/" not in receipt.original_name and ".." not in receipt.original_name.replace("...", "")
    # Stored under a random name inside the private folder, whatever it was called.
    path = os.path.realpath(receipt.file.path)
    assert path.startswith(os.path.realpath(settings.PRIVATE_MEDIA_ROOT) + os.sep)
    assert os.path.basename(path).removesuffix(".pdf").isalnum()
    response = client.get(reverse("expenses:receipt", args=[receipt.pk]))
    disposition = response["Content-Disposition"]
    body(response)
    assert (
        "\r" not in disposition and "\n" not in disposition and "/" not in disposition.split("filename")[-1]
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_polyglot_image_is_served_as_an_image_never_as_a_page(world, client):
    claim = _draft(world)
    client.force_login(world.a)
    assert _upload_receipt(client, claim, "photo.html", POLYGLOT, "text/html").status_code == 302
    receipt = claim.receipts.get()
    assert receipt.content_type == "image/jpeg" and not receipt.file.name.endswith(".html")
    response = client.get(reverse("expenses:receipt", args=[receipt.pk]))
    body(response)
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_only_the_right_people_open_a_receipt(world, client):
    receipt = world.objects["receipt"]
    url = reverse("expenses:receipt", args=[receipt.pk])
    expected = {
        "anonymous": 302,
        "contributor_b": 404,
        "b_on_same_project": 404,
        "staff_outside": 404,
        "contributor_a": 200,
        "project_staff": 200,
        "admin": 200,
    }
    for who, status in expected.items():
        client.logout()
        user = world.users()[who]
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        body(response)  # read to the end, which closes the file
        assert (who, response.status_code) == (who, status)
    assert Receipt.objects.count() == 2


# --- meeting papers ------------------------------------------------------------------------


def _papers_post(world, name, content):
    start = timezone.localtime() + timedelta(days=21)
    return {
        "title": "Steering group",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Room 2",
        "papers_sent_on": (start.date() - timedelta(days=10)).isoformat(),
        "override_reason": "Testing uploads",
        "papers_file": SimpleUploadedFile(name, content),
    }


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("agenda.pdf", ELF),
        ("agenda.docx", MZ),
        ("agenda.pdf", HTML),
        ("agenda", HTML),
        ("agenda.txt", SVG),
        ("agenda.png", SVG),
        ("agenda.jpg", pdf_bytes()),
        ("run-me", ELF),
    ],
)
def test_it_refuses_hostile_meeting_papers(world, client, name, content):
    meeting = world.objects["meeting"]
    before = meeting.papers_file.name
    client.force_login(world.lead)
    response = client.post(
        reverse("projects:meeting_edit", args=[meeting.pk]), _papers_post(world, name, content)
    )
    assert response.status_code == 200
    assert PAPERS_NOT_ALLOWED in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.papers_file.name == before


@pytest.mark.parametrize(
    "name, content, disposition",
    [
        ("agenda.pdf", pdf_bytes(), "inline"),
        ("agenda.docx", _docx(), "attachment"),
        ("Notes for Zoë.txt", b"Agenda: tea, then letters.", "attachment"),
        ("../../etc/passwd.pdf", pdf_bytes(), "inline"),
    ],
)
def test_it_keeps_real_papers_privately_and_serves_them_safely(world, client, name, content, disposition):
    meeting = world.objects["meeting"]
    client.force_login(world.lead)
    response = client.post(
        reverse("projects:meeting_edit", args=[meeting.pk]), _papers_post(world, name, content)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert meeting.papers_file.name.startswith("papers/") and "etc" not in meeting.papers_file.name
    served = client.get(reverse("projects:meeting_papers", args=[meeting.pk]))
    assert b"".join(served.streaming_content) == content
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith(disposition)
    assert "text/html" not in served["Content-Type"]
