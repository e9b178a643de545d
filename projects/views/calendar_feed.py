"""A person's calendar feed: a secret address their calendar app reads without logging in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from projects.calendar import feed_ics
from projects.models import CalendarFeed
from projects.selectors.meetings import calendar_feed_meetings, calendar_feed_owner
from projects.services.meetings import calendar_feed_renew, calendar_feed_revoke


@login_required
def calendar_feed(request):
    """The token is in the session only until this page shows it once (only its hash is kept)."""
    token = request.session.pop("calendar_feed_token", None)
    address = (
        request.build_absolute_uri(reverse("projects:calendar_feed_ics", args=[token])) if token else None
    )
    return render(
        request,
        "projects/calendar_feed.html",
        {
            "feed": CalendarFeed.objects.filter(user=request.user).first(),
            "address": address,
        },
    )


@login_required
@require_POST
def calendar_feed_new(request):
    request.session["calendar_feed_token"] = calendar_feed_renew(actor=request.user)
    messages.success(
        request, "Your calendar address is ready: copy it now. Any earlier address has stopped working."
    )
    return redirect("projects:calendar_feed")


@login_required
@require_POST
def calendar_feed_off(request):
    if calendar_feed_revoke(actor=request.user):
        messages.success(request, "Your calendar address has stopped working.")
    return redirect("projects:calendar_feed")


@require_GET
def calendar_feed_ics(request, token):
    """No login: the secret address is the key. Revoked or unknown: 404."""
    person = calendar_feed_owner(token)
    if person is None:
        raise Http404("This calendar address does not work any more.")
    # No name in it: whoever holds a leaked address learns as little as possible.
    body = feed_ics(calendar_feed_meetings(person), name=f"{settings.SITE_NAME} meetings")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
