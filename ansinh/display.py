"""What list pages show, prepared once in Python rather than by a template tag per row: URLs of rows and
the controls of filter forms."""

import uuid

from django.urls import reverse
from django.utils.html import format_html, format_html_join

_ZERO = uuid.UUID(int=0)


def url_maker(name, suffix=""):
    """reverse() once, then put each row's UUID in its place."""
    base, zero = reverse(name, args=[_ZERO]), str(_ZERO)
    return lambda public_id: base.replace(zero, str(public_id)) + suffix


def filter_controls(form):
    """[(id, label, control HTML)] for a list page's filter form (a <select> per choice field, a text box
    otherwise), built in one pass: Django and crispy render each field and <option> through templates, which
    cost more than the rest of a 40-row board."""
    controls = []
    for field in form:
        value = field.value()
        current = str(value[0] if isinstance(value, list | tuple) and value else value or "").lower()
        invalid = " is-invalid" if field.errors else ""
        errors = format_html_join("", '<div class="invalid-feedback">{}</div>', ((e,) for e in field.errors))
        choices = getattr(field.field, "choices", None) or getattr(field.field.widget, "choices", None)
        if choices is None:
            control = format_html(
                '<input type="text" name="{}" id="{}" value="{}" class="form-control{}"{}>{}',
                field.html_name,
                field.id_for_label,
                value or "",
                invalid,
                format_html(' maxlength="{}"', length) if (length := getattr(field.field, "max_length", None)) else "",
                errors,
            )
            controls.append((field.id_for_label, field.label, control))
            continue
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if str(v).lower() == current else "", label) for v, label in choices),
        )
        select = format_html(
            '<select name="{}" id="{}" class="form-select{}">{}</select>{}',
            field.html_name,
            field.id_for_label,
            invalid,
            options,
            errors,
        )
        controls.append((field.id_for_label, field.label, select))
    return controls
