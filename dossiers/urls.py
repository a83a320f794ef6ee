from django.urls import path

from ansinh.receipt_views import dossier_receipt
from dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("lap-ho-so/", views.dossier_create, name="create"),
    path("tham-dinh/", views.review_desk, name="review_desk"),
    path("<uuid:public_id>/", views.dossier_detail, name="detail"),
    path("<uuid:public_id>/bien-nhan.pdf", dossier_receipt, name="receipt"),
    path("<uuid:public_id>/ho-so-luu-tru.zip", views.dossier_bundle, name="bundle"),
    path("luu-tru/<uuid:public_id>/", views.commune_bundle, name="commune_bundle"),
    path("<uuid:public_id>/thao-tac/", views.dossier_transition, name="transition"),
    path("<uuid:public_id>/tai-lieu/", views.document_upload, name="document_upload"),
    path("<uuid:public_id>/tai-lieu/<uuid:document_id>/", views.document_file, name="document"),
    path("<uuid:public_id>/tai-lieu/<uuid:document_id>/xoa/", views.document_delete, name="document_delete"),
    path("<uuid:public_id>/bien-ban/", views.minutes_edit, name="minutes"),
    path("<uuid:public_id>/tieu-chi/", views.criteria_confirm, name="criteria"),
    path("<uuid:public_id>/to-trinh/", views.request_record, name="request"),
    path("<uuid:public_id>/y-kien/", views.comment_add, name="comment"),
    path("quyet-dinh/", views.decision_list, name="decision_list"),
    path("quyet-dinh/ban-hanh/<uuid:issuer_id>/", views.decision_create, name="decision_create"),
    path("quyet-dinh/<uuid:public_id>/", views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<uuid:public_id>/pdf/", views.decision_pdf, name="decision_pdf"),
    path("quyet-dinh/<uuid:public_id>/da-in/", views.decision_printed, name="decision_printed"),
    path("quyet-dinh/<uuid:public_id>/ky-so/", views.decision_sign, name="decision_sign"),
    path("vu-viec/", views.incident_list, name="incident_list"),
    path("vu-viec/ghi-nhan/", views.incident_create, name="incident_create"),
    path("vu-viec/<uuid:public_id>/", views.incident_detail, name="incident_detail"),
    path("vu-viec/<uuid:public_id>/xoa/", views.incident_delete, name="incident_delete"),
]
