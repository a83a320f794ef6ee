"""Score templates and score sheets: choosing the template, checking points, entering and locking scores,
revising a template, and the rows of the classification lists."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, FilteredRelation, Q

from ansinh import access, audit
from ansinh.errors import Refused
from dossiers.models import Dossier, DossierStatus
from registrations import progress
from scoring.classification import BANDS, GOOD_FROM, MAX_TOTAL, MODEL_UNIT_FROM, SCORE_STEP, classify, format_points
from scoring.models import ScoreEntry, ScoreItem, ScoreSheet, ScoreTemplate, SheetKind
from scoring.rules import REVIEW_SCORE_STATES, SELF_SCORE_STATES, WHO_ENTERS, is_decided
from units.models import Role

ITEM_FIELDS = ("group", "number", "text", "max_points", "guidance", "reference", "sort_order")


def check_total(maxima):
    """Refuse a template whose items' maxima do not add up to exactly 100, showing the actual sum."""
    total = sum((Decimal(m) for m in maxima), Decimal("0"))
    if total != MAX_TOTAL:
        raise Refused(
            f"Tổng điểm tối đa của các mục phải bằng đúng {format_points(MAX_TOTAL)}; "
            f"hiện là {format_points(total)} điểm."
        )


def check_maximum(value, number=""):
    """Refuse a maximum that is not a positive multiple of 0.5 up to 100."""
    label = f"Mục {number}: " if number else ""
    if value is None or value <= 0 or value > MAX_TOTAL or value % SCORE_STEP:
        raise Refused(f"{label}điểm tối đa phải lớn hơn 0, không quá 100 và theo bước 0,5 điểm.")


def template_for(dossier) -> ScoreTemplate:
    """The template the dossier is scored on: the one its first sheet used, else the best current one."""
    sheet = dossier.score_sheets.select_related("template").first()
    if sheet is not None:
        return sheet.template
    template = ScoreTemplate.objects.for_unit_year(dossier.unit, dossier.year).first()
    if template is None:
        raise Refused(
            f"Chưa có mẫu chấm điểm cho {dossier.unit.kind.get_category_display().lower()} năm {dossier.year.number}; "
            "đề nghị quản trị bổ sung."
        )
    return template


def items_of(template):
    return list(template.items.order_by("sort_order", "pk"))


def parse_points(raw):
    """A typed score ('7,5', '7.5', ' 8 ') as a Decimal; None when blank or not a finite number."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def point_error(item, raw) -> str:
    """The Vietnamese message for a bad score of `item`, or '' when it is fine."""
    name = f"Mục {item.number} «{_short(item.text)}»"
    if raw is None or str(raw).strip() == "":
        return f"{name}: chưa nhập điểm."
    value = parse_points(raw)
    if value is None:
        return f"{name}: «{str(raw).strip()[:20]}» không phải là số điểm."
    if value < 0 or value > item.max_points or value % SCORE_STEP:
        return (
            f"{name}: {format_points(value) if abs(value) < 1000 else str(raw).strip()[:20]} điểm không hợp lệ — "
            f"chỉ chấm từ 0 đến {format_points(item.max_points)} điểm, theo bước 0,5 điểm."
        )
    return ""


def _short(text, length=60):
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _checked_points(items, points):
    """Every item's score as a Decimal; Refused naming each bad item (nothing is written)."""
    errors = [e for e in (point_error(item, points.get(item.pk)) for item in items) if e]
    if errors:
        raise Refused(" ".join(errors))
    return {item.pk: parse_points(points[item.pk]) for item in items}


def _refusal(dossier, kind):
    """Why a score of `kind` may not be entered on the (locked) dossier now, or ''."""
    if is_decided(dossier):
        return (
            f"Không thể sửa điểm: hồ sơ của {dossier.unit} đã có quyết định "
            f"({dossier.get_status_display().lower()}); bảng điểm được giữ nguyên như khi quyết định."
        )
    if kind == SheetKind.SELF and dossier.status not in SELF_SCORE_STATES:
        return "Chỉ tự chấm điểm khi hồ sơ chưa được thẩm định; hồ sơ đang ở bước thẩm định."
    if kind == SheetKind.REVIEW and dossier.status not in REVIEW_SCORE_STATES:
        return "Chỉ chấm điểm thẩm định khi hồ sơ đang được thẩm định (sau khi bấm «Bắt đầu thẩm định»)."
    return ""


def enter_scores(*, dossier, kind, user, points):
    """Save the person's score sheet of `kind` for the dossier; `points` maps item pk → typed score.

    Side effects in one transaction: the dossier row is locked; the sheet (created on first entry, on the
    dossier's template) and its entries are written with their total; one audit row on the dossier keeps
    the old and new points. After the decision is issued the attempt is refused and audited (the refusal
    row is kept); bad points are refused naming each item, and nothing is written."""
    kind = SheetKind(kind)
    if not user.has_perm(WHO_ENTERS[kind], dossier):
        raise PermissionDenied("Bạn không có quyền chấm điểm hồ sơ này.")
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("unit__kind", "year").get(pk=dossier.pk)
        refusal = _refusal(locked, kind)
        if refusal and is_decided(locked):
            audit.record(
                locked,
                actor=user,
                action="score_refused",
                label=f"Từ chối sửa điểm ({kind.label.lower()}) sau khi đã có quyết định",
                reason=refusal,
            )
        elif refusal:
            raise Refused(refusal)
        else:
            return _store(locked, kind, user, points)
    raise Refused(refusal)


def import_sheet(*, dossier, kind, user, points):
    """Record a score sheet kept on paper (past years, the demo) without the state and permission checks of
    `enter_scores`; the points are checked all the same. Side effects as for `enter_scores`."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("unit__kind", "year").get(pk=dossier.pk)
        return _store(locked, SheetKind(kind), user, points, label_prefix="Nhập bảng điểm giấy: ")


def _store(dossier, kind, user, points, label_prefix=""):
    template = template_for(dossier)
    items = items_of(template)
    check_total(item.max_points for item in items)
    values = _checked_points(items, points)
    sheet = ScoreSheet.objects.filter(dossier=dossier, kind=kind).first()
    old = {}
    if sheet is None:
        sheet = ScoreSheet(dossier=dossier, kind=kind, template=template)
    else:
        old = dict(sheet.entries.values_list("item_id", "points"))
    old_total = sheet.total
    sheet.total = sum(values.values(), Decimal("0"))
    sheet.entered_by = user
    sheet.save()
    ScoreEntry.objects.filter(sheet=sheet).delete()
    ScoreEntry.objects.bulk_create(ScoreEntry(sheet=sheet, item_id=pk, points=v) for pk, v in values.items())
    numbers = {item.pk: item.number for item in items}
    changes = {
        f"Mục {numbers[pk]}": (format_points(old[pk]) if pk in old else "", format_points(v))
        for pk, v in values.items()
        if old.get(pk) != v
    }
    if old_total != sheet.total:
        changes["Tổng điểm"] = (format_points(old_total) if old_total is not None else "", format_points(sheet.total))
    band = classify(sheet.total)
    audit.record(
        dossier,
        actor=user,
        action=f"score_{kind}",
        label=f"{label_prefix}{kind.label}: {format_points(sheet.total)} điểm ({band.label})",
        changes=changes,
    )
    return sheet


def revise_template(template, *, user, items, **fields):
    """Change a template's fields and items (`items`: dicts of ScoreItem fields), or, when a score sheet
    already uses it, make the change a new version for future scoring.

    Side effects in one transaction: the maxima are checked to add up to exactly 100 (Refused with the
    actual sum); either the template is updated and its items replaced, or a new version (previous = this
    one) is created with the items and this one stops being offered; one audit row. Sheets that used the
    old version keep it, with their totals."""
    check_total(item["max_points"] for item in items)
    for item in items:
        check_maximum(item["max_points"], item.get("number", ""))
    with transaction.atomic():
        locked = ScoreTemplate.objects.select_for_update().get(pk=template.pk)
        if locked.in_use:
            if not locked.is_active:
                raise Refused("Mẫu này đã có phiên bản mới hơn; hãy sửa phiên bản đang áp dụng.")
            target = ScoreTemplate(
                name=locked.name,
                category=locked.category,
                province=locked.province,
                first_year=locked.first_year,
                is_default=locked.is_default,
                note=locked.note,
                version=locked.version + 1,
                previous=locked,
            )
            locked.is_active = False
            locked.save(update_fields=["is_active"])
            label = f"Tạo phiên bản {locked.version + 1} của mẫu chấm điểm (phiên bản {locked.version} đang được dùng)"
        else:
            target = locked
            label = "Sửa mẫu chấm điểm"
        for name, value in fields.items():
            setattr(target, name, value)
        target.save()
        ScoreItem.objects.filter(template=target).delete()
        ScoreItem.objects.bulk_create(
            ScoreItem(template=target, **{k: item[k] for k in ITEM_FIELDS if k in item}) for item in items
        )
        audit.record(target, actor=user, unit=target.province, action="revise_template", label=label)
    return target


# The classification lists ------------------------------------------------------------------------------


@dataclass
class ScoredRow:
    """One dossier of a list with both totals; the reviewer's total is the one that classifies."""

    dossier: Dossier
    self_total: Decimal | None
    review_total: Decimal | None
    streak: int = 0
    history: list = field(default_factory=list)

    @property
    def self_band(self):
        return classify(self.self_total)

    @property
    def band(self):
        return classify(self.review_total)

    @property
    def unit(self):
        return self.dossier.unit


def with_totals(dossiers):
    """Both sheets' totals joined onto each dossier (one LEFT JOIN per kind, no subquery per row)."""
    return dossiers.annotate(
        self_sheet=FilteredRelation("score_sheets", condition=Q(score_sheets__kind=SheetKind.SELF)),
        review_sheet=FilteredRelation("score_sheets", condition=Q(score_sheets__kind=SheetKind.REVIEW)),
    ).annotate(self_total=F("self_sheet__total"), review_total=F("review_sheet__total"))


def scored_dossiers(user, number, *, commune=None):
    """The dossiers of year `number` the person may see, with both totals, in tree order."""
    dossiers = access.scope(Dossier.objects.filter(year__number=number), user)
    if commune is not None:
        dossiers = dossiers.filter(access.under(commune, "unit"))
    return with_totals(dossiers).select_related("unit__kind", "unit__parent", "year").order_by("unit__path")


def rows(dossiers):
    return [ScoredRow(d, d.self_total, d.review_total) for d in dossiers]


def band_q(band, field="review_total"):
    """The filter matching scores of `band` (its lower bound up to the next band's), from BANDS."""
    index = BANDS.index(band)
    condition = Q(**{f"{field}__gte": band.lower})
    if index:
        condition &= Q(**{f"{field}__lt": BANDS[index - 1].lower})
    return condition


def band_counts(dossiers):
    """How many dossiers fall in each band of the counting score, and how many wait for one (one query)."""
    return dossiers.order_by().aggregate(
        unscored=Count("pk", filter=Q(review_total__isnull=True)),
        **{band.code: Count("pk", filter=band_q(band)) for band in BANDS},
    )


def area_classification(area, number):
    """[(band, count)] and the unscored count of the dossiers of year `number` under `area` (None: the
    whole country), by the counting score: the dashboard's figures, from the same bands as the lists."""
    # The year ids of the provinces concerned, not a join on the year number: the dossiers of one province's
    # year are an index range, where `year__number` scans every dossier of the country.
    dossiers = Dossier.objects.filter(year__in=progress.governing_years(number, area))
    if area is not None:
        dossiers = dossiers.filter(access.under(area, "unit"))
    counts = band_counts(with_totals(dossiers))
    return [(band, counts[band.code]) for band in BANDS], counts["unscored"]


def award_candidates(user, number, *, commune=None):
    """Dossiers whose counting score earns an award hint (Khá or better), best first; see `with_streaks`."""
    dossiers = scored_dossiers(user, number, commune=commune).filter(review_total__gte=GOOD_FROM)
    return dossiers.order_by("-review_total", "unit__path")


def model_unit_candidates(user, number, *, commune=None):
    """Điển hình candidates: recognised this year and classified Khá or better, best first."""
    dossiers = scored_dossiers(user, number, commune=commune).filter(
        review_total__gte=MODEL_UNIT_FROM, status=DossierStatus.RECOGNISED
    )
    return dossiers.order_by("-review_total", "unit__path")


def with_streaks(dossiers, number):
    """Rows of the candidate `dossiers` (a page of them, or all for an export), each with the unit's run of
    consecutive recognised years ending in year `number` and its class in each, newest first (one query
    whatever the number of rows)."""
    candidates = rows(dossiers)
    unit_ids = [row.dossier.unit_id for row in candidates]
    past = with_totals(Dossier.objects.filter(unit_id__in=unit_ids, year__number__lte=number)).values_list(
        "unit_id", "year__number", "status", "review_total"
    )
    by_unit = {}
    for unit_id, year_number, status, total in past:
        by_unit.setdefault(unit_id, {})[year_number] = (status, total)
    for row in candidates:
        years = by_unit.get(row.dossier.unit_id, {})
        year_number = number
        while years.get(year_number, (None,))[0] == DossierStatus.RECOGNISED:
            row.history.append((year_number, classify(years[year_number][1])))
            year_number -= 1
        row.streak = len(row.history)
    return candidates


# One dossier's sheet, both scores side by side ---------------------------------------------------------


@dataclass
class ItemRow:
    item: ScoreItem
    self_points: Decimal | None
    review_points: Decimal | None

    @property
    def differs(self):
        both = self.self_points is not None and self.review_points is not None
        return both and self.self_points != self.review_points

    @property
    def difference(self):
        return self.review_points - self.self_points if self.differs else None


@dataclass
class Group:
    name: str
    rows: list

    def _sum(self, attribute):
        values = [getattr(r, attribute) for r in self.rows]
        return None if any(v is None for v in values) else sum(values, Decimal("0"))

    @property
    def max_points(self):
        return sum((r.item.max_points for r in self.rows), Decimal("0"))

    @property
    def self_points(self):
        return self._sum("self_points")

    @property
    def review_points(self):
        return self._sum("review_points")


@dataclass
class SheetTable:
    template: ScoreTemplate
    groups: list
    self_sheet: ScoreSheet | None
    review_sheet: ScoreSheet | None

    @property
    def self_total(self):
        return self.self_sheet.total if self.self_sheet else None

    @property
    def review_total(self):
        return self.review_sheet.total if self.review_sheet else None

    @property
    def self_band(self):
        return classify(self.self_total)

    @property
    def band(self):
        """The class that counts: the reviewer's."""
        return classify(self.review_total)

    @property
    def max_total(self):
        return sum((g.max_points for g in self.groups), Decimal("0"))

    @property
    def difference_count(self):
        return sum(1 for g in self.groups for r in g.rows if r.differs)


def sheet_table(dossier) -> SheetTable:
    """Every item of the dossier's template with the self and reviewer points (three queries)."""
    sheets = {s.kind: s for s in dossier.score_sheets.select_related("template", "entered_by")}
    template = next(iter(sheets.values())).template if sheets else template_for(dossier)
    points = {kind: {} for kind in SheetKind.values}
    for kind, item_id, value in ScoreEntry.objects.filter(sheet__in=sheets.values()).values_list(
        "sheet__kind", "item_id", "points"
    ):
        points[kind][item_id] = value
    groups = []
    for item in items_of(template):
        row = ItemRow(item, points[SheetKind.SELF].get(item.pk), points[SheetKind.REVIEW].get(item.pk))
        if not groups or groups[-1].name != item.group:
            groups.append(Group(item.group, []))
        groups[-1].rows.append(row)
    return SheetTable(template, groups, sheets.get(SheetKind.SELF), sheets.get(SheetKind.REVIEW))


def waiting_for(user):
    """Dossiers the person could score now and has not: (without self-assessment, without reviewer's score),
    as querysets in tree order.

    The rules (`scoring.enter_*_score`) in SQL, so a province's undecided dossiers are never read to find the
    few that wait for this person: the unit scores itself through its head or the commune police over it
    (`dossiers.prepare`); the review is scored at the reviewing and recognising levels stored on the dossier
    when it was submitted (`dossiers.review`)."""
    dossiers = with_totals(access.scope(Dossier.objects.filter(decision__isnull=True), user))
    preparers = Q(unit__in=access.unit_ids_at(user, Role.UNIT_HEAD)) | access.jurisdiction_q(
        user, "unit", roles=(Role.POLICE_CLERK,)
    )
    reviewers = Q(reviewing_unit__in=access.unit_ids_at(user, Role.STEERING_OFFICE, Role.CHAIRMAN)) | Q(
        recognising_unit__in=access.unit_ids_at(user, Role.CHAIRMAN)
    )
    to_self = dossiers.filter(preparers, status__in=SELF_SCORE_STATES, self_total__isnull=True)
    to_review = dossiers.filter(reviewers, status__in=REVIEW_SCORE_STATES, review_total__isnull=True)
    return tuple(qs.select_related("unit").order_by("unit__path") for qs in (to_self, to_review))
