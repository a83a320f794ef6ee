from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("in/", views.print_filtered, name="print_filtered"),
    path("quyet-dinh/<uuid:public_id>/", views.decision_certificates, name="decision"),
    path("quyet-dinh/<uuid:public_id>/cap/", views.issue, name="issue"),
    path("quyet-dinh/<uuid:public_id>/in/", views.print_decision, name="print_decision"),
    path("danh-sach-dang-ky/<uuid:public_id>/", views.print_registration_list, name="print_registration_list"),
    path("lenh-in/<uuid:public_id>/", views.job_moved, name="job"),
    path("lenh-in/<uuid:public_id>/tinh-trang/", views.job_moved, {"to": "job_status"}, name="job_status"),
    path("lenh-in/<uuid:public_id>/tai-ve/", views.job_moved, {"to": "job_download"}, name="job_download"),
    path("xac-minh/<str:code>/", views.verify, name="verify"),
    path("<uuid:public_id>/pdf/", views.certificate_pdf, name="pdf"),
    path("<uuid:public_id>/lich-su/", views.certificate_history, name="history"),
    path("<uuid:public_id>/thu-hoi/", views.revoke, name="revoke"),
    path("<uuid:public_id>/cap-lai/", views.reissue, name="reissue"),
]
