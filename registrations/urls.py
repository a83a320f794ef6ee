from django.urls import path

from ansinh.receipt_views import registration_receipt
from registrations import scan_views, views

app_name = "registrations"
urlpatterns = [
    path("", views.index, name="index"),
    path("cua-don-vi/", views.mine, name="mine"),
    path("ban-giay-da-ky/", scan_views.paper_scan, name="paper_scan"),
    path("ban-giay-da-ky/xac-nhan/", scan_views.paper_scan_confirm, name="paper_scan_confirm"),
    path("tien-do/", views.progress_home, name="progress_home"),
    path("bang/<uuid:public_id>/", views.board, name="board"),
    path("bang/<uuid:public_id>/tiep-nhan/", views.board_accept, name="board_accept"),
    path("bang/<uuid:public_id>/danh-sach.pdf", views.board_pdf, name="board_pdf"),
    path("bang/<uuid:public_id>/danh-sach.xlsx", views.board_xlsx, name="board_xlsx"),
    path("don-vi/<uuid:public_id>/", views.unit_page, name="unit"),
    path("don-vi/<uuid:public_id>/dang-ky/", views.create, name="create"),
    path("don-vi/<uuid:public_id>/nhap-ban-giay/", views.paper_entry, name="paper"),
    path("don-vi/<uuid:public_id>/ban-dang-ky.pdf", views.form_pdf, name="form_pdf"),
    path("tien-do/<uuid:public_id>/", views.progress_page, name="progress"),
    path("tien-do/<uuid:public_id>/tien-do.xlsx", views.progress_xlsx, name="progress_xlsx"),
    path("moc-thoi-gian/<uuid:public_id>/", views.deadlines, name="deadlines"),
    path("moc-thoi-gian/<uuid:public_id>/mo-nam/", views.open_year, name="open_year"),
    path("tai-lieu/<uuid:public_id>/", views.document_download, name="document"),
    path("tai-lieu/<uuid:public_id>/go/", views.document_remove, name="document_remove"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/bien-nhan.pdf", registration_receipt, name="receipt"),
    path("<uuid:public_id>/sua/", views.edit, name="edit"),
    path("<uuid:public_id>/dieu-chinh/", views.correct, name="correct"),
    path("<uuid:public_id>/tai-len/", views.upload, name="upload"),
    path("<uuid:public_id>/thao-tac/<slug:action>/", views.transition, name="transition"),
]
