"""Pages that combine apps: the home page and each kind of user's dashboard."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from contributors.access import contributor_required, staff_required

from . import dashboards


def home(request):
    """Send each user to their own dashboard."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    if request.user.is_staff:
        return redirect("staff_dashboard")
    return redirect("contributor_dashboard")


@staff_required
def staff_dashboard(request):
    return render(request, "dashboards/staff.html", dashboards.staff_dashboard(request.user))


@contributor_required
def contributor_dashboard(request):
    return render(
        request, "dashboards/contributor.html", dashboards.contributor_dashboard(request.user)
    )


@never_cache
def healthz(request):
    """For load balancers, and the benchmark's floor: the least work a Django view can do."""
    return HttpResponse("ok", content_type="text/plain")
