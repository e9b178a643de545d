"""The admin keeps the site's rules for projects, roles, offers and attendance: a change form
that could skip a service rule either applies it or is read-only."""

import pytest
from django.urls import reverse

from projects.models import ExpressionOfInterest, MeetingInvitation, Project, ProjectEvent, Role, RoleOffer
from projects.services import roles as services
from tests.factories import ContributorFactory
from tests.roles.factories import make_role

from .factories import PieceOfWorkFactory

pytestmark = pytest.mark.django_db


def _current(response) -> dict:
    """What the admin's change page would post back untouched: its form and inline forms."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = "on" if value is True else str(value)
    return data


def _post_status(client, project, status):
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = {**_current(client.get(url)), "status": status}
    return client.post(url, data)


def test_a_project_is_not_made_active_in_the_admin_without_its_suitability_assessment(
    client, admin_user, project
):
    client.force_login(admin_user)
    response = _post_status(client, project, "active")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The project cannot be active until the suitability assessment is complete." in html
    assert Project.objects.get(pk=project.pk).status == "idea"


def test_a_project_with_its_assessment_complete_is_made_active_and_it_is_recorded(
    client, admin_user, project
):
    Project.objects.filter(pk=project.pk).update(
        involvement_level="coproduce", open_decisions="Wording", fixed_decisions="Law",
        can_achieve="Clear letters", cannot_achieve="Clinic times",
    )
    PieceOfWorkFactory(
        project=project, involvement_level="involve", open_decisions="a", fixed_decisions="b",
        can_achieve="c", cannot_achieve="d",
    )
    client.force_login(admin_user)
    assert _post_status(client, project, "active").status_code == 302
    assert Project.objects.get(pk=project.pk).status == "active"
    event = ProjectEvent.objects.get(project=project, action="status changed")
    assert event.actor == admin_user and event.detail == "Idea to Active"


def test_a_new_project_cannot_start_as_active_in_the_admin(client, admin_user, staff):
    client.force_login(admin_user)
    data = {**_current(client.get(reverse("admin:projects_project_add"))), "title": "New", "lead": staff.pk,
            "status": "active"}
    response = client.post(reverse("admin:projects_project_add"), data)
    assert "A new project cannot start as active" in response.content.decode()
    assert not Project.objects.filter(title="New").exists()


def test_roles_offers_and_interest_are_read_only_in_the_admin(client, admin_user, project, staff):
    role = make_role(project=project, by=staff, places=1)
    people = [ContributorFactory(), ContributorFactory()]
    offers = [services.offer_make(role=role, contributor_id=p.pk, actor=staff) for p in people]
    services.offer_accept(offer_id=offers[0].pk, actor=people[0])
    interest = ExpressionOfInterest.objects.create(
        role=role, contributor=ContributorFactory(), statement="Me"
    )
    client.force_login(admin_user)
    attempts = {
        # A second acceptance past the role's one place:
        "accept an offer": ("roleoffer", offers[1], {"status": "accepted", "role": role.pk}),
        # Terms changed without a new version for the person who accepted:
        "change a role's terms": ("role", role, {"payment_terms": "Nothing", "places": "0"}),
        "offer by hand": ("expressionofinterest", interest, {"status": "offered"}),
    }
    for what, (model, obj, data) in attempts.items():
        url = reverse(f"admin:projects_{model}_change", args=[obj.pk])
        assert client.get(url).status_code == 200, what
        assert client.post(url, data).status_code == 403, what
        delete = reverse(f"admin:projects_{model}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403, what
    assert RoleOffer.objects.get(pk=offers[1].pk).status == "offered"
    assert Role.objects.get(pk=role.pk).places == 1
    assert offers[0].acceptances.count() == 1
    version = role.history.order_by("history_id").first().history_id
    url = reverse("admin:projects_role_simple_history", args=[role.pk, version])
    assert client.post(url, {"_save": "Save"}).status_code == 403


def test_attendance_is_recorded_on_the_site_not_in_the_admin(client, admin_user, meeting):
    invitation = meeting.invitations.get()
    client.force_login(admin_user)
    url = reverse("admin:projects_meetinginvitation_change", args=[invitation.pk])
    data = {**_current(client.get(url)), "attended": "true", "reply": "attending"}
    client.post(url, data)
    invitation = MeetingInvitation.objects.get(pk=invitation.pk)
    assert invitation.attended is None and invitation.reply == "no_reply"


def test_a_second_project_with_the_same_title_is_refused_in_the_admin_too(client, admin_user, staff, project):
    client.force_login(admin_user)
    url = reverse("admin:projects_project_add")
    data = {**_current(client.get(url)), "title": project.title.upper(), "lead": staff.pk, "status": "idea"}
    response = client.post(url, data)
    assert f"There is already a project called “{project.title}”" in response.content.decode()
    assert Project.objects.count() == 1


def test_applications_are_read_in_the_admin_and_shortlisted_through_the_rule(
    client, admin_user, project, staff
):
    from projects.models import Application

    role = make_role(project=project, by=staff, places=1)
    application = Application.objects.create(
        role=role, name="Ada Ńwosu", contact_method="phone", phone="07700 900123", statement="I can help."
    )
    client.force_login(admin_user)
    listing = client.get(reverse("admin:projects_application_changelist")).content.decode()
    assert "Ada Ńwosu" in listing
    url = reverse("admin:projects_application_change", args=[application.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "offered"}).status_code == 403
    assert (
        client.post(
            reverse("admin:projects_application_delete", args=[application.pk]), {"post": "yes"}
        ).status_code
        == 403
    )

    response = client.post(
        reverse("admin:projects_application_changelist"),
        {"action": "shortlist", "_selected_action": [application.pk]},
        follow=True,
    )

    assert "1 application(s) shortlisted." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "shortlisted" and application.decided_by == admin_user

