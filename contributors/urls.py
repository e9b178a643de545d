from django.urls import path

from . import views

app_name = "contributors"

urlpatterns = [
    path("invite/", views.invite_contributor, name="invite"),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
]
