from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("toan-quoc/", views.national, name="national"),
    path("<uuid:public_id>/", views.dashboard, name="dashboard"),
    path("<uuid:public_id>/bao-cao/", views.report, name="report"),
    path("<uuid:public_id>/bao-cao.xlsx", views.report_file, {"file_format": "xlsx"}, name="report_xlsx"),
    path("<uuid:public_id>/bao-cao.pdf", views.report_file, {"file_format": "pdf"}, name="report_pdf"),
]
