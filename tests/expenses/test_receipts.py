"""Receipts are checked by content, stored privately and opened only by the right people."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import check_receipt
from expenses.models import Receipt
from tests.factories import AdminFactory, ContributorFactory, StaffFactory

from .factories import jpeg_bytes, line, make_claim, pdf_bytes, png_bytes, upload

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (jpeg_bytes(), "image/jpeg"),
        (png_bytes(), "image/png"),
        (pdf_bytes(), "application/pdf"),
    ],
)
def test_it_accepts_real_jpeg_png_and_pdf_files_whatever_their_name(content, expected):
    assert check_receipt(SimpleUploadedFile("scan.txt", content)) == expected


@pytest.mark.parametrize("content", [ELF, MZ, b"just some text pretending", b"<html><script></script>"])
def test_it_refuses_an_executable_or_anything_else_renamed_pdf(content):
    with pytest.raises(ValidationError) as raised:
        check_receipt(SimpleUploadedFile("receipt.pdf", content, content_type="application/pdf"))
    assert raised.value.messages == [
        "This file is not a JPEG photo, PNG image or PDF. Take a photo of the receipt, "
        "or save it as a PDF, and try again."
    ]


def test_it_refuses_a_file_over_10_mb():
    big = SimpleUploadedFile("photo.jpg", jpeg_bytes() + b"\x00" * (11 * 1024 * 1024))
    with pytest.raises(ValidationError) as raised:
        check_receipt(big)
    assert raised.value.messages == [
        "This file is 11.0 MB; the most we can take is 10 MB. Take a smaller photo or scan, and try again."
    ]


def test_it_refuses_a_broken_image_with_a_jpeg_header():
    with pytest.raises(ValidationError, match="could not be read"):
        check_receipt(SimpleUploadedFile("photo.jpg", jpeg_bytes()[:40]))


@pytest.mark.django_db
def test_receipts_are_stored_privately_under_random_names(member, project, settings):
    claim = make_claim(member, project, [line(receipts=[(upload("My bank statement.jpg"), "image/jpeg")])])
    receipt = claim.receipts.get()
    assert receipt.original_name == "My bank statement.jpg"
    assert receipt.file.name.startswith("receipts/") and "bank" not in receipt.file.name
    assert receipt.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with pytest.raises(ValueError):
        receipt.file.url  # noqa: B018 - private files have no public URL


# --- who can open a receipt ------------------------------------------------------------------


@pytest.fixture
def receipt(member, project):
    claim = make_claim(member, project, [line(receipts=[(upload("ticket.jpg"), "image/jpeg")])])
    return claim.receipts.get()


def _people(kind, project, member, staff):
    if kind == "anonymous":
        return None
    if kind == "another contributor":
        return ContributorFactory()
    if kind == "the claimant":
        return member
    if kind == "staff outside the project":
        return StaffFactory()
    if kind == "project lead":
        return staff
    if kind == "project team":
        person = StaffFactory()
        project.team.add(person)
        return person
    if kind == "finance":
        return StaffFactory(is_finance=True)
    if kind == "admin":
        return AdminFactory(is_finance=False)
    raise AssertionError(kind)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("another contributor", 404),
        ("the claimant", 200),
        ("staff outside the project", 404),
        ("project lead", 200),
        ("project team", 200),
        ("finance", 200),
        ("admin", 200),
    ],
)
def test_receipt_privacy(client, receipt, project, member, staff, who, status):
    person = _people(who, project, member, staff)
    if person:
        client.force_login(person)
    response = client.get(reverse("expenses:receipt", args=[receipt.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == receipt.file.open("rb").read()
    if status == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_receipt_upload_on_the_claim_page_is_checked_by_content(client, member, project):
    claim = make_claim(member, project, [line("parking", receipts=[])], submit=False)
    client.force_login(member)
    url = reverse("expenses:receipt_add", args=[claim.pk])
    response = client.post(
        url,
        {
            "line": "",
            "receipt": SimpleUploadedFile("r.pdf", MZ, content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "This file is not a JPEG photo, PNG image or PDF." in response.content.decode()
    assert not Receipt.objects.exists()
    response = client.post(
        url,
        {
            "line": claim.lines.get().pk,
            "receipt": SimpleUploadedFile("r.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    assert claim.receipts.get().content_type == "application/pdf"
