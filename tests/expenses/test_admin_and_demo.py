"""The admin calls the same services; the demo seed adds a submitted, a queried and a paid claim."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse

from expenses.models import Claim, PaymentBatch

from .factories import make_claim

pytestmark = pytest.mark.django_db


def test_the_rates_admin_marks_example_rates_to_confirm(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:expenses_rate_changelist")).content.decode()
    assert "Confirm against current national guidance" in html


def test_the_claims_admin_lists_filters_and_shows_lines_inline(client, admin_user, member, project):
    claim = make_claim(member, project)
    client.force_login(admin_user)
    html = client.get(
        reverse("admin:expenses_claim_changelist"), {"status__exact": "submitted"}
    ).content.decode()
    assert f"{claim.pk}</a>" in html
    html = client.get(reverse("admin:expenses_claim_change", args=[claim.pk])).content.decode()
    assert "Bus, train or tram fare" in html and "Train fare" in html


def test_admin_actions_call_the_services(client, admin_user, member, project):
    claim = make_claim(member, project)
    client.force_login(admin_user)
    url = reverse("admin:expenses_claim_changelist")
    client.post(url, {"action": "approve_claims", "_selected_action": [claim.pk]})
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.events.last().actor == admin_user
    response = client.post(url, {"action": "approve_claims", "_selected_action": [claim.pk]}, follow=True)
    assert f"Claim {claim.pk}: This claim is approved, so it cannot be approved." in response.content.decode()
    client.post(url, {"action": "make_payment_batch", "_selected_action": [claim.pk]})
    assert PaymentBatch.objects.get().claims.get() == claim


def test_the_demo_adds_a_submitted_a_queried_and_a_paid_claim_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    statuses = sorted(
        Claim.objects.filter(contributor__email="contributor@example.org").values_list("status", flat=True)
    )
    assert statuses == ["paid", "queried", "submitted"]


def test_lines_corrected_in_the_admin_are_priced_again_and_recorded(client, admin_user, member, project):
    from expenses import services

    from .factories import line

    claim = make_claim(member, project, [line("mileage_bicycle", quantity=10)])
    services.claim_query(claim_id=claim.pk, reviewer=admin_user, comment="Really 10 miles?")
    ln = claim.lines.get()
    client.force_login(admin_user)
    url = reverse("admin:expenses_claim_change", args=[claim.pk])
    data = {
        "project": project.pk,
        "contributor": member.pk,
        "meeting": "",
        "rejection_reason": "",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "1",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-id": ln.pk,
        "lines-0-claim": claim.pk,
        "lines-0-kind": "mileage_bicycle",
        "lines-0-date": ln.date.isoformat(),
        "lines-0-description": "Cycled",
        "lines-0-quantity": "5",
        "lines-0-amount": "2.00",
        "lines-0-budget_line": "",
        "receipts-TOTAL_FORMS": "0",
        "receipts-INITIAL_FORMS": "0",
        "receipts-MIN_NUM_FORMS": "0",
        "receipts-MAX_NUM_FORMS": "1000",
        "events-TOTAL_FORMS": str(claim.events.count()),
        "events-INITIAL_FORMS": str(claim.events.count()),
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    for i, event in enumerate(claim.events.all()):
        data[f"events-{i}-id"] = event.pk
        data[f"events-{i}-claim"] = claim.pk
    response = client.post(url, data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.total == D("1.00")  # 5 miles at £0.20, whatever was typed as the amount
    assert claim.events.last().comment == "Lines corrected in the admin. Total now £1.00."
