from django.urls import path

from units import lineage_views, views

app_name = "units"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("chuyen-don-vi-quan-ly/", views.move, name="move"),
    path("phan-quyen/", views.roles, name="roles"),
    path("phan-quyen/<int:pk>/thu-hoi/", views.role_revoke, name="role_revoke"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/sua/", views.edit, name="edit"),
    path("<uuid:public_id>/ngung-theo-doi/", views.archive, name="archive"),
    path("<uuid:public_id>/sap-nhap/", lineage_views.record_lineage, name="lineage"),
    path("<uuid:public_id>/them/", views.add_child, name="add_child"),
    path("<uuid:public_id>/nhap-excel/", views.import_upload, name="import"),
    path("<uuid:public_id>/nhap-excel/mau.xlsx", views.import_template, name="import_template"),
    path("<uuid:public_id>/nhap-excel/xac-nhan/", views.import_confirm, name="import_confirm"),
]
