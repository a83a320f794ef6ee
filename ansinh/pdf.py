"""The one HTML → PDF helper. Every printed document goes through `render_pdf`.

Batches (many certificates, many units) must be one template with page breaks: font subsetting and
PDF writing are paid once per document (see shared PERF-NOTES).
"""

import unicodedata

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        """Fonts and images come from the project's static folders; nothing is fetched from a network."""

        def fetch(self, url, headers=None):
            if url.startswith("static:"):
                path = finders.find(url.removeprefix("static:"))
                if not path:
                    raise ValueError(f"missing static file {url}")
                return URLFetcherResponse(url, open(path, "rb"), {}, 200)  # noqa: SIM115 - weasyprint closes it
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"PDFs load nothing from outside the project: {url}")

    # A missing font must stop the render rather than fall back to a font without Vietnamese glyphs.
    return ProjectFetcher(fail_on_errors=True)


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported lazily: ~1 s on first import

    html = unicodedata.normalize("NFC", render_to_string(template_name, context))
    return HTML(string=html, url_fetcher=_fetcher(), base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(template_name: str, context: dict, filename: str, inline=True) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# CSS pixels (1/96 in) to PDF points (1/72 in).
PX_TO_PT = 0.75


def render_pdf_with_anchors(template_name: str, context: dict) -> tuple[bytes, dict]:
    """Like `render_pdf`, and where each element with an `id` landed, for drawing over it afterwards
    (a signature field): id → (page index, (left, bottom, right, top)) in points from the page's bottom-left."""
    from weasyprint import HTML

    html = unicodedata.normalize("NFC", render_to_string(template_name, context))
    document = HTML(string=html, url_fetcher=_fetcher(), base_url=str(settings.BASE_DIR)).render()
    anchors = {}
    for index, page in enumerate(document.pages):
        for name, (x1, y1, x2, y2) in page.anchors.items():
            box = (x1 * PX_TO_PT, (page.height - y2) * PX_TO_PT, x2 * PX_TO_PT, (page.height - y1) * PX_TO_PT)
            anchors.setdefault(name, (index, box))
    return document.write_pdf(), anchors
