"""The recognition checklist (TT124 Điều 4–7): items the portal judges from facts, items a reviewer confirms.

Facts come from `Dossier.objects.with_facts()` (SQL annotations), so a page of many dossiers costs the
same few queries as one.
"""

from dataclasses import dataclass

from django.urls import reverse

from dossiers.models import (
    CheckCode,
    Criterion,
    CriterionCheck,
    Incident,
    Outcome,
    RecognitionShare,
    prefill_required_documents,
)
from registrations import progress, requirements
from registrations.models import DocumentType
from units.models import MANAGED_CATEGORIES, PATH_SEGMENT_WIDTH


@dataclass
class Item:
    criterion: Criterion
    outcome: str
    evidence: str = ""
    evidence_url: str = ""
    stored: CriterionCheck | None = None

    @property
    def outcome_label(self):
        return Outcome(self.outcome).label

    @property
    def needs_confirmation(self):
        return not self.criterion.is_automatic and (self.stored is None or self.stored.confirmed_by_id is None)


@dataclass
class Checklist:
    items: list[Item]

    @property
    def failed(self):
        return [i for i in self.items if i.outcome == Outcome.FAIL]

    @property
    def unknown(self):
        return [i for i in self.items if i.outcome == Outcome.UNKNOWN]

    @property
    def passed_count(self):
        return sum(1 for i in self.items if i.outcome == Outcome.PASS)

    @property
    def is_met(self):
        return bool(self.items) and not self.failed and not self.unknown

    @property
    def outcome_label(self):
        return "Đạt" if self.is_met else "Chưa đạt"


def _url(name, *args):
    return reverse(name, args=args)


def required_share(total: int, percent: int) -> int:
    """The smallest number of recognised units that reaches `percent` % of `total` (exact integer maths)."""
    return -(-total * percent // 100)


def _registered_in_window(d):
    reg = d.registration
    # The same rule as the clerk's board (registrations.requirements): a paper registration counts its own
    # form as filed, not the resolution or the plan unless they were handed in too.
    uploaded = {t for t in DocumentType.values if getattr(d, f"has_reg_{t}")}
    missing = requirements.missing_documents(d.unit, requirements.documents_on_file(reg, uploaded))
    late = reg.is_late or (d.registration_due is not None and reg.registered_on > d.registration_due)
    parts = [f"Đăng ký ngày {reg.registered_on:%d/%m/%Y}"]
    if d.registration_due:
        parts.append(f"hạn {d.registration_due:%d/%m/%Y}")
    if late:
        parts.append(
            "nộp muộn — không đạt tiêu chí đăng ký trong quý I; nếu bản đăng ký thực tế đến đúng hạn, "
            "cán bộ Công an xã điều chỉnh ngày đăng ký kèm căn cứ"
        )
    if missing:
        parts.append("thiếu " + ", ".join(m[:1].lower() + m[1:] for m in missing))
    elif reg.on_paper:
        parts.append("tài liệu nhận bản giấy")
    outcome = Outcome.FAIL if late or missing else Outcome.PASS
    return outcome, "; ".join(parts) + ".", _url("registrations:detail", reg.public_id)


def _full_commitment(d):
    reg = d.registration
    noun = "hộ" if d.unit.kind.counts_households else "cán bộ, nhân viên"
    outcome = Outcome.PASS if reg.is_fully_committed else Outcome.FAIL
    return (
        outcome,
        f"{reg.committed_count}/{reg.base_count} {noun} đăng ký, cam kết.",
        _url("registrations:detail", reg.public_id),
    )


def _movement_model(d):
    url = _url("registrations:detail", d.registration.public_id)
    if d.movement_model_count:
        more = f" và {d.movement_model_count - 1} mô hình khác" if d.movement_model_count > 1 else ""
        return Outcome.PASS, f"«{d.movement_model_name}»{more}.", url
    if not d.unit.kind.requires_movement_model:
        return Outcome.PASS, "Loại đơn vị này không bắt buộc có mô hình.", url
    return Outcome.FAIL, "Chưa ghi nhận mô hình tự phòng, tự quản nào trong bản đăng ký.", url


def meets_managed_share(counts, percent) -> bool:
    """A commune's units (registrations.progress figures) are all registered and `percent`% recognised."""
    return counts.all_registered and counts.recognised >= required_share(counts.total, percent)


def _managed_units(d):
    counts = d.managed.total
    needed = required_share(counts.total, d.recognition_percent)
    evidence = (
        f"{counts.registered}/{counts.total} đơn vị trực thuộc đã đăng ký; {counts.recognised}/{counts.total} "
        f"được công nhận (cần {needed}, tức {d.recognition_percent}%)."
    )
    outcome = Outcome.PASS if meets_managed_share(counts, d.recognition_percent) else Outcome.FAIL
    return outcome, evidence, _url("dossiers:list") + f"?don_vi_quan_ly={d.unit.public_id}"


def _no_disqualifying_incident(d):
    if d.period_start is None:
        return Outcome.UNKNOWN, "Chưa có kỳ đánh giá cho loại đơn vị này.", ""
    period = f"kỳ đánh giá {d.period_start:%d/%m/%Y}–{d.period_end:%d/%m/%Y}"
    where = " trên địa bàn" if d.unit.kind.is_administrative else ""
    if d.incident_count:
        at = f" (tại {d.incident_unit_name})" if d.incident_unit_name != d.unit.name else ""
        return (
            Outcome.FAIL,
            f"{d.incident_count} vụ việc làm mất tiêu chuẩn{where} trong {period}{at}.",
            _url("dossiers:incident_detail", d.incident_public_id),
        )
    return Outcome.PASS, f"Không có vụ việc làm mất tiêu chuẩn{where} trong {period}.", ""


def _internal_rules(d):
    url = _url("registrations:detail", d.registration.public_id)
    missing = d.missing_rules
    if missing:
        return Outcome.FAIL, "Thiếu nội quy, quy chế: " + ", ".join(missing) + ".", url
    return Outcome.PASS, "Đã ban hành đủ nội quy, quy chế theo loại đơn vị.", url


CHECKS = {
    CheckCode.REGISTERED_IN_WINDOW: _registered_in_window,
    CheckCode.FULL_COMMITMENT: _full_commitment,
    CheckCode.MOVEMENT_MODEL: _movement_model,
    CheckCode.MANAGED_UNITS: _managed_units,
    CheckCode.NO_DISQUALIFYING_INCIDENT: _no_disqualifying_incident,
    CheckCode.INTERNAL_RULES: _internal_rules,
}


def _fill_incidents(dossiers):
    """Set `incident_count` and the first incident (`incident_public_id`, `incident_unit_name`) on each
    dossier: the disqualifying incidents at or under its unit in its period. Everything under the unit counts:
    a commune answers for incidents in its villages and agencies (TT124 Điều 5 khoản 2 applies the khu dân
    cư criteria across the whole commune). One query for all the dossiers."""
    dated = [d for d in dossiers if d.period_start is not None]
    for d in dossiers:
        d.incident_count, d.incident_public_id, d.incident_unit_name = 0, None, None
    if not dated:
        return
    found = Incident.objects.disqualifying_under(
        [d.unit for d in dated], min(d.period_start for d in dated), max(d.period_end for d in dated)
    ).values_list("unit__path", "unit__name", "public_id", "occurred_on")
    found = list(found)
    for d in dated:
        mine = [i for i in found if i[0].startswith(d.unit.path) and d.period_start <= i[3] <= d.period_end]
        if mine:
            d.incident_count, d.incident_public_id, d.incident_unit_name = len(mine), mine[0][2], mine[0][1]


def checklists(dossiers) -> dict[int, Checklist]:
    """Checklists of dossiers fetched with `with_facts()`, keyed by dossier pk, in two queries (three when
    a commune's dossier is among them: the progress of the units it manages)."""
    dossiers = list(dossiers)
    if not dossiers:
        return {}
    communes = [d for d in dossiers if d.unit.kind.category not in MANAGED_CATEGORIES]
    for number in {d.year.number for d in communes}:
        areas = [d.unit for d in communes if d.year.number == number]
        managed = progress.areas_progress(areas, number)
        for d in communes:
            if d.year.number == number:
                d.managed = managed[d.unit.pk]
    prefill_required_documents(dossiers)
    _fill_incidents(dossiers)
    provinces = {d.unit.path[:PATH_SEGMENT_WIDTH] for d in dossiers}
    criteria = list(Criterion.objects.for_provinces(provinces).select_related("province"))
    percents = RecognitionShare.percents(provinces)
    rules = requirements.missing_rules(
        (d.registration_id, d.unit.kind_id) for d in dossiers if d.unit.kind.requires_internal_rules
    )
    for d in dossiers:
        d.recognition_percent = percents[d.unit.path[:PATH_SEGMENT_WIDTH]]
        d.missing_rules = rules.get(d.registration_id, [])
    stored = {
        (c.dossier_id, c.criterion_id): c for c in CriterionCheck.objects.filter(dossier__in=[d.pk for d in dossiers])
    }
    result = {}
    for d in dossiers:
        province = d.unit.path[:PATH_SEGMENT_WIDTH]
        items = []
        for c in criteria:
            if c.category != d.unit.kind.category or (c.province_id and c.province.path != province):
                continue
            check = stored.get((d.pk, c.pk))
            if c.is_automatic:
                outcome, evidence, url = CHECKS[CheckCode(c.check_code)](d)
            else:
                outcome = check.outcome if check and check.confirmed_by_id else Outcome.UNKNOWN
                evidence, url = "", ""
            items.append(Item(c, outcome, evidence, url, check))
        result[d.pk] = Checklist(items)
    return result


def checklist(dossier) -> Checklist:
    return checklists([dossier])[dossier.pk]
