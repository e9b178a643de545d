"""Pins for the fixes the benchmark showed (bench/README.md): the project list is paged and
its query count does not grow with projects; filters with hundreds of options stay cheap."""

import pytest
from django import forms
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.widgets import FastSelect
from tests.factories import StaffFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_it_shows_the_project_list_a_page_at_a_time_in_the_same_queries(client, staff):
    client.force_login(staff)
    url = reverse("projects:list")
    ProjectFactory.create_batch(3, lead=staff)
    few, _html = _queries(client, url)
    leads = StaffFactory.create_batch(5)
    for index in range(40):
        project = ProjectFactory(lead=leads[index % 5])
        project.team.add(staff)
    many, html = _queries(client, url)
    assert many <= few
    assert "43 projects, 1 to 25 shown" in html
    assert html.count('href="/projects/') - html.count('href="/projects/new') >= 25
    assert "Next page" in html
    _count, second = _queries(client, url + "?page=2")
    assert "26 to 43 shown" in second


def test_it_keeps_the_filters_on_the_next_page_link(client, staff):
    client.force_login(staff)
    ProjectFactory.create_batch(30, lead=staff, status="planning")
    _count, html = _queries(client, reverse("projects:list") + "?status=planning")
    assert "status=planning&amp;archived=current&amp;page=2" in html or "status=planning&amp;page=2" in html


def test_the_review_queue_offers_only_projects_with_claims_waiting_in_the_same_queries(
    client, admin_user, contributor, staff
):
    from expenses.models import Claim
    from tests.expenses.factories import make_claim
    from tests.projects.factories import give_role

    client.force_login(admin_user)
    url = reverse("expenses:review_queue")
    member = contributor
    project = ProjectFactory(lead=staff, title="Better diabetes care")
    give_role(contributor=member, project=project)
    make_claim(member, project)
    few, html = _queries(client, url)
    assert f'<option value="{project.pk}">{project.title}</option>' in html
    idle = ProjectFactory.create_batch(60)
    busy = ProjectFactory(title="Waiting & seen")
    give_role(contributor=member, project=busy)
    paid = make_claim(member, busy)
    many, html = _queries(client, url)
    assert many <= few
    assert f'<option value="{busy.pk}">Waiting &amp; seen</option>' in html
    assert f'value="{idle[0].pk}"' not in html
    # Another status offers the projects with claims in it; a chosen project stays chosen.
    Claim.objects.filter(pk=paid.pk).update(status="paid")
    _count, html = _queries(client, url + f"?status=paid&project={busy.pk}")
    assert f'<option value="{busy.pk}" selected>Waiting &amp; seen</option>' in html
    assert f'value="{project.pk}"' not in html
    assert "1 claim found." in html
    # A project with no claims the reviewer can see is not offered even when asked for.
    _count, html = _queries(client, url + f"?project={idle[0].pk}")
    assert f'value="{idle[0].pk}"' not in html


def test_fast_select_writes_the_same_html_as_django():
    choices = [("", "Anyone"), (1, "Zoë O'Brien"), (2, "<Sam & Co>")]
    attrs = {"id": "id_lead", "class": "form-select", "aria-describedby": "hint"}
    for value in (None, 2, "1"):
        fast = FastSelect(choices=choices).render("lead", value, attrs=attrs)
        plain = forms.Select(choices=choices).render("lead", value, attrs=attrs)
        assert parse_html(fast) == parse_html(plain)
    assert "&lt;Sam &amp; Co&gt;" in fast


def test_opportunities_come_25_a_page_in_the_same_queries_and_can_be_searched(client, contributor):
    from projects.models import Role

    def make_role(*, project, by, title):
        return Role.objects.create(
            project=project, title=title, purpose="p", activities="a", time_commitment="Two hours a month",
            payment_terms="£25 an hour", selection_method="open_call", status=Role.Status.OPEN,
        )

    client.force_login(contributor)
    url = reverse("projects:opportunities")
    lead = StaffFactory()
    project = ProjectFactory(lead=lead, title="Kidney care letters")
    make_role(project=project, by=lead, title="Reading panel member")
    few, _html = _queries(client, url)
    other = ProjectFactory(lead=lead, title="Hospital discharge")
    for index in range(29):
        make_role(project=other, by=lead, title=f"Advisory group member {index}")
    many, html = _queries(client, url)
    assert many <= few
    assert "30 open roles, 1 to 25 shown" in html
    assert html.count('class="card mb-3"') == 25
    assert "Next page" in html
    _count, second = _queries(client, url + "?page=2")
    assert "26 to 30 shown" in second
    _count, found = _queries(client, url + "?q=kidney")
    assert "Reading panel member" in found and "Advisory group member" not in found
    assert "1 open role" in found
    _count, none = _queries(client, url + "?q=dentistry")
    assert "No open roles match “dentistry”." in none


def test_the_project_list_offers_only_people_who_lead_a_project(client, staff):
    client.force_login(staff)
    lead = StaffFactory(name="Lee O'Lead")
    idle = StaffFactory(name="Ida Idle")
    mine = ProjectFactory(lead=lead, title="Led by Lee")
    ProjectFactory(lead=staff, title="Led by me")
    _count, html = _queries(client, reverse("projects:list"))
    assert f'<option value="{lead.pk}">Lee O&#x27;Lead</option>' in html
    assert f'value="{idle.pk}"' not in html
    _count, html = _queries(client, reverse("projects:list") + f"?lead={lead.pk}")
    assert f'<option value="{lead.pk}" selected>' in html
    assert mine.title in html and "Led by me" not in html


def test_the_staff_dashboard_shows_each_projects_next_meeting_in_the_same_queries(client, staff):
    from datetime import timedelta

    from django.utils import timezone

    from tests.projects.factories import MeetingFactory

    client.force_login(staff)
    url = reverse("staff_dashboard")
    first = ProjectFactory(lead=staff, title="Alpha project")
    few, _html = _queries(client, url)
    soon = timezone.now() + timedelta(days=3)
    MeetingFactory(project=first, start=timezone.now() - timedelta(days=3))
    MeetingFactory(project=first, start=soon + timedelta(days=7))
    MeetingFactory(project=first, start=soon)
    for index in range(8):
        MeetingFactory(project=ProjectFactory(lead=staff, title=f"Beta {index}"))
    many, html = _queries(client, url)
    assert many <= few
    local = timezone.localtime(soon)
    assert f"Alpha project</a>: {first.get_status_display()}, next meeting {local:%-d %b %Y, %H:%M}" in html


def test_the_filter_forms_write_labels_boxes_and_errors_as_before(client, admin_user):
    client.force_login(admin_user)
    url = reverse("expenses:review_queue") + "?submitted_after=31/02/2026&status=paid"
    html = client.get(url).content.decode()
    label = '<label for="id_status" class="form-label">Status</label>'
    assert label + '<select name="status" class="form-select"' in html
    assert '<option value="paid" selected>' in html
    date_box = ('<input type="date" name="submitted_after" value="31/02/2026"'
                ' aria-describedby="id_submitted_after_error"')
    assert date_box + ' class="form-control is-invalid" aria-invalid="true"' in html
    error = '<div id="id_submitted_after_error" class="invalid-feedback"><p><strong>Enter a valid date.'
    assert error in html
    html = client.get(reverse("projects:list")).content.decode()
    label = '<label for="id_q" class="form-label">Search</label>'
    assert label + '<input type="text" name="q" class="form-control"' in html
