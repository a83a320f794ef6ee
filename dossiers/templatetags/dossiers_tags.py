"""Template tags of the dossier panels other apps' pages include."""

from django import template

from ansinh import access
from dossiers.models import Dossier

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_dossiers(context, unit):
    """The unit's dossiers visible to the viewer, newest year first, read with their years in one query."""
    dossiers = Dossier.objects.filter(unit=unit).select_related("year").order_by("-year__number")
    return list(access.scope(dossiers, context["request"].user))
