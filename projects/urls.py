from django.urls import path  # noqa: F401

from .views import adverts as advert_views
from .views import calendar_feed as feed_views
from .views import meetings as meeting_views
from .views import outcomes as outcome_views
from .views import projects as project_views
from .views import roles as role_views
from .views import series as series_views

app_name = "projects"

# Projects and meetings (staff) and roles and offers (staff and contributors) add their
# routes below, each in its own block.
urlpatterns: list = [
    # --- projects and meetings ---
    # "detail" (the project dashboard, with spend) is added in coproduction/urls.py, one floor up.
    path("", project_views.project_list, name="list"),
    path("new/", project_views.project_create, name="create"),
    path("<int:pk>/edit/", project_views.project_edit, name="edit"),
    path("<int:pk>/suitability/", project_views.project_suitability, name="suitability"),
    path("<int:pk>/archive/", project_views.project_archive, name="archive"),
    path("<int:pk>/unarchive/", project_views.project_unarchive, name="unarchive"),
    path("<int:pk>/pieces/new/", project_views.piece_create, name="piece_create"),
    path("<int:pk>/pieces/<int:child_pk>/", project_views.piece_edit, name="piece_edit"),
    path("<int:pk>/milestones/new/", project_views.milestone_create, name="milestone_create"),
    path("<int:pk>/milestones/<int:child_pk>/", project_views.milestone_edit, name="milestone_edit"),
    path("<int:pk>/budget/new/", project_views.budget_line_create, name="budget_line_create"),
    path("<int:pk>/budget/<int:child_pk>/", project_views.budget_line_edit, name="budget_line_edit"),
    path("<int:pk>/power/new/", project_views.power_imbalance_create, name="power_imbalance_create"),
    path("<int:pk>/power/<int:child_pk>/", project_views.power_imbalance_edit, name="power_imbalance_edit"),
    path("<int:project_pk>/meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", meeting_views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/calendar.ics", meeting_views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/papers/", meeting_views.meeting_papers, name="meeting_papers"),
    path("meetings/<int:pk>/reply/", meeting_views.meeting_reply, name="meeting_reply"),
    path(
        "meetings/<int:pk>/replies/record/", meeting_views.meeting_reply_record, name="meeting_reply_record"
    ),
    path("<int:project_pk>/series/new/", series_views.series_create, name="series_create"),
    path("series/<int:pk>/", series_views.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", series_views.series_edit, name="series_edit"),
    path("series/<int:pk>/invite/", series_views.series_invite, name="series_invite"),
    path("series/<int:pk>/extend/", series_views.series_extend, name="series_extend"),
    path("series/<int:pk>/end/", series_views.series_end, name="series_end"),
    path("calendar/", feed_views.calendar_feed, name="calendar_feed"),
    path("calendar/new/", feed_views.calendar_feed_new, name="calendar_feed_new"),
    path("calendar/off/", feed_views.calendar_feed_off, name="calendar_feed_off"),
    path("calendar/<str:token>.ics", feed_views.calendar_feed_ics, name="calendar_feed_ics"),
    path("meetings/<int:pk>/attendance/", meeting_views.meeting_attendance, name="meeting_attendance"),
    # --- closing the loop: outcomes, actions and feedback after a meeting ---
    path("meetings/<int:pk>/outcomes/new/", outcome_views.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/actions/new/", outcome_views.action_create, name="action_create"),
    path("actions/<int:pk>/done/", outcome_views.action_done, name="action_done"),
    path("<int:pk>/outcomes/", outcome_views.project_outcomes, name="project_outcomes"),
    path("meetings/<int:pk>/feedback/", outcome_views.feedback_give, name="feedback_give"),
    path("<int:pk>/feedback/", outcome_views.feedback_results, name="feedback_results"),
    # --- roles, opportunities and offers ---
    path("opportunities/", role_views.opportunities, name="opportunities"),
    path("<int:project_pk>/roles/new/", role_views.role_create, name="role_create"),
    path("roles/<int:pk>/", role_views.role_detail, name="role_detail"),
    path("roles/<int:pk>/edit/", role_views.role_edit, name="role_edit"),
    path("roles/<int:pk>/interests/", role_views.role_interests, name="role_interests"),
    path("roles/<int:pk>/interest/", role_views.express_interest, name="express_interest"),
    path("roles/<int:pk>/offer/", role_views.offer_make, name="offer_make"),
    path("interests/<int:pk>/shortlist/", role_views.interest_shortlist, name="interest_shortlist"),
    path("interests/<int:pk>/turn-down/", role_views.interest_turn_down, name="interest_turn_down"),
    path("offers/<int:pk>/", role_views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/respond/", role_views.offer_respond, name="offer_respond"),
    path("offers/<int:pk>/withdraw/", role_views.offer_withdraw, name="offer_withdraw"),
    # --- public adverts (no login) and applications ---
    path("adverts/", advert_views.advert_list, name="adverts"),
    path("adverts/<int:pk>/", advert_views.advert_detail, name="advert_detail"),
    path("adverts/<int:pk>/apply/", advert_views.advert_apply, name="advert_apply"),
    path("adverts/<int:pk>/thank-you/", advert_views.advert_thanks, name="advert_thanks"),
    path(
        "applications/<int:pk>/shortlist/", advert_views.application_shortlist, name="application_shortlist"
    ),
    path("applications/<int:pk>/offer/", advert_views.application_offer, name="application_offer"),
    path(
        "applications/<int:pk>/turn-down/", advert_views.application_turn_down, name="application_turn_down"
    ),
    path("offers/<int:pk>/step-down/", role_views.step_down, name="step_down"),
    path("offers/<int:pk>/record-answer/", role_views.offer_answer_record, name="offer_answer_record"),
]
