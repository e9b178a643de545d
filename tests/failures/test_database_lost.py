"""PostgreSQL drops the connection in the middle of saving a claim: the person sees the plain
error page (drawn without the database) and no half-written claim is left behind."""

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from expenses.models import Claim, ClaimEvent, ClaimLine, Receipt
from tests.expenses.test_views import claim_post, fare
from tests.factories import ContributorFactory, StaffFactory
from tests.projects.factories import ProjectFactory, give_role


def _terminate(pid: int) -> None:
    """Kill one backend from a second connection, as a restart or a network cut would."""
    params = connection.settings_dict
    other = psycopg2.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )
    other.autocommit = True
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # waits until it is gone
    finally:
        other.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_while_saving_a_claim_shows_the_error_page_and_saves_nothing(
    require_postgres, client
):
    member = ContributorFactory(name="Zoë O'Brien")
    project = ProjectFactory(title="Kidney letters", lead=StaffFactory())
    give_role(contributor=member, project=project)
    client.force_login(member)
    client.raise_request_exception = False
    seen = []

    def cut_after_the_claim_is_written(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not seen and sql.startswith('INSERT INTO "expenses_claim"'):
            seen.append(sql)
            _terminate(context["connection"].connection.info.backend_pid)
        return result

    with connection.execute_wrapper(cut_after_the_claim_is_written):
        response = client.post(reverse("expenses:claim_create"), claim_post(project, [fare()]))

    assert seen, "the claim was never written, so the connection was never cut"
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, something went wrong" in page
    assert "Nothing you submitted has been half-saved" in page
    # A fresh connection: nothing of the claim exists.
    assert Claim.objects.count() == 0
    assert ClaimLine.objects.count() == 0
    assert ClaimEvent.objects.count() == 0
    assert Receipt.objects.count() == 0
    assert Claim.history.count() == 0
    # And the site carries on: the next request gets a new connection and works.
    client.raise_request_exception = True
    assert client.get(reverse("expenses:my_claims")).status_code == 200
