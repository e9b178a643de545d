"""The public path in a real browser at 320px: an anonymous visitor reads an advert and applies,
staff offer them the role, and the invitation email makes them a contributor who accepts it."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from projects.models import Application, RoleOffer
from projects.services.adverts import screening_questions_set
from projects.services.roles import role_update

from .conftest import assert_accessible, assert_fits_320, heading, log_in

pytestmark = pytest.mark.browser

ROLE = "Diabetes clinic panel member"
QUESTION = "Have you used a diabetes clinic in the last 2 years?"


@pytest.fixture
def advert(staff):
    from tests.roles.factories import ProjectFactory, make_role

    cache.clear()  # the rate limit counts applications per address in the shared cache
    project = ProjectFactory(title="Better diabetes care together", lead=staff)
    role = make_role(project=project, by=staff, title=ROLE, places=2)
    role, _ = role_update(
        role=role, actor=staff, advertised=True,
        closing_date=timezone.localdate() + timedelta(days=14),
        payment_terms="£25 an hour, paid by bank transfer. Travel paid back.",
        apply_offline="Phone Sam on 0113 496 0000.",
        support_offered="Large print papers, step-free rooms, a carer's costs paid.",
    )
    screening_questions_set(role=role, texts=[QUESTION], actor=staff)
    return role


def see(page, what):
    """Each page the visitor reaches: it fits a phone and axe finds nothing."""
    assert_fits_320(page)
    assert_accessible(page, what)


def test_a_visitor_applies_is_offered_the_role_and_accepts_it(page, live_server, staff, advert):
    page.set_viewport_size({"width": 320, "height": 800})

    # Anonymous: the list, the advert, the form.
    page.goto(f"{live_server.url}/projects/adverts/")
    expect(heading(page)).to_have_text("Get involved")
    expect(page.get_by_text("£25 an hour, paid by bank transfer.")).to_be_visible()
    see(page, "public list of adverts")
    page.get_by_role("link", name=ROLE).click()
    expect(heading(page)).to_have_text(ROLE)
    expect(page.get_by_text("Large print papers, step-free rooms")).to_be_visible()
    expect(page.get_by_text("Phone Sam on 0113 496 0000.")).to_be_visible()
    see(page, "public advert")
    page.get_by_role("link", name="Apply online").click()
    expect(heading(page)).to_have_text(f"Apply: {ROLE}")
    see(page, "application form")

    # Sending it empty says what is missing and keeps the page usable.
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Tell us in a few words why you would like to do this.").first).to_be_visible()
    see(page, "application form with errors")
    page.get_by_role("link", name="Back to the role").click()
    page.get_by_role("link", name="Apply online").click()

    page.get_by_label("Your name").fill("Zoë Ngata")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Email address (if we should email you)").fill("zoe.ngata@example.org")
    page.get_by_label("Why would you like to do this?").fill("I have type 1 diabetes and use the clinic.")
    page.get_by_label("Anything that would help you take part (optional)").fill("Large print, please.")
    page.get_by_label(QUESTION).fill("Yes, every three months.")
    # The robots' field is out of sight and out of the keyboard's way, and a person leaves it empty.
    honeypot = page.locator("input[name=website]")
    expect(honeypot).not_to_be_in_viewport()
    expect(honeypot).to_have_attribute("tabindex", "-1")
    expect(honeypot).to_have_value("")
    page.get_by_role("button", name="Send my application").click()
    expect(heading(page)).to_have_text("Thank you for applying")
    see(page, "thank you page")

    # Back and send again: still one application, and the visitor is told so plainly.
    page.go_back()
    expect(heading(page)).to_have_text(f"Apply: {ROLE}")
    if page.get_by_label("Your name").input_value() == "":  # the browser did not keep the entries
        page.get_by_label("Your name").fill("Zoë Ngata")
        page.get_by_label("Email", exact=True).check()
        page.get_by_label("Email address (if we should email you)").fill("zoe.ngata@example.org")
        page.get_by_label("Why would you like to do this?").fill("I have type 1 diabetes and use the clinic.")
        page.get_by_label(QUESTION).fill("Yes, every three months.")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("We already have your application").first).to_be_visible()
    see(page, "application sent again")
    application = Application.objects.get(role=advert)
    assert (application.name, application.email, application.answers) == (
        "Zoë Ngata", "zoe.ngata@example.org", [{"question": QUESTION, "answer": "Yes, every three months."}]
    )

    # Staff offer the role to the applicant.
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/projects/roles/{advert.pk}/")
    page.get_by_role("link", name="Expressions of interest").click()
    expect(page.get_by_role("row").filter(has_text="Zoë Ngata")).to_contain_text("Yes, every three months.")
    see(page, "applications for staff")
    page.get_by_role("button", name="Offer the role to Zoë Ngata").click()
    expect(page.get_by_text("Offer made to Zoë Ngata.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Zoë Ngata")).to_contain_text("Offered the role")
    see(page, "application offered")
    page.context.clear_cookies()  # the applicant, on their own phone

    # The applicant follows the link in the invitation email.
    invitation = mail.outbox[-1]
    assert invitation.to == ["zoe.ngata@example.org"]
    link = re.search(r"https?://\S+/people/invitation/\S+", invitation.body).group(0)
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    expect(heading(page)).to_have_text("Welcome, Zoë Ngata")
    see(page, "invitation")
    page.get_by_label("Choose a password").fill("Sunflower-Meadow-42")
    page.get_by_label("Type the password again").fill("Sunflower-Meadow-42")
    page.get_by_role("button", name="Set password and log in").click()
    expect(page.get_by_text("Your password is set and you are logged in. Welcome!")).to_be_visible()
    see(page, "new contributor's dashboard")
    page.get_by_role("link", name=re.compile(ROLE)).first.click()
    expect(heading(page)).to_have_text(ROLE)
    see(page, "the offer")
    page.get_by_role("button", name="Accept this role").click()
    expect(page.get_by_text("You have accepted this role. Thank you!")).to_be_visible()
    see(page, "offer accepted")

    offer = RoleOffer.objects.get(role=advert)
    assert offer.contributor.email == "zoe.ngata@example.org"
    assert offer.status == RoleOffer.Status.ACCEPTED
    assert offer.contributor.profile.access_needs == "Large print, please."
