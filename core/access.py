"""Who may open a page: decorators shared by every app's views."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def staff_required(view):
    """Logged-in staff only: anonymous users go to the login page, contributors get 403."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("This page is for staff.")
        return view(request, *args, **kwargs)

    return wrapped


def finance_required(view):
    """Finance staff and admins only."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_staff and (user.is_finance or user.is_superuser)):
            raise PermissionDenied("This page is for finance staff.")
        return view(request, *args, **kwargs)

    return wrapped


def contributor_required(view):
    """Logged-in public contributors only (staff have their own pages)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if request.user.is_staff:
            raise PermissionDenied("This page is for public contributors.")
        return view(request, *args, **kwargs)

    return wrapped
