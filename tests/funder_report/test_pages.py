"""The report's pages: who may open which, the CSV, the printable page, a wrong period, and
the same number of queries however much there is to add up."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ContributorFactory
from tests.projects.factories import MeetingFactory

from .conftest import _claim, _invite, at

pytestmark = pytest.mark.django_db

QUERY = {"start": "2025-04-01", "end": "2026-03-31"}
WHO = ["anonymous", "contributor", "outside_staff", "project_lead", "project_team", "finance", "admin"]
PROJECT_REPORT = [302, 403, 403, 200, 200, 200, 200]
ORGANISATION_REPORT = [302, 403, 403, 403, 403, 200, 200]


def _person(world, who):
    return {
        "anonymous": None,
        "contributor": world.a,
        "outside_staff": world.outsider,
        "project_lead": world.lead,
        "project_team": world.team,
        "finance": world.finance,
        "admin": world.admin,
    }[who]


@pytest.mark.parametrize("index", range(len(WHO)), ids=WHO)
@pytest.mark.parametrize("fmt", ["", "csv", "print"])
def test_each_kind_of_user_gets_the_right_answer(client, world, index, fmt):
    person = _person(world, WHO[index])
    if person:
        client.force_login(person)
    query = {**QUERY, "format": fmt} if fmt else QUERY
    project_url = reverse("projects:funder_report", kwargs={"pk": world.project.pk})
    organisation_url = reverse("funder_report")
    assert client.get(project_url, query).status_code == PROJECT_REPORT[index]
    assert client.get(organisation_url, query).status_code == ORGANISATION_REPORT[index]


def test_the_page_shows_the_figures_with_a_table_beside_each_chart(client, world):
    client.force_login(world.lead)
    response = client.get(reverse("projects:funder_report", kwargs={"pk": world.project.pk}), QUERY)
    html = response.content.decode()
    assert "Funder report: Better letters" in html
    assert "From <strong>1 April 2025</strong> to <strong>31 March 2026</strong>" in html
    for text in (
        'Involvement hours in all</th><td data-label="Value" class="text-end"><strong>14.00',
        'Paid in all (2 claims)</th><td data-label="Value" class="text-end"><strong>£90.00',
        'of whom new (first involved in this period)</th><td data-label="Value" class="text-end">1<',
        'Attended</th><td data-label="Value" class="text-end">2 (50%)',
    ):
        assert text in html
    assert html.count('<svg class="funder-chart" role="img"') == 2
    assert "<caption>Money paid by month</caption>" in html
    assert '<th scope="row">April 2025</th><td data-label="For time" class="text-end">£50.00' in html
    assert "<caption>Meetings held and attendance by month (meetings with invitations)</caption>" in html
    assert "style=" not in html and "<script>" not in html
    assert 'href="?start=2025-04-01&amp;end=2026-03-31&amp;format=csv"' in html


def test_without_dates_it_shows_the_current_financial_year(client, world):
    client.force_login(world.finance)
    response = client.get(reverse("funder_report"))
    assert response.status_code == 200
    period = response.context["report"].period
    assert (period.start.month, period.start.day, period.end.month, period.end.day) == (4, 1, 3, 31)
    assert f'value="{period.start.isoformat()}"' in response.content.decode()


def test_a_wrong_period_is_explained_and_what_was_typed_kept(client, world):
    client.force_login(world.finance)
    response = client.get(reverse("funder_report"), {"start": "2026-03-31", "end": "2025-04-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The end of the period must be on or after its start." in html
    assert 'value="2026-03-31"' in html and 'value="2025-04-01"' in html
    assert "Correct the dates above to see the report." in html
    response = client.get(reverse("funder_report"), {"start": "1-1-1", "end": "", "format": "csv"})
    assert response["Content-Type"].startswith("text/html")


def test_the_csv_has_every_figure(client, world):
    client.force_login(world.team)
    response = client.get(
        reverse("projects:funder_report", kwargs={"pk": world.project.pk}), {**QUERY, "format": "csv"}
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="funder-report-project-{world.project.pk}-2025-04-01-to-2026-03-31.csv"'
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["section", "figure", "value"]
    assert ["report", "for", "Better letters"] in rows
    expected = [
        ["involvement hours", "at meetings", "2.50"],
        ["involvement hours", "other time claimed", "11.50"],
        ["involvement hours", "total", "14.00"],
        ["money paid", "for time", "50.00"],
        ["money paid", "for expenses", "40.00"],
        ["money paid", "of which costs we paid directly", "30.00"],
        ["money paid", "total", "90.00"],
        ["contributors", "involved", "3"],
        ["contributors", "new in the period", "1"],
        ["meetings", "held", "2"],
        ["attendance", "invited", "4"],
        ["attendance", "attended", "2"],
        ["money paid in December 2025", "for expenses", "30.00"],
        ["meetings held in March 2026", "attended", "1"],
        ["reach: People who answered", "Total", "3"],
        ["reach: Gender", "Woman", "fewer than 4"],
    ]
    for row in expected:
        assert row in rows


def test_a_title_that_looks_like_a_formula_is_written_as_text(client, world):
    world.project.title = '=HYPERLINK("http://x")'
    world.project.save()
    client.force_login(world.finance)
    response = client.get(
        reverse("projects:funder_report", kwargs={"pk": world.project.pk}), {**QUERY, "format": "csv"}
    )
    assert "report,for,\"'=HYPERLINK" in b"".join(response.streaming_content).decode()


def test_the_printable_page_has_the_figures_without_the_form(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("funder_report"), {**QUERY, "format": "print"})
    html = response.content.decode()
    assert 'class="funder-report-print"' in html
    assert "Show the report" not in html
    assert "Funder report: the whole organisation" in html
    assert "£90.00" in html


def _more_of_everything(world, n):
    for index in range(n):
        person = ContributorFactory()
        meeting = MeetingFactory(
            project=world.project, start=at(2025, 5, 1 + index, 10), end=at(2025, 5, 1 + index, 11)
        )
        _invite(meeting, person, True)
        _claim(
            who=person,
            project=world.project,
            status="approved",
            time="20.00",
            lines=[("time_hours", meeting.start.date(), "2", "20.00")],
            meeting=meeting,
        )


def test_the_same_queries_however_much_there_is(client, world):
    client.force_login(world.lead)
    url = reverse("projects:funder_report", kwargs={"pk": world.project.pk})
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, QUERY).status_code == 200
    _more_of_everything(world, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, QUERY)
    assert response.context["report"].people["involved"] == 3 + 12
    assert response.context["report"].hours["total"] == 14 + 12 * 2
    assert len(many) == len(few)
    # Session and user, the project and the access check, a savepoint with jit off, the
    # report's nine aggregates (money in all is added up from money by month), the feedback
    # and the outcomes (their actions: one more when any).
    assert len(many) == 18


def test_the_organisation_report_in_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.finance)
    _more_of_everything(world, 5)
    # As a project's (less the project and the access check), and the period's claims and the
    # people involved kept in temporary tables: dropped if there, made, the people analysed.
    with django_assert_num_queries(20):
        assert client.get(reverse("funder_report"), QUERY).status_code == 200


def test_the_lead_finds_it_on_the_project_page_and_finance_in_the_menu(client, world):
    client.force_login(world.lead)
    page = client.get(reverse("projects:detail", kwargs={"pk": world.project.pk})).content.decode()
    assert f'href="/projects/{world.project.pk}/funder-report/">Funder report</a>' in page
    assert 'href="/reports/funder/"' not in page
    client.force_login(world.finance)
    assert (
        'href="/reports/funder/">Funder report</a>' in client.get(reverse("staff_dashboard")).content.decode()
    )


def test_the_page_kept_in_the_cache_shows_a_new_payment_at_once(client, world):
    client.force_login(world.finance)
    url = reverse("projects:funder_report", kwargs={"pk": world.project.pk})
    assert "£90.00" in client.get(url, QUERY).content.decode()
    assert "£90.00" in client.get(url, QUERY).content.decode()
    _claim(
        who=world.b,
        project=world.project,
        status="paid",
        paid_at=at(2025, 6, 2, 9),
        expenses="5.00",
        organisation_paid=True,
        lines=[("parking", at(2025, 6, 2).date(), None, "5.00")],
    )
    assert "£95.00" in client.get(url, QUERY).content.decode()


def test_feedback_as_ranges_and_the_outcomes_with_their_actions(client, world):
    from datetime import date

    from projects.models import Action, Meeting, MeetingFeedback, Outcome

    first = Meeting.objects.get(project=world.project, start=at(2025, 4, 1, 10))
    outcome = Outcome.objects.create(meeting=first, said="Letters use words people do not know.")
    Action.objects.create(
        outcome=outcome,
        what="Rewrite the letter with the panel",
        owner=world.lead,
        due_on=date(2025, 6, 1),
        status="done",
        done_on=date(2025, 5, 20),
        what_changed="The new letter went out in May.",
    )
    Action.objects.create(
        outcome=outcome, what="Test it in clinic", owner=world.team, due_on=date(2025, 9, 1)
    )
    after = Meeting.objects.get(project=world.project, start=at(2026, 4, 1))
    Outcome.objects.create(meeting=after, said="Not in the period.")
    MeetingFeedback.objects.create(
        meeting=first, contributor=world.a, accessible="yes", listened_to="partly", to_change="More breaks"
    )
    client.force_login(world.lead)
    url = reverse("projects:funder_report", kwargs={"pk": world.project.pk})
    html = client.get(url, QUERY).content.decode()
    assert "Letters use words people do not know." in html
    assert "Not in the period." not in html
    assert "<strong>done 20 May 2025</strong>: The new letter went out in May." in html
    assert "Test it in clinic (Tom Team, by 1 Sep 2025): open" in html
    assert "Feedback month by month (1 response in the period)" in html
    assert "More breaks" not in html  # one response: its comment is held back
    assert "Held back: fewer than 5 responses." in html
    assert "Yes: 1<" not in html and "Yes: fewer than 2" in html
    rows = list(
        csv.reader(
            io.StringIO(b"".join(client.get(url, {**QUERY, "format": "csv"}).streaming_content).decode())
        )
    )
    assert ["feedback", "responses", "1"] in rows
    meeting = f"outcome of {first.title}, 2025-04-01"
    assert [meeting, "said or decided", "Letters use words people do not know."] in rows
    assert [
        meeting,
        "action (due 2025-06-01)",
        "Rewrite the letter with the panel (done 2025-05-20: The new letter went out in May.)",
    ] in rows
    assert "More breaks" not in str(rows)
