"""Finance, end to end: review the queue, query and approve claims, make a batch, pay it."""

import csv

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from expenses import services as expenses
from expenses.models import Claim
from expenses.selectors import BATCH_CSV_HEADER

from . import scenario
from .conftest import assert_accessible, heading, log_in

pytestmark = pytest.mark.browser


def test_finance_query_approve_batch_and_pay_claims(
    page, live_server, staff, finance, contributor, other_contributor, tmp_path
):
    plan = scenario.planned_project(staff=staff)
    other_contributor.profile.payment_preference = "vouchers"
    other_contributor.profile.save()
    for person in (contributor, other_contributor):
        scenario.member(plan=plan, staff=staff, contributor=person)
    zoe_claim = scenario.sent_claim(plan=plan, contributor=contributor)
    priya_claim = scenario.sent_claim(plan=plan, contributor=other_contributor)
    page.on("dialog", lambda dialog: dialog.accept())  # "Mark every claim in this batch as paid?"

    # The queue.
    log_in(page, live_server, finance.email)
    expect(heading(page)).to_have_text("Hello, Fin Finance")
    assert_accessible(page, "finance dashboard")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims to review").click()
    expect(heading(page)).to_have_text("Claims to review")
    page.get_by_label("Status").select_option(label="Sent, waiting for review")
    page.get_by_role("button", name="Show claims").click()
    expect(page.get_by_text("2 claims found.")).to_be_visible()
    queue = page.get_by_role("table")
    expect(queue.get_by_role("row").filter(has_text="Priya Patel")).to_contain_text("Vouchers")
    assert_accessible(page, "review queue")

    # Query Zoë's claim.
    page.get_by_role("link", name=f"Claim {zoe_claim.pk}", exact=True).click()
    expect(heading(page)).to_have_text(f"Claim {zoe_claim.pk}: {scenario.PROJECT}")
    expect(page.locator(".claim-status")).to_have_text("Sent, waiting for review")
    assert_accessible(page, "claim to review")
    page.get_by_label("Comment, question or reason").fill("Which hospital site was the meeting at?")
    page.get_by_role("button", name="Ask a question").click()
    # Back in the queue, the claim shows its new status in words.
    expect(page.get_by_text("Your question is sent to the contributor.")).to_be_visible()
    expect(heading(page)).to_have_text("Claims to review")
    page.get_by_label("Status").select_option(label="Any status")
    page.get_by_role("button", name="Show claims").click()
    zoe_row = page.get_by_role("row").filter(has_text=f"Claim {zoe_claim.pk}")
    expect(zoe_row.locator(".claim-status")).to_have_text("Question from the reviewer")
    assert_accessible(page, "review queue after a question")

    # She answers (through the service), and it is approved.
    expenses.claim_answer_query(claim_id=zoe_claim.pk, actor=contributor, comment="The Royal, Park Road.")
    page.get_by_role("link", name=f"Claim {zoe_claim.pk}", exact=True).click()
    expect(page.get_by_text("Which hospital site was the meeting at?")).to_be_visible()
    expect(page.get_by_text("The Royal, Park Road.")).to_be_visible()
    assert_accessible(page, "claim with an answer")
    page.get_by_role("button", name="Approve", exact=True).click()
    approved = f"Claim {zoe_claim.pk} is approved and waits for the next payment batch."
    expect(page.get_by_text(approved)).to_be_visible()

    # Priya's too.
    page.get_by_role("link", name=f"Claim {priya_claim.pk}", exact=True).click()
    expect(page.get_by_text("Vouchers instead of money")).to_be_visible()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text(f"Claim {priya_claim.pk} is approved")).to_be_visible()
    page.get_by_label("Status").select_option(label="Approved, waiting for payment")
    page.get_by_role("button", name="Show claims").click()
    expect(page.get_by_text("2 claims found.")).to_be_visible()

    # A payment batch and its CSV.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payments").click()
    expect(heading(page)).to_have_text("Payment batches")
    expect(page.get_by_text("approved claims waiting for payment")).to_contain_text("2")
    assert_accessible(page, "payment batches")
    page.get_by_role("button", name="Make a payment batch of these claims").click()
    batch = Claim.objects.get(pk=zoe_claim.pk).batch
    expect(page.get_by_text(f"Payment batch {batch.pk} is made.")).to_be_visible()
    expect(heading(page)).to_have_text(f"Payment batch {batch.pk}")
    expect(page.locator("p.status")).to_have_text("Waiting to be paid")
    assert_accessible(page, "payment batch")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the CSV").click()
    path = tmp_path / "batch.csv"
    download_info.value.save_as(path)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == list(BATCH_CSV_HEADER)
    by_claim = {row[0]: row for row in rows[1:]}
    assert set(by_claim) == {str(zoe_claim.pk), str(priya_claim.pk)}
    assert by_claim[str(zoe_claim.pk)][1] == "Zoë O'Brien"
    assert "VOUCHERS" in by_claim[str(priya_claim.pk)]
    assert by_claim[str(zoe_claim.pk)][4] == scenario.PROJECT

    # Paid.
    page.get_by_label("Payment reference").fill("BACS-2026-11")
    # Paid today, as the page already says: the date is not typed again.
    expect(page.get_by_label("Date paid")).to_have_value(timezone.localdate().isoformat())
    page.get_by_role("button", name=f"Mark batch {batch.pk} paid").click()
    paid = f"Batch {batch.pk} is marked paid; every claim in it is now paid."
    expect(page.get_by_text(paid)).to_be_visible()
    expect(page.locator("p.status")).to_contain_text("Paid on")
    expect(page.locator("p.status")).to_contain_text("reference BACS-2026-11")
    assert_accessible(page, "payment batch paid")
    assert set(Claim.objects.values_list("status", flat=True)) == {Claim.Status.PAID}
