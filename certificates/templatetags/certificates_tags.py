from django import template
from django.db.models import Exists, OuterRef

from ansinh import access
from certificates.models import Certificate
from dossiers.models import Decision, Dossier
from units.models import Role

register = template.Library()


@register.simple_tag
def decisions_without_certificates(user):
    """Decisions of the person's issuing levels with a recognised unit that has no certificate yet (one query)."""
    issuers = access.home_units(user, Role.RECORDS_CLERK, Role.CHAIRMAN)
    uncertified = Dossier.objects.filter(decision=OuterRef("pk")).exclude(
        Exists(Certificate.objects.filter(dossier=OuterRef("pk")))
    )
    return Decision.objects.filter(issuer__in=issuers).filter(Exists(uncertified)).count()
