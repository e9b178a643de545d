"""What the project dashboard shows as spent: pounds and pence on every database."""

import pytest
from django.urls import reverse

from expenses import services
from expenses.selectors import spend_by_budget_line

from .factories import line, make_claim

pytestmark = pytest.mark.django_db


def test_spent_is_pounds_and_pence_on_the_project_page(client, member, project, staff):
    # 12 miles at 45p: SQLite sums decimals as floats, which showed "£5.40000000000000".
    claim = make_claim(member, project, [line("mileage_car", quantity=12)])
    services.claim_approve(claim_id=claim.pk, actor=staff)
    travel = project.budget_lines.get(kind="travel")
    spent = spend_by_budget_line(project_ids=[project.pk])[travel.pk]
    assert (str(spent["approved"]), str(spent["paid"])) == ("5.40", "0.00")
    client.force_login(staff)
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "£5.40 spent" in html
    assert "£5.400" not in html
