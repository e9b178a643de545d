from django.urls import path

from . import views

app_name = "expenses"

urlpatterns = [
    path("", views.my_claims, name="my_claims"),
    path("new/", views.claim_create, name="claim_create"),
    path("on-behalf/", views.claim_on_behalf, name="claim_on_behalf"),
    path("direct-cost/", views.direct_cost, name="direct_cost"),
    path("<int:pk>/", views.claim_detail, name="claim_detail"),
    path("<int:pk>/change/", views.claim_edit, name="claim_edit"),
    path("<int:pk>/send/", views.claim_send, name="claim_send"),
    path("<int:pk>/delete/", views.claim_delete, name="claim_delete"),
    path("<int:pk>/answer/", views.claim_answer, name="claim_answer"),
    path("<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("<int:pk>/receipts/", views.receipt_add, name="receipt_add"),
    path("<int:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("<int:pk>/query/", views.claim_query, name="claim_query"),
    path("<int:pk>/reject/", views.claim_reject, name="claim_reject"),
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
    path("review/", views.review_queue, name="review_queue"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/claims.csv", views.batch_csv, name="batch_csv"),
    path("batches/<int:pk>/remove/<int:claim_pk>/", views.batch_remove_claim, name="batch_remove_claim"),
    path("yearly-report/", views.yearly_report, name="yearly_report"),
]
