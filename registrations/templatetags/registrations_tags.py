from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from registrations.models import Registration, Year
from registrations.services import current_year_number

register = template.Library()


@register.simple_tag
def registration_badge(status):
    """The status badge for a board row, which carries the status as a plain annotated value."""
    if not status:
        return mark_safe('<span class="badge text-bg-light border">Chưa đăng ký</span>')
    colour = Registration.STATUS_COLOURS.get(status, "secondary")
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, Registration.Status(status).label)


@register.simple_tag
def current_registration(unit):
    """This year's registration of a unit (None when the year is not open or nothing was filed)."""
    try:
        year = Year.objects.for_unit(unit, current_year_number())
    except Year.DoesNotExist:
        return None
    return Registration.objects.filter(unit=unit, year=year).first()


@register.simple_tag
def current_year():
    return current_year_number()
