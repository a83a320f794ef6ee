from dataclasses import dataclass

from django import template
from django.utils.html import format_html

from scoring.classification import classify, format_points
from scoring.models import SheetKind
from scoring.services import waiting_for

register = template.Library()
HOME_ROWS = 5


@register.filter
def points(value):
    return format_points(value)


@register.simple_tag
def band_badge(total, empty="Chưa có điểm"):
    """The class of a total as a coloured badge (scoring.classification.classify decides)."""
    band = classify(total)
    if band is None:
        return format_html('<span class="badge text-bg-light">{}</span>', empty)
    return format_html('<span class="badge text-bg-{}">{}</span>', band.colour, band.label)


@register.inclusion_tag("scoring/_dossier_panel.html", takes_context=True)
def score_panel(context, dossier):
    """The dossier page's box: both totals, the class that counts, links to the sheet and its entry."""
    user = context["request"].user
    sheets = {s.kind: s for s in dossier.score_sheets.all()}
    return {
        "dossier": dossier,
        "self_sheet": sheets.get(SheetKind.SELF),
        "review_sheet": sheets.get(SheetKind.REVIEW),
        "can_self": user.has_perm("scoring.enter_self_score", dossier),
        "can_review": user.has_perm("scoring.enter_review_score", dossier),
    }


@register.inclusion_tag("scoring/_home.html", takes_context=True)
def scoring_home(context):
    """The home page card: what waits to be scored by this person, then the lists."""
    user = context["request"].user
    can_view = user.has_perm("scoring.view_classification")
    if not can_view:
        return {"can_view": False}
    to_self, to_review = (_first_and_count(qs) for qs in waiting_for(user))
    return {"can_view": can_view, "to_self": to_self, "to_review": to_review}


@dataclass
class Waiting:
    first: list
    total: int


def _first_and_count(dossiers):
    """The first HOME_ROWS dossiers and how many in all: a province may hold thousands, the card names five.
    The count is a second query only when the first rows fill the card."""
    first = list(dossiers[:HOME_ROWS])
    return Waiting(first, len(first) if len(first) < HOME_ROWS else dossiers.count())
