"""Friendly error pages that still work when the database or templates context fails."""

from django.shortcuts import render
from django.template.loader import get_template


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: the database may be what failed.
    from django.http import HttpResponseServerError

    return HttpResponseServerError(get_template("errors/500.html").render({"site_name": "Co-production"}))
