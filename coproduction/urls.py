from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path
from django.views.generic import TemplateView

from contributors import urls as contributors_urls
from contributors import views as contributors_views
from core.search import cap_admin_searches
from projects import urls as projects_urls

from . import funder_report_views, project_dashboard, views

# The project dashboard shows spend from expenses/, so it is composed here and joins the
# "projects" namespace as projects:detail without projects/ importing anything above it.
projects_patterns = [
    path("<int:pk>/", project_dashboard.project_dashboard, name="detail"),
    path("<int:pk>/funder-report/", funder_report_views.project_report, name="funder_report"),
    *projects_urls.urlpatterns,
]

# "Download my data" reads every app, so it is composed here and joins the "contributors"
# namespace beside the rest of a person's own pages.
people_patterns = [
    path("me/my-data.json", views.my_data, name="my_data"),
    path("me/my-data.zip", views.my_data_zip, name="my_data_zip"),
    *contributors_urls.urlpatterns,
]

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Review and correct anything"


# One door in: the admin's own login form and password change would skip allauth's rate limits,
# login records and two-factor step, so the admin sends people to the site's pages instead.
admin.site.login = secure_admin_login(admin.site.login)


def admin_password_change(request, extra_context=None):
    return redirect("account_change_password")


admin.site.password_change = admin_password_change
cap_admin_searches(admin.site)

urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
    path("reports/funder/", funder_report_views.organisation_report, name="funder_report"),
    path("me/", views.contributor_dashboard, name="contributor_dashboard"),
    # Before allauth's own: the same page, with the address record checked first.
    path("accounts/email/", contributors_views.account_email, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("people/", include((people_patterns, "contributors"))),
    path("projects/", include((projects_patterns, "projects"))),
    path("claims/", include("expenses.urls")),
    path("reminders/", include("reminders.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", TemplateView.as_view(template_name="accessibility.html"), name="accessibility"),
]

handler403 = "coproduction.errors.permission_denied"
handler404 = "coproduction.errors.page_not_found"
handler500 = "coproduction.errors.server_error"
