from django import template
from django.urls import reverse
from django.utils.html import format_html

from ansinh import access, nd30

register = template.Library()


@register.filter
def nd30_date(day, place=""):
    return nd30.date_line(place, day) if day else ""


@register.filter
def percent(part, whole):
    if not whole or part is None:
        return "—"
    return f"{100 * part / whole:.0f}%"


@register.simple_tag
def status_badge(obj, field="status"):
    value = getattr(obj, field)
    label = getattr(obj, f"get_{field}_display")()
    colours = getattr(obj, "STATUS_COLOURS", {})
    return format_html('<span class="badge text-bg-{}">{}</span>', colours.get(value, "secondary"), label)


@register.simple_tag(takes_context=True)
def unit_link(context, unit):
    """The unit's name, linked only when the person may open it (a link outside the jurisdiction is a 404)."""
    if unit is None:
        return ""
    if access.sees(context["request"].user, unit):
        return format_html('<a href="{}">{}</a>', reverse("units:detail", args=[unit.public_id]), unit.name)
    return unit.name
