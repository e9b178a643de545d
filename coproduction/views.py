"""Pages that combine apps: the home page and each kind of user's dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.access import contributor_required, staff_required
from core.fragments import render_cached

from . import dashboards
from .personal_data import as_json, personal_data, personal_data_archive


def home(request):
    """Send each user to their own dashboard."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    if request.user.is_staff:
        return redirect("staff_dashboard")
    return redirect("contributor_dashboard")


# Both dashboards come from the cache while nothing they show has changed (core/fragments.py).
@staff_required
def staff_dashboard(request):
    user = request.user
    return render_cached(request, "dashboards/staff.html", lambda: dashboards.staff_dashboard(user),
                         title="Staff dashboard", parts=[user.pk])


@contributor_required
def contributor_dashboard(request):
    user = request.user
    return render_cached(
        request, "dashboards/contributor.html", lambda: dashboards.contributor_dashboard(user),
        title="My dashboard", parts=[user.pk],
    )


@login_required
@require_GET
def my_data(request):
    """Everything we hold about the person logged in, as one JSON file."""
    data = personal_data(request.user, link=request.build_absolute_uri)
    response = HttpResponse(as_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
@require_GET
def my_data_zip(request):
    """The same, with the receipt files themselves, as a ZIP file."""
    archive = personal_data_archive(request.user, link=request.build_absolute_uri)
    return FileResponse(archive, as_attachment=True, filename="my-data.zip", content_type="application/zip")


@never_cache
def healthz(request):
    """For load balancers, and the benchmark's floor: the least work a Django view can do."""
    return HttpResponse("ok", content_type="text/plain")
