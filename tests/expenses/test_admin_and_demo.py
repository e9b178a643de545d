"""The admin calls the same services; the demo seed adds a submitted, a queried and a paid claim."""


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
