from django.urls import path

from . import views

app_name = "contributors"

urlpatterns = [
    path("invite/", views.invite_contributor, name="invite"),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("me/profile/", views.profile, name="profile"),
    path("me/monitoring/", views.monitoring, name="monitoring"),
    path("me/break/", views.taking_a_break, name="taking_a_break"),
    path("me/erase/", views.erasure_request, name="erasure_request"),
    path("pool/", views.pool, name="pool"),
    path("pool/<int:pk>/", views.person_detail, name="person_detail"),
    path("add/", views.add_offline, name="add_offline"),
    path("pool/<int:pk>/login/", views.give_login, name="give_login"),
    path("reach/", views.reach_report_view, name="reach_report"),
]
