"""Every admin page of every registered model opens for an admin (with A's data present), the
history pages too, and nobody else gets into the admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from .world import build_world


@pytest.fixture
def world(db):
    return build_world()


def _admin_urls():
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        yield model, model_admin, info


def test_it_opens_every_admin_list_change_and_history_page_for_an_admin(world, client):
    client.raise_request_exception = False
    client.force_login(world.admin)
    problems = []
    for model, model_admin, info in _admin_urls():
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
        if model_admin.has_add_permission(_request(world.admin)):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        for url in urls:
            status = client.get(url).status_code
            if status != 200:
                problems.append(f"{url} gave {status}")
    assert problems == []


@pytest.mark.parametrize("who", ["anonymous", "contributor_a", "contributor_b", "project_staff"])
def test_it_keeps_everyone_but_admins_out_of_the_admins_records(world, client, who):
    """Staff may reach the admin's front page (Django lets any staff in) but see no record
    without a permission; contributors and visitors are sent to the admin login."""
    user = world.users()[who]
    if user is not None:
        client.force_login(user)
    claim = world.objects["claim"]
    for url in (
        f"/admin/expenses/claim/{claim.pk}/change/",
        f"/admin/expenses/claim/{claim.pk}/history/",
        "/admin/expenses/claim/",
        "/admin/contributors/user/",
    ):
        response = client.get(url)
        if who == "project_staff":
            assert response.status_code == 403
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
