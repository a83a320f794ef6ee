"""What a registration must contain, by unit kind and Party presence (Thông tư 124 Điều 4–7), and what is
still missing, in words a clerk can read out to the unit.

The one source of a unit's missing registration requirements: the same requirement list drives the
Python check on a registration page, the SQL check on the clerk's board (`registrations.queries`), the
printed forms and the dossier checklist's first criterion (`dossiers.criteria`), so they never disagree.
The internal rules a kind must have are rows (`InternalRule`); the dossier's own documents are rows too
(`dossiers.models.DossierRequirement`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from registrations.models import DocumentType, InternalRule, Registration
from units.models import Category


def party_body(unit) -> str:
    """Who issues the Party resolution: the cell of a village, the committee of a commune."""
    category = unit.kind.category
    if category == Category.RESIDENTIAL_AREA:
        return "chi bộ"
    if category in (Category.COMMUNE, Category.DISTRICT):
        return "đảng ủy"
    return "tổ chức Đảng"


def _missing_rules(unit, facts):
    rules = facts.get("missing_rules") or [r.name for r in InternalRule.objects.for_kind(unit.kind_id)]
    return "Thiếu nội quy, quy chế: " + ", ".join(rules)


@dataclass(frozen=True)
class Requirement:
    """One thing a registration must hold. `flag` names the fact (a boolean) read from a registration or
    from a board row; `applies_q` is `applies` written as a filter on units, for SQL."""

    flag: str
    applies: Callable
    applies_q: Q
    missing: Callable


REQUIREMENTS = [
    Requirement(
        "party_resolution",
        lambda unit: unit.has_party_org,
        Q(has_party_org=True),
        lambda unit, facts: f"Thiếu nghị quyết của {party_body(unit)}",
    ),
    Requirement(
        "security_plan",
        lambda unit: unit.kind.requires_security_plan,
        Q(kind__requires_security_plan=True),
        lambda unit, facts: "Thiếu kế hoạch bảo đảm an ninh, trật tự",
    ),
    Requirement("registration_form", lambda unit: True, Q(), lambda unit, facts: "Thiếu bản đăng ký phấn đấu"),
    Requirement(
        "movement_model",
        lambda unit: unit.kind.requires_movement_model,
        Q(kind__requires_movement_model=True),
        lambda unit, facts: "Chưa có mô hình tự phòng, tự quản",
    ),
    Requirement(
        "internal_rules",
        lambda unit: unit.kind.requires_internal_rules,
        Q(kind__requires_internal_rules=True),
        _missing_rules,
    ),
]

# Documents a person can upload for each requirement that is a document.
DOCUMENT_FLAGS = {
    DocumentType.PARTY_RESOLUTION: "party_resolution",
    DocumentType.SECURITY_PLAN: "security_plan",
    DocumentType.REGISTRATION_FORM: "registration_form",
}


def required_documents(unit) -> list[str]:
    """Document types the unit must file, in the order they are listed on the form."""
    return [doc for doc, flag in DOCUMENT_FLAGS.items() if _requirement(flag).applies(unit)]


def _requirement(flag):
    return next(r for r in REQUIREMENTS if r.flag == flag)


def document_label(unit, doc_type) -> str:
    if doc_type == DocumentType.PARTY_RESOLUTION:
        return f"Nghị quyết của {party_body(unit)}"
    return DocumentType(doc_type).label


def documents_on_file(registration: Registration, uploaded: set[str]) -> dict:
    """Which required documents count as filed: uploaded (`uploaded` holds the live document types), or
    handed in on paper at the commune."""
    return {
        "party_resolution": DocumentType.PARTY_RESOLUTION in uploaded or registration.paper_party_resolution,
        "security_plan": DocumentType.SECURITY_PLAN in uploaded or registration.paper_security_plan,
        "registration_form": DocumentType.REGISTRATION_FORM in uploaded or registration.on_paper,
    }


def missing_documents(unit, on_file: dict) -> list[str]:
    """Labels of the registration documents the unit must file and has not (`on_file` from above)."""
    return [
        document_label(unit, t)
        for t, flag in DOCUMENT_FLAGS.items()
        if _requirement(flag).applies(unit) and not on_file[flag]
    ]


def missing_rules(pairs) -> dict[int, list[str]]:
    """{registration id: names of the internal rules its unit's kind must have and it lacks} for
    (registration id, kind id) pairs, in two queries whatever their number."""
    pairs = list(pairs)
    if not pairs:
        return {}
    links = (
        InternalRule.kinds.through.objects.filter(
            unitkind_id__in={kind for _, kind in pairs}, internalrule__is_active=True
        )
        .select_related("internalrule")
        .order_by("internalrule__sort_order", "internalrule_id")
    )
    by_kind = {}
    for link in links:
        by_kind.setdefault(link.unitkind_id, []).append(link.internalrule)
    held = set(
        Registration.internal_rules.through.objects.filter(registration_id__in=[r for r, _ in pairs]).values_list(
            "registration_id", "internalrule_id"
        )
    )
    return {reg: [rule.name for rule in by_kind.get(kind, []) if (reg, rule.pk) not in held] for reg, kind in pairs}


def facts_of(registration: Registration) -> dict:
    """The booleans and counts the check reads, from a registration whose documents and movement models
    are loaded (prefetch them on lists)."""
    alive = {d.doc_type for d in registration.documents.all() if d.deleted_at is None}
    missing_rules = [rule.name for rule, held in registration.rule_status() if not held]
    return {
        "registered": True,
        "base_count": registration.base_count,
        "committed_count": registration.committed_count,
        **documents_on_file(registration, alive),
        "movement_model": len(registration.movement_models.all()) > 0,
        "internal_rules": not missing_rules,
        "missing_rules": missing_rules,
    }


def commitment_text(unit, base: int, committed: int) -> str:
    """'Mới 130/142 hộ đăng ký (92%)'; an incomplete count never rounds up to 100%."""
    share = min(round(100 * committed / base), 99)
    if unit.kind.counts_households:
        return f"Mới {committed}/{base} hộ đăng ký ({share}%)"
    return f"Mới {committed}/{base} cán bộ, nhân viên được phổ biến, ký cam kết ({share}%)"


def missing_items(unit, facts: dict | None) -> list[str]:
    """Everything the unit still lacks for this year's registration, in plain Vietnamese."""
    if not facts or not facts.get("registered"):
        return ["Chưa đăng ký"]
    items = []
    base, committed = facts["base_count"] or 0, facts["committed_count"] or 0
    if base == 0:
        items.append(f"Chưa ghi {unit.kind.size_label.lower()}")
    elif committed < base:
        items.append(commitment_text(unit, base, committed))
    items.extend(req.missing(unit, facts) for req in REQUIREMENTS if req.applies(unit) and not facts[req.flag])
    return items
