from django.urls import path

from . import views

app_name = "contributors"

urlpatterns = [
    path("invite/", views.invite_contributor, name="invite"),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("me/profile/", views.profile, name="profile"),
    path("me/monitoring/", views.monitoring, name="monitoring"),
    path("me/erase/", views.erasure_request, name="erasure_request"),
    path("pool/", views.pool, name="pool"),
    path("pool/<int:pk>/", views.person_detail, name="person_detail"),
    path("reach/", views.reach_report_view, name="reach_report"),
    path("reach/involvement.csv", views.reach_report_csv, name="reach_report_csv"),
]
