"""Writing and reading the audit trail."""

from django.contrib.contenttypes.models import ContentType

from ansinh.models import AuditEvent


def record(obj, *, actor, action, label, unit=None, from_state="", to_state="", reason=""):
    """Append one audit row for `obj`; call inside the transaction that made the change."""
    return AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        unit=unit if unit is not None else getattr(obj, "unit", None),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        label=label,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )


def history(obj):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")
