from django.urls import path

from . import views, views_bank

app_name = "contributors"

urlpatterns = [
    path("invite/", views.invite_contributor, name="invite"),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("me/profile/", views.profile, name="profile"),
    path("me/monitoring/", views.monitoring, name="monitoring"),
    path("me/break/", views.taking_a_break, name="taking_a_break"),
    path("me/erase/", views.erasure_request, name="erasure_request"),
    path("me/bank-details/", views_bank.my_bank_details, name="my_bank_details"),
    path("pool/", views.pool, name="pool"),
    path("pool/<int:pk>/bank-details/", views_bank.person_bank_details, name="person_bank_details"),
    path(
        "pool/<int:pk>/bank-details/confirm/", views_bank.confirm_bank_change, name="confirm_bank_change"
    ),
    path("pool/<int:pk>/", views.person_detail, name="person_detail"),
    path("add/", views.add_offline, name="add_offline"),
    path("pool/<int:pk>/login/", views.give_login, name="give_login"),
    path("reach/", views.reach_report_view, name="reach_report"),
    path("reach/involvement.csv", views.reach_report_csv, name="reach_report_csv"),
]
