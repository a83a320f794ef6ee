"""Issuing, revoking and re-issuing certificates, and starting print jobs. Plain functions: they check the
named permission, lock, write and audit in one transaction, and raise Refused with a Vietnamese message."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ansinh import audit, jobs
from ansinh.errors import Refused
from certificates.models import Certificate, CertificateCounter, CertificateSettings
from dossiers.models import Decision


def take_numbers(issuer, calendar_year, count) -> int:
    """Reserve `count` consecutive numbers of the issuer's yearly certificate sequence; returns the first.

    Call inside the transaction that uses them: the counter row stays locked until it ends, so concurrent
    issues queue for numbers and a rolled-back issue gives its numbers back (no gaps, no duplicates)."""
    CertificateCounter.objects.get_or_create(issuer=issuer, calendar_year=calendar_year)
    counter = CertificateCounter.objects.select_for_update().get(issuer=issuer, calendar_year=calendar_year)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return first


def _new_certificate(dossier, decision, *, number, symbol, user, replaces=None):
    unit = dossier.unit
    return Certificate(
        decision=decision,
        dossier=dossier,
        unit=unit,
        issuer=decision.issuer,
        calendar_year=decision.issued_on.year,
        number=number,
        symbol=symbol,
        unit_name=unit.name,
        managing_unit_name=unit.parent.name if unit.parent else "",
        issued_by=user,
        replaces=replaces,
    )


def issue_for_decision(decision, user):
    """Give every unit the decision recognises its certificate; safe to call again (issues only the missing).

    A dossier whose certificate was revoked gets none here: only `reissue` gives it a new one.
    Side effects in one transaction: the decision row is locked (two clerks cannot issue twice), numbers are
    taken from the issuer's yearly counter in the decision's annex order, one Certificate and one audit row
    per unit. Returns the new certificates."""
    if not user.has_perm("certificates.print", decision):
        raise PermissionDenied("Chỉ văn thư hoặc lãnh đạo UBND của cấp ban hành được cấp giấy công nhận.")
    with transaction.atomic():
        decision = Decision.objects.select_for_update(of=("self",)).select_related("issuer").get(pk=decision.pk)
        dossiers = list(
            decision.dossiers.exclude(Exists(Certificate.objects.filter(dossier=OuterRef("pk"))))
            .select_related("unit__parent")
            .order_by("unit__kind__sort_order", "unit__name", "pk")
        )
        if not dossiers:
            return []
        symbol = CertificateSettings.for_unit(decision.issuer).symbol
        first = take_numbers(decision.issuer, decision.issued_on.year, len(dossiers))
        certificates = Certificate.objects.bulk_create(
            _new_certificate(d, decision, number=first + i, symbol=symbol, user=user) for i, d in enumerate(dossiers)
        )
        for certificate in certificates:
            audit.record(
                certificate,
                actor=user,
                action="issue",
                label=f"Cấp giấy công nhận số {certificate.number_label} (Quyết định số {decision.number_label})",
            )
    return certificates


def _locked(certificate):
    return (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("decision__issuer", "dossier__unit__parent")
        .get(pk=certificate.pk)
    )


def revoke(*, certificate, user, reason):
    """Thu hồi: the certificate and its public page show revoked, with the date.

    Side effects in one transaction: the row is locked, stamped (time, person, reason) and one audit row
    keeps the old and new values."""
    if not user.has_perm("certificates.revoke", certificate):
        raise PermissionDenied("Chỉ lãnh đạo UBND của cấp ban hành được thu hồi giấy công nhận.")
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Vui lòng ghi rõ lý do thu hồi.")
    with transaction.atomic():
        certificate = _locked(certificate)
        if certificate.is_revoked:
            raise Refused(f"Giấy công nhận số {certificate.number_label} đã bị thu hồi ngày {_day(certificate)}.")
        before = {"revoked_at": None, "revocation_reason": ""}
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = user
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        audit.record(
            certificate,
            actor=user,
            action="revoke",
            label=f"Thu hồi giấy công nhận số {certificate.number_label}",
            reason=reason,
            changes=audit.diff(before, certificate, ["revoked_at", "revocation_reason"]),
        )
    return certificate


def reissue(*, certificate, user, reason):
    """Cấp lại: a new numbered certificate for the unit of a revoked one, only on purpose and with a reason.

    Side effects in one transaction: the revoked row is locked, the next number is taken, the new
    certificate points at the one it replaces, and both get an audit row."""
    if not user.has_perm("certificates.reissue", certificate):
        raise PermissionDenied("Chỉ lãnh đạo UBND của cấp ban hành được cấp lại giấy công nhận.")
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Vui lòng ghi rõ lý do cấp lại.")
    with transaction.atomic():
        old = _locked(certificate)
        if not old.is_revoked:
            raise Refused(f"Giấy công nhận số {old.number_label} đang có hiệu lực; chỉ cấp lại giấy đã thu hồi.")
        if Certificate.objects.valid().filter(dossier=old.dossier_id).exists():
            raise Refused(f"{old.unit_name} đã có giấy công nhận khác đang có hiệu lực.")
        decision = old.decision
        symbol = CertificateSettings.for_unit(decision.issuer).symbol
        number = take_numbers(decision.issuer, decision.issued_on.year, 1)
        new = _new_certificate(old.dossier, decision, number=number, symbol=symbol, user=user, replaces=old)
        new.save()
        label = f"Cấp lại giấy công nhận số {new.number_label} thay cho số {old.number_label}"
        audit.record(new, actor=user, action="reissue", label=label, reason=reason)
        audit.record(old, actor=user, action="replaced", label=label, reason=reason)
    return new


def _day(certificate):
    return timezone.localtime(certificate.revoked_at).strftime("%d/%m/%Y")


def start_print_job(*, kind, title, filename, params, total, user):
    """Queue a print job (kind: certificates.jobs.CERTIFICATES or REGISTRATION_LIST) on the shared
    background jobs (ansinh/jobs.py). With the immediate backend (dev, tests) it has run when this
    returns. Side effects: one Job row, one enqueued task."""
    return jobs.start(kind=kind, title=title, filename=filename, params=params, total=total, user=user)
