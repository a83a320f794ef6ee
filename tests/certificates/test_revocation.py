import pytest
from django.urls import reverse

from ansinh.audit import history
from ansinh.errors import Refused
from certificates import services
from certificates.models import Certificate
from tests.certificates.test_issue_and_print import pdf_pages
from tests.pdfs import job_pdf


@pytest.fixture
def certificate(decision):
    return decision.certificates.get(unit_name="Thôn Hà Lòng")


def test_chairman_revokes_with_a_reason_and_the_audit_keeps_it(client, chairman, certificate):
    client.force_login(chairman)
    client.post(reverse("certificates:revoke", args=[certificate.public_id]), {"reason": "Có vụ việc phức tạp"})
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revocation_reason == "Có vụ việc phức tạp"
    (event,) = [e for e in history(certificate) if e.action == "revoke"]
    assert event.actor == chairman
    assert event.reason == "Có vụ việc phức tạp"
    assert event.changes["revocation_reason"] == ["", "Có vụ việc phức tạp"]


def test_revoking_without_a_reason_is_refused_and_nothing_changes(client, chairman, certificate):
    client.force_login(chairman)
    response = client.post(reverse("certificates:revoke", args=[certificate.public_id]), {"reason": "   "}, follow=True)
    assert "Vui lòng ghi rõ lý do" in response.content.decode()
    certificate.refresh_from_db()
    assert not certificate.is_revoked


@pytest.mark.parametrize("who", ["records_clerk", "steering_office"])
def test_only_the_chairman_revokes(client, request, certificate, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("certificates:revoke", args=[certificate.public_id]), {"reason": "Thử"})
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_a_revoked_certificate_is_not_reissued_by_issuing_the_decision_again(decision, chairman, certificate):
    services.revoke(certificate=certificate, user=chairman, reason="Sai sót")
    assert services.issue_for_decision(decision, chairman) == []
    assert Certificate.objects.filter(dossier=certificate.dossier).count() == 1


def test_reissue_gives_a_new_number_and_is_audited(client, chairman, decision, certificate):
    services.revoke(certificate=certificate, user=chairman, reason="In sai tên đơn vị")
    client.force_login(chairman)
    client.post(reverse("certificates:reissue", args=[certificate.public_id]), {"reason": "Cấp lại theo tên đúng"})
    new = Certificate.objects.get(replaces=certificate)
    assert new.number == 13
    assert new.code != certificate.code
    assert not new.is_revoked
    assert [e.label for e in history(new)] == ["Cấp lại giấy công nhận số 13/GCN-UBND thay cho số 01/GCN-UBND"]


def test_a_valid_certificate_cannot_be_reissued(client, chairman, certificate):
    client.force_login(chairman)
    response = client.post(
        reverse("certificates:reissue", args=[certificate.public_id]), {"reason": "Muốn in số mới"}, follow=True
    )
    assert "đang có hiệu lực" in response.content.decode()
    assert Certificate.objects.filter(dossier=certificate.dossier).count() == 1


def test_a_revoked_certificate_is_reissued_only_once(chairman, certificate):
    services.revoke(certificate=certificate, user=chairman, reason="Sai sót")
    services.reissue(certificate=certificate, user=chairman, reason="Lần một")
    with pytest.raises(Refused):
        services.reissue(certificate=certificate, user=chairman, reason="Lần hai")
    assert Certificate.objects.filter(dossier=certificate.dossier).count() == 2


def test_the_batch_leaves_revoked_certificates_out(client, records_clerk, chairman, decision, certificate):
    services.revoke(certificate=certificate, user=chairman, reason="Sai sót")
    client.force_login(records_clerk)
    response = client.post(reverse("certificates:print_decision", args=[decision.public_id]))
    pages = pdf_pages(job_pdf(client, response))
    assert len(pages) == 11
    assert not any("Thôn Hà Lòng" in text for text in pages)


def test_a_single_revoked_certificate_prints_stamped_revoked(client, chairman, certificate):
    services.revoke(certificate=certificate, user=chairman, reason="Sai sót")
    client.force_login(chairman)
    response = client.get(reverse("certificates:pdf", args=[certificate.public_id]))
    (text,) = pdf_pages(response.content)
    assert "ĐÃ THU HỒI" in text
