"""Writing and reading the audit trail."""

from django.contrib.contenttypes.models import ContentType

from ansinh.models import AuditEvent
from ansinh.text import fit

FIELD_LENGTHS = {name: AuditEvent._meta.get_field(name).max_length for name in ("action", "label")}


def record(obj, *, actor, action, label, unit=None, from_state="", to_state="", reason="", changes=None):
    """Append one audit row for `obj`; call inside the transaction that made the change.

    `changes` maps a field name to its `(old, new)` values (see `diff`); they are kept as text. A label
    built from user text (a 240-character file name) is shortened to its column; the reason keeps it all."""
    return AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        unit=unit if unit is not None else getattr(obj, "unit", None),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=fit(action, FIELD_LENGTHS["action"]),
        label=fit(label, FIELD_LENGTHS["label"]),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        changes={name: [_text(old), _text(new)] for name, (old, new) in (changes or {}).items()},
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
