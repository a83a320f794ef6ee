from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ansinh import access
from registrations.models import Registration, Year
from registrations.rules import RECEIVING_ROLES
from registrations.services import current_year_number

register = template.Library()

# Audit rows keep values as text; a flag reads as a word.
BOOL_WORDS = {"True": "Có", "False": "Không"}


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


@register.filter
def change_rows(event):
    """(field label, old, new) for each value an audit row of a registration changed, in Vietnamese."""
    rows = []
    for name, (old, new) in (event.changes or {}).items():
        try:
            label = Registration._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            label = name
        rows.append((label.capitalize(), BOOL_WORDS.get(old, old), BOOL_WORDS.get(new, new)))
    return rows


@register.simple_tag
def current_year():
    return current_year_number()


@register.simple_tag
def adjacent_years(year):
    """(previous, next) year numbers of the province that are open, or None: links for the year switcher."""
    this_year = current_year_number()
    near = set(
        Year.objects.filter(province_id=year.province_id, number__in=[year.number - 1, year.number + 1]).values_list(
            "number", flat=True
        )
    )
    previous = year.number - 1 if year.number - 1 in near else None
    following = year.number + 1 if year.number + 1 in near or year.number + 1 == this_year else None
    return previous, following


@register.simple_tag
def waiting_count(user):
    """Registrations submitted this year and waiting for this person to receive them, in one query."""
    waiting = Registration.objects.filter(status=Registration.Status.SUBMITTED, year__number=current_year_number())
    return access.scope(waiting, user, unit_field="unit__parent", roles=RECEIVING_ROLES).count()
