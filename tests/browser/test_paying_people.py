"""Paying people for real: a contributor adds and changes bank details (with their password
again), and finance download the bank file, with the changed account held."""

import csv

import pytest
from playwright.sync_api import expect

from contributors.bank_details import bank_details_save
from expenses import services as expenses
from tests.factories import PASSWORD

from . import scenario
from .conftest import assert_accessible, heading, log_in, log_out

pytestmark = pytest.mark.browser


def test_a_contributor_adds_and_changes_bank_details_and_finance_download_the_bank_file(
    page, live_server, staff, finance, contributor, other_contributor, tmp_path
):
    plan = scenario.planned_project(staff=staff)
    for person in (contributor, other_contributor):
        scenario.member(plan=plan, staff=staff, contributor=person)
    bank_details_save(
        person=other_contributor, actor=other_contributor, method="bank",
        account_name="Priya Patel", sort_code="401122", account_number="55556666",
    )

    # Zoë adds her bank details: the page asks for her password first.
    log_in(page, live_server, contributor.email)
    page.goto(f"{live_server.url}/people/me/profile/")
    page.get_by_role("link", name="Your bank details").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(heading(page)).to_have_text("Your bank details")
    assert_accessible(page, "bank details, none yet")
    expect(page.get_by_label("Into my bank account")).to_be_checked()  # the choice already shown
    page.get_by_label("Name on the account").fill("Zoe O'Brien")
    page.get_by_label("Sort code").fill("20-45-77")
    page.get_by_label("Account number").fill("8765 4321")
    page.get_by_role("button", name="Save the bank details").click()
    expect(page.get_by_text("The bank details are saved.")).to_be_visible()
    expect(page.locator("[data-masked-account]")).to_have_text("Account number ending ••••4321")
    assert "87654321" not in page.content()

    # A mistake keeps what she typed and says why.
    page.get_by_label("Name on the account").fill("Zoe O'Brien")
    page.get_by_label("Sort code").fill("20-45")
    page.get_by_label("Account number").fill("11112222")
    page.get_by_role("button", name="Save the bank details").click()
    expect(page.get_by_text("Enter the sort code as 6 digits, like 12-34-56.").first).to_be_visible()
    expect(page.get_by_label("Account number")).to_have_value("11112222")

    # The change: her next payment is held.
    page.get_by_label("Sort code").fill("20-45-77")
    page.get_by_role("button", name="Save the bank details").click()
    expect(page.locator("[data-masked-account]")).to_have_text("Account number ending ••••2222")
    expect(page.get_by_text("Held until")).to_be_visible()
    assert_accessible(page, "bank details, changed")
    log_out(page)

    # Both claims approved and in a batch.
    for person in (contributor, other_contributor):
        claim = scenario.sent_claim(plan=plan, contributor=person)
        expenses.claim_approve(claim_id=claim.pk, actor=staff)
    batch = expenses.batch_create(actor=finance)

    # Finance download the bank file: Priya is in it, Zoë is held.
    log_in(page, live_server, finance.email)
    page.goto(f"{live_server.url}/claims/batches/{batch.pk}/")
    page.get_by_role("link", name="Bank file and who is left out").click()
    expect(heading(page)).to_have_text(f"Bank file for payment batch {batch.pk}")
    held = page.get_by_role("row").filter(has_text="Zoë O'Brien")
    expect(held).to_contain_text("Held after a change of bank details")
    assert_accessible(page, "bank file page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the bank file").click()
    path = tmp_path / "bank.csv"
    download_info.value.save_as(path)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["sort code", "account number", "account name", "amount", "reference"]
    assert [row[:3] for row in rows[1:]] == [["401122", "55556666", "PRIYA PATEL"]]
    assert rows[1][4] == f"CP{batch.pk}P{other_contributor.pk}"
