"""Screenshots of the main pages, over the demo data, each also checked with axe.

Runs in `make test` (into a temporary folder). To refresh the pictures in the README:

    UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py

which rewrites docs/screenshots/*.png.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

import contributors.demo
import expenses.demo
import projects.demo
from expenses import services as expense_services
from expenses.models import Claim, PaymentBatch
from projects.models import Meeting, Project

from .conftest import assert_accessible, heading, log_in, log_out

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def folder(tmp_path):
    if os.environ.get("UPDATE_SCREENSHOTS") in {"1", "true", "yes"}:
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


def test_screenshots_of_the_main_pages(page, live_server, folder):
    people = contributors.demo.seed()
    people.update(projects.demo.seed(people))
    expenses.demo.seed(people)
    password = contributors.demo.DEMO_PASSWORD
    admin, staff, contributor = people["admin"], people["staff"], people["contributor"]
    project = Project.objects.filter(budget_lines__isnull=False).order_by("pk").first()
    meeting = Meeting.objects.filter(project=project).order_by("start").last()
    # A payment batch to show, when the demo has approved claims and no batch yet.
    if not PaymentBatch.objects.exists() and Claim.objects.filter(status=Claim.Status.APPROVED).exists():
        expense_services.batch_create(actor=admin)
    batch = PaymentBatch.objects.order_by("pk").first()
    claim = Claim.objects.filter(contributor=contributor).order_by("-pk").first()
    page.set_viewport_size({"width": 1280, "height": 800})

    def shot(name, path=None, title=None):
        if path:
            page.goto(live_server.url + path)
        if title:
            expect(heading(page)).to_contain_text(title)
        assert_accessible(page, name)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    shot("login", "/accounts/login/", "Log in")

    log_in(page, live_server, staff.email, password)
    shot("staff-dashboard", "/staff/", "Hello")
    shot("project-dashboard", f"/projects/{project.pk}/", project.title)
    if meeting:
        shot("meeting", f"/projects/meetings/{meeting.pk}/", meeting.title)
    shot("reach-report", "/people/reach/")
    log_out(page)

    log_in(page, live_server, admin.email, password)
    shot("review-queue", "/claims/review/", "Claims to review")
    if batch:
        shot("payment-batch", f"/claims/batches/{batch.pk}/", f"Payment batch {batch.pk}")
    else:
        shot("payment-batch", "/claims/batches/", "Payment batches")
    log_out(page)

    log_in(page, live_server, contributor.email, password)
    shot("contributor-dashboard", "/me/", "Hello")
    shot("claim-form", "/claims/new/", "Make a claim")
    if claim:
        shot("claim-detail", f"/claims/{claim.pk}/", f"Claim {claim.pk}")
    page.set_viewport_size({"width": 375, "height": 740})
    shot("contributor-dashboard-phone", "/me/", "Hello")
