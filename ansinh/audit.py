"""Writing and reading the audit trail."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from ansinh import xlsx
from ansinh.client import current_address
from ansinh.models import AuditEvent
from ansinh.text import fit
from units.models import Unit

FIELD_LENGTHS = {name: AuditEvent._meta.get_field(name).max_length for name in ("action", "label")}


def record(obj, *, actor, action, label, unit=None, from_state="", to_state="", reason="", changes=None):
    """Append one audit row for `obj`; call inside the transaction that made the change.

    `changes` maps a field name to its `(old, new)` values (see `diff`); they are kept as text. A label
    built from user text (a 240-character file name) is shortened to its column; the reason keeps it all.
    The client's address is that of the request being served (ansinh.client), empty in commands."""
    return AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        unit=unit if unit is not None else obj if isinstance(obj, Unit) else getattr(obj, "unit", None),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=fit(action, FIELD_LENGTHS["action"]),
        label=fit(label, FIELD_LENGTHS["label"]),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        changes={name: [_text(old), _text(new)] for name, (old, new) in (changes or {}).items()},
        address=current_address(),
    )


def diff(before, after, fields) -> dict:
    """`{field: (old, new)}` for the `fields` whose value differs between two instances (or dicts)."""

    def value(obj, name):
        return obj.get(name) if isinstance(obj, dict) else getattr(obj, name)

    return {
        name: (value(before, name), value(after, name)) for name in fields if value(before, name) != value(after, name)
    }


def _text(value):
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def history(obj):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")


EXPORT_MAX_ROWS = 10_000


def workbook(events) -> bytes:
    """The audit rows as an Excel sheet (at most EXPORT_MAX_ROWS, newest first; the title says if cut)."""
    total = events.count()
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhật ký thao tác"
    shown = min(total, EXPORT_MAX_ROWS)
    ws.append([f"NHẬT KÝ THAO TÁC ({shown}/{total} dòng, xuất lúc {timezone.localtime():%d/%m/%Y %H:%M})"])
    ws["A1"].font = Font(bold=True)
    headers = [
        "Thời điểm",
        "Người thao tác",
        "Tài khoản",
        "Địa chỉ IP",
        "Đơn vị",
        "Thao tác",
        "Mô tả",
        "Lý do / ghi chú",
    ]
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for e in events[:EXPORT_MAX_ROWS]:
        actor = e.actor
        ws.append(
            [
                timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M:%S"),
                actor.get_full_name() if actor else "",
                actor.username if actor else "",
                e.address or "",
                e.unit.name if e.unit else "",
                e.action,
                e.label,
                e.reason,
            ]
        )
    for letter, width in zip("ABCDEFGH", (19, 24, 18, 16, 30, 16, 50, 50), strict=True):
        ws.column_dimensions[letter].width = width
    return xlsx.to_bytes(wb)
