"""Demo story: the certificates of every demo decision, one of them revoked by the chairman, and Kon Gang's
printed by its records clerk as a background job (her home page shows it). Safe to run again."""

from django.contrib.auth import get_user_model

from ansinh import access
from certificates import jobs as print_jobs
from certificates import services
from certificates.models import Certificate
from dossiers.models import Decision


def seed(stdout=None):
    chairman = get_user_model().objects.get(username="chutich.konggang")
    issued = 0
    for decision in Decision.objects.select_related("issuer").order_by("pk"):
        if chairman.has_perm("certificates.print", decision):
            issued += len(services.issue_for_decision(decision, chairman))
    if not Certificate.objects.filter(revoked_at__isnull=False).exists():
        last = Certificate.objects.filter(issuer__name="Xã Kon Gang").order_by("-number").first()
        if last is not None:
            services.revoke(
                certificate=last,
                user=chairman,
                reason="Đơn vị để xảy ra vụ việc phức tạp về an ninh, trật tự phát hiện sau khi công nhận.",
            )
    _print_as_a_job(get_user_model().objects.get(username="vanthu.konggang"))
    total = Certificate.objects.count()
    revoked = Certificate.objects.filter(revoked_at__isnull=False).count()
    return f"{issued} giấy công nhận mới; tổng {total} giấy, {revoked} đã thu hồi"


def _print_as_a_job(records_clerk):
    if access.own_jobs(records_clerk).exists():
        return
    decision = Decision.objects.filter(issuer__name="Xã Kon Gang").order_by("pk").first()
    if decision is None:
        return
    certificates = list(decision.certificates.valid().for_printing().values_list("pk", flat=True))
    services.start_print_job(
        kind=print_jobs.CERTIFICATES,
        title=f"Giấy công nhận – Quyết định số {decision.number_label}",
        filename=f"giay-cong-nhan-qd-{decision.number:02d}-{decision.calendar_year}.pdf",
        params={"certificate_ids": certificates},
        total=len(certificates),
        user=records_clerk,
    )
