from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ansinh import job_views, lookup, twofactor_views, views

handler500 = "ansinh.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-nhap/ma-xac-thuc/", twofactor_views.login_code, name="login_code"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("tai-khoan/xac-thuc-hai-buoc/", twofactor_views.two_factor, name="two_factor"),
    path("tai-khoan/xac-thuc-hai-buoc/bat/", twofactor_views.two_factor_start, name="two_factor_start"),
    path("tai-khoan/xac-thuc-hai-buoc/xac-nhan/", twofactor_views.two_factor_confirm, name="two_factor_confirm"),
    path("tai-khoan/xac-thuc-hai-buoc/ma-qr.svg", twofactor_views.two_factor_qr, name="two_factor_qr"),
    path(
        "tai-khoan/xac-thuc-hai-buoc/ma-du-phong/",
        twofactor_views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("tai-khoan/xac-thuc-hai-buoc/tat/", twofactor_views.two_factor_disable, name="two_factor_disable"),
    path("tai-khoan/xac-thuc-hai-buoc/can-bo/", twofactor_views.two_factor_people, name="two_factor_people"),
    path(
        "tai-khoan/xac-thuc-hai-buoc/can-bo/<int:pk>/dat-lai/",
        twofactor_views.two_factor_reset,
        name="two_factor_reset",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/<int:pk>/mo/", views.notification_open, name="notification_open"),
    path("thong-bao/da-doc/", views.notifications_read_all, name="notifications_read_all"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("tac-vu/", job_views.job_list, name="jobs"),
    path("tac-vu/<uuid:public_id>/", job_views.job_detail, name="job"),
    path("tac-vu/<uuid:public_id>/tinh-trang/", job_views.job_status, name="job_status"),
    path("tac-vu/<uuid:public_id>/tai-ve/", job_views.job_download, name="job_download"),
    path("don-vi/", include("units.urls")),
    path("dang-ky/", include("registrations.urls")),
    path("ho-so/", include("dossiers.urls")),
    path("cham-diem/", include("scoring.urls")),
    path("thong-ke/", include("reports.urls")),
    path("giay-cong-nhan/", include("certificates.urls")),
    path("quan-tri/", admin.site.urls),
]
