"""Staff and finance pages on a 320px-wide phone, and the admin pages reviewers use: axe, 320px and
the keyboard."""

import pytest
from playwright.sync_api import expect

from expenses.models import PaymentBatch, Rate
from projects.services import roles as role_services
from reminders.models import ReminderSent

from . import scenario
from .conftest import (
    assert_accessible,
    assert_fits_320,
    assert_focus_visible,
    assert_tables_readable,
    heading,
    log_in,
    log_out,
    read_row,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def busy(staff, finance, contributor, other_contributor, tmp_path):
    """A project with a member, an expression of interest, a claim to review and a paid one."""
    plan = scenario.planned_project(staff=staff)
    scenario.member(plan=plan, staff=staff, contributor=contributor)
    role_services.interest_express(
        role=plan.role, actor=other_contributor, statement="I read hospital letters for my mum."
    )
    paid = scenario.sent_claim(plan=plan, contributor=contributor)
    paid = scenario.paid(paid, reviewer=staff, finance=finance)
    receipt = scenario.image_file(tmp_path)
    waiting = scenario.sent_claim(plan=plan, contributor=contributor, parking_receipt=receipt)
    return plan, paid, waiting


def test_every_staff_page_with_a_table_fits_a_320px_screen(
    page, live_server, staff, finance, contributor, busy
):
    plan, paid, waiting = busy
    page.set_viewport_size({"width": 320, "height": 800})

    def check(name, path, title):
        page.goto(live_server.url + path)
        expect(heading(page)).to_contain_text(title)
        assert_fits_320(page)
        assert_tables_readable(page)
        assert_accessible(page, f"{name} at 320px")

    log_in(page, live_server, staff.email)
    check("staff dashboard", "/staff/", "Hello, Sam Staff")
    check("projects", "/projects/", "Projects")
    check("project", f"/projects/{plan.project.pk}/", scenario.PROJECT)
    budget = page.get_by_role("table").filter(has_text="Budget lines")
    assert read_row(budget.get_by_role("row").filter(has_text="Travel"))[2:5] == [
        "Planned £200.00", f"Spent £{paid.expenses_amount}", f"Left £{200 - paid.expenses_amount:.2f}",
    ]
    check("meeting", f"/projects/meetings/{plan.meeting.pk}/", scenario.MEETING)
    check("role", f"/projects/roles/{plan.role.pk}/", scenario.ROLE)
    check("expressions of interest", f"/projects/roles/{plan.role.pk}/interests/", "Expressions of interest")
    check("contributors", "/people/pool/", "Contributors")
    check("contributor", f"/people/pool/{contributor.pk}/", contributor.name)
    check("reach report", "/people/reach/", "Reach report")
    check("claims to review", "/claims/review/", "Claims to review")
    queue = page.get_by_role("table").get_by_role("row").filter(has_text=f"Claim {waiting.pk}")
    assert read_row(queue)[1:6] == [
        f"Contributor {contributor}", f"Project {scenario.PROJECT}",
        f"Sent {waiting.submitted_at:%-d %b %Y}", "Status Sent, waiting for review",
        f"Total £{waiting.total}",
    ]
    check("claim to review", f"/claims/{waiting.pk}/", f"Claim {waiting.pk}")
    parking = page.get_by_role("table").get_by_role("row").filter(has_text="Hospital car park")
    assert read_row(parking)[-3:] == [
        "Amount £4.50", "Receipts parking-receipt.png", "Budget Travel and other expenses",
    ]
    page.get_by_role("button", name="Show or hide the menu").click()
    log_out(page)

    log_in(page, live_server, finance.email)
    batch = PaymentBatch.objects.get()
    check("payment batches", "/claims/batches/", "Payment batches")
    check("payment batch", f"/claims/batches/{batch.pk}/", f"Payment batch {batch.pk}")
    row = page.get_by_role("table").get_by_role("row").filter(has_text=scenario.PROJECT)
    assert read_row(row)[4:7] == [
        f"Time £{paid.time_amount}", f"Expenses £{paid.expenses_amount}", f"Total £{paid.total}",
    ]
    check("yearly totals", "/claims/yearly-report/", "Yearly totals")
    totals = page.get_by_role("table").get_by_role("row").filter(has_text=contributor.name)
    assert read_row(totals)[1:] == [
        f"Paid for time £{paid.time_amount}", f"Reimbursed expenses £{paid.expenses_amount}",
        f"Total £{paid.total}",
    ]


def admin_pages(plan, paid, waiting, staff, contributor):
    """The admin pages finance and admins use day to day, by name."""
    rate = Rate.objects.order_by("pk").first()
    reminder = ReminderSent.objects.order_by("pk").first()
    pages = {
        "admin home": "/admin/",
        "claims": "/admin/expenses/claim/",
        "claims to review": "/admin/expenses/claim/?status__exact=submitted",
        "a claim waiting for review": f"/admin/expenses/claim/{waiting.pk}/change/",
        "a paid claim": f"/admin/expenses/claim/{paid.pk}/change/",
        "a claim's history": f"/admin/expenses/claim/{paid.pk}/history/",
        "payment batches": "/admin/expenses/paymentbatch/",
        "a payment batch": f"/admin/expenses/paymentbatch/{paid.batch_id}/change/",
        "rates": "/admin/expenses/rate/",
        "a rate": f"/admin/expenses/rate/{rate.pk}/change/",
        "reminders sent": "/admin/reminders/remindersent/",
        "reminder settings": "/admin/reminders/remindersetting/",
        "calls and letters": "/admin/reminders/stafftask/",
        "people": "/admin/contributors/user/",
        "a person": f"/admin/contributors/user/{contributor.pk}/change/",
        "a staff member": f"/admin/contributors/user/{staff.pk}/change/",
        "requests to erase data": "/admin/contributors/erasurerequest/",
        "invitations": "/admin/contributors/invitation/",
        "projects": "/admin/projects/project/",
        "a meeting": f"/admin/projects/meeting/{plan.meeting.pk}/change/",
    }
    if reminder:
        pages["a reminder sent"] = f"/admin/reminders/remindersent/{reminder.pk}/change/"
    return pages


def test_the_admin_pages_reviewers_use_pass_axe_and_fit_a_phone(
    page, live_server, admin_user, staff, contributor, busy
):
    plan, paid, waiting = busy
    log_in(page, live_server, admin_user.email)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in admin_pages(plan, paid, waiting, staff, contributor).items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, f"{name}: {response.status}"
            expect(page.locator("#content h1")).to_be_visible()
            assert_accessible(page, f"admin: {name} at {width}px")
            if width == 320:
                assert_fits_320(page)


def test_the_admin_can_be_used_with_a_keyboard(page, live_server, admin_user, busy):
    plan, paid, waiting = busy
    log_in(page, live_server, admin_user.email)
    page.goto(f"{live_server.url}/admin/expenses/claim/")
    # Past the menus with the skip link; every stop on the way to a claim shows where focus is.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    link = page.get_by_role("link", name=str(waiting.pk), exact=True)
    for _ in range(40):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the claim in the admin's list")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Claims are read in the admin (they change only through the services): "View claim".
    expect(page.locator("#content h1")).to_have_text("View claim")
    # Links in the admin's text are underlined, not told apart by colour alone.
    crumb = page.locator(".breadcrumbs a").first
    assert "underline" in crumb.evaluate("el => getComputedStyle(el).textDecorationLine")
