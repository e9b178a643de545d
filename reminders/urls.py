from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/letter/", views.task_letter, name="task_letter"),
]
