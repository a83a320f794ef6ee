"""What a decision puts on paper: the Nghị định 30/2020 document composed from a Decision and its issuer's
settings, rendered through ansinh.pdf on the ND30 base layout."""

from ansinh import nd30, phrases
from dossiers.models import CAPACITY_LINES, Capacity, Dossier, IssuerSettings, LegalBasis


def decision_context(decision, dossiers=None) -> dict:
    """The printed decision: issuing body, number, place-and-date line, authority, legal basis, the
    "Xét Tờ trình" line, the units recognised (by kind, then name), signature capacity and recipients.

    `dossiers` are given for a preview, when the decision is not saved yet."""
    issuer = decision.issuer
    settings = IssuerSettings.for_unit(issuer)
    if dossiers is None:
        dossiers = decision.dossiers.select_related("unit__kind")
    else:
        dossiers = Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).select_related("unit__kind")
    dossiers = list(dossiers.order_by("unit__kind__sort_order", "unit__name"))
    body = f"ỦY BAN NHÂN DÂN {issuer.name.upper()}"
    authority = body if decision.capacity == Capacity.ON_BEHALF else f"CHỦ TỊCH {body}"
    return {
        "decision": decision,
        "issuer_lines": nd30.issuing_body_lines(issuer),
        "doc_number": nd30.document_number(decision.number, decision.symbol),
        "date_line": nd30.date_line(settings.place, decision.issued_on),
        "authority": authority,
        # Mid-sentence the kind word is lower case: "Công an xã Kon Gang".
        "issuer_inline": nd30.lower_first(issuer.name),
        "subject": phrases.DECISION_SUBJECT.format(year=decision.year.number),
        "standard": phrases.STANDARD_QUOTED,
        "legal_basis": LegalBasis.lines_for(issuer),
        "request_line": request_line(decision, dossiers),
        "capacity_lines": CAPACITY_LINES[Capacity(decision.capacity)],
        "recipients": settings.recipient_lines,
        "dossiers": dossiers,
    }


def decision_filename(decision) -> str:
    return f"quyet-dinh-{decision.number:02d}-{decision.calendar_year}.pdf"


def request_line(decision, dossiers) -> str:
    """ "Xét Tờ trình số … ngày … của …" for the decision: its own tờ trình, else those recorded on the
    dossiers (each naming its unit); "" when none was recorded, and the line is left out."""
    if decision.request_number:
        day = f" ngày {decision.request_date:%d/%m/%Y}" if decision.request_date else ""
        by = f" của {decision.request_from}" if decision.request_from else ""
        return f"Xét Tờ trình số {decision.request_number}{day}{by};"
    parts = [
        f"Tờ trình số {d.request_number}"
        + (f" ngày {d.request_date:%d/%m/%Y}" if d.request_date else "")
        + f" của {d.unit.name}"
        for d in dossiers
        if d.request_number
    ]
    return f"Xét {'; '.join(parts)};" if parts else ""
