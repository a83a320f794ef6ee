"""Demo story: the certificates of every demo decision, one of them revoked by the chairman. Safe to run again."""

from django.contrib.auth import get_user_model

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
    total = Certificate.objects.count()
    revoked = Certificate.objects.filter(revoked_at__isnull=False).count()
    return f"{issued} giấy công nhận mới; tổng {total} giấy, {revoked} đã thu hồi"
