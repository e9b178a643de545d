from django.urls import path

from . import views, views_messages

app_name = "reminders"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/letter/", views.task_letter, name="task_letter"),
    path("messages/<int:pk>/", views_messages.message_detail, name="message"),
    path("messages/new/project/<int:pk>/", views_messages.message_project, name="message_project"),
    path("messages/new/meeting/<int:pk>/", views_messages.message_meeting, name="message_meeting"),
]
