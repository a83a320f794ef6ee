"""The one HTML → PDF helper. Every printed document goes through `render_pdf`.

Batches (many certificates, many units) must be one template with page breaks: font subsetting and
PDF writing are paid once per document (see shared PERF-NOTES).
"""

import unicodedata

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def _fetch_static(url):
    # Fonts and images are read from the project's static folders, never over the network.
    from weasyprint import default_url_fetcher

    if url.startswith("static:"):
        path = finders.find(url.removeprefix("static:"))
        if path:
            return {"file_obj": open(path, "rb"), "filename": path}  # noqa: SIM115 - weasyprint closes it
        raise ValueError(f"missing static file {url}")
    if url.startswith("data:"):
        return default_url_fetcher(url)
    raise ValueError(f"PDFs load nothing from outside the project: {url}")


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported lazily: ~1 s on first import

    html = unicodedata.normalize("NFC", render_to_string(template_name, context))
    return HTML(string=html, url_fetcher=_fetch_static, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(template_name: str, context: dict, filename: str, inline=True) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename=\"{filename}\""
    response["X-Content-Type-Options"] = "nosniff"
    return response
