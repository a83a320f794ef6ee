"""What goes on a certificate, and rendering many of them as one PDF (one HTML document per part, pages
written once). A QR code on each page opens the public verification page."""

from ansinh import nd30, phrases
from ansinh.pdf import qr_src, render_pdf_in_parts
from dossiers.models import CAPACITY_LINES, Capacity, IssuerSettings

TEMPLATE = "pdf/certificates.html"
# Certificates laid out per part of a background batch: the progress bar moves once per part.
PART_SIZE = 100


def _decision_facts(decision, cache):
    """What every certificate of a decision shares, computed once per decision."""
    if decision.pk not in cache:
        issuer = decision.issuer
        body = f"ỦY BAN NHÂN DÂN {issuer.name.upper()}"
        by = "Ủy ban nhân dân" if decision.capacity == Capacity.ON_BEHALF else "Chủ tịch Ủy ban nhân dân"
        cache[decision.pk] = {
            "issuer_lines": nd30.issuing_body_lines(issuer),
            "authority": body if decision.capacity == Capacity.ON_BEHALF else f"CHỦ TỊCH {body}",
            # One line: every line of text costs about as much as a trivial page (see bench/printing.py).
            "basis": (
                f"Căn cứ Quyết định số {decision.number_label} ngày {decision.issued_on:%d/%m/%Y} của {by} "
                f"{_lower_first(issuer.name)},"
            ),
            "date_line": nd30.date_line(IssuerSettings.for_unit(issuer).place, decision.issued_on),
            "capacity_lines": CAPACITY_LINES[Capacity(decision.capacity)],
            "signer_name": decision.signer_name,
            "year": decision.year.number,
        }
    return cache[decision.pk]


def _lower_first(text):
    return text[:1].lower() + text[1:]


def pages(certificates):
    """One dict per certificate page, in the given order."""
    cache = {}
    return [
        {
            **_decision_facts(c.decision, cache),
            "certificate": c,
            "doc_number": nd30.document_number(c.number, c.symbol),
            "qr": qr_src(c.verify_url),
        }
        for c in certificates
    ]


def _context(page_list):
    return {"pages": page_list, "standard": phrases.STANDARD_QUOTED}


def render_certificates(certificates, on_progress=None) -> bytes:
    """All certificates as one PDF, one per page, laid out PART_SIZE at a time (`on_progress(done)` reports
    after each part).

    Parts, because WeasyPrint does some work per page for every element or page of the whole document
    (page styles, fixed boxes), which grows with the square of a long document's length."""
    page_list = pages(certificates)
    parts = [page_list[i : i + PART_SIZE] for i in range(0, len(page_list), PART_SIZE)] or [[]]

    def report(n):
        if on_progress:
            on_progress(min(n * PART_SIZE, len(page_list)))

    return render_pdf_in_parts(TEMPLATE, (_context(p) for p in parts), on_part=report)
