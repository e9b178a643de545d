from django.urls import path

from . import views, views_payments

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
    path("batches/<int:pk>/bank/", views_payments.bank_file_page, name="bank_file"),
    path("batches/<int:pk>/bank-file.csv", views_payments.bank_file_csv, name="bank_file_csv"),
    path(
        "batches/<int:pk>/not-in-bank-file.csv",
        views_payments.not_in_bank_file_csv,
        name="not_in_bank_file_csv",
    ),
    path("batches/<int:pk>/take-out/", views_payments.take_out_unpayable, name="take_out_unpayable"),
    path("batches/<int:pk>/journal.csv", views_payments.journal_csv, name="journal_csv"),
    path(
        "batches/<int:pk>/vouchers/<int:person_pk>/", views_payments.record_vouchers, name="record_vouchers"
    ),
    path("what-we-paid-you/", views_payments.my_paid_letter, name="my_paid_letter"),
    path("what-we-paid/<int:person_pk>/", views_payments.paid_letter, name="paid_letter"),
    path("yearly-report/journal.csv", views_payments.yearly_journal_csv, name="yearly_journal_csv"),
]
