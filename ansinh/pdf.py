"""The one HTML → PDF helper. Every printed document goes through `render_pdf`.

Batches (many certificates, many units) must be one template with page breaks: font subsetting and
PDF writing are paid once per document (see shared PERF-NOTES).
"""

import gc
import io
import unicodedata
from contextlib import contextmanager
from urllib.parse import quote, unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def qr_png(text: str) -> bytes:
    """A QR code as a PNG of one pixel per module; the page scales it (CSS `image-rendering: pixelated`).

    PNG, because WeasyPrint parses and paints an SVG path in Python on every page. Encoded by zxing-cpp
    (C++, ~0.3 ms) rather than segno (pure Python, ~2 ms: a tenth of a certificate page). Eight-bit grey,
    because WeasyPrint converts a one-bit image to RGB and encodes it again."""
    import zxingcpp
    from PIL import Image

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = code.to_image(scale=1, add_quiet_zones=False)
    height, width = modules.shape
    out = io.BytesIO()
    Image.frombytes("L", (width, height), bytes(memoryview(modules))).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def qr_src(text: str) -> str:
    """The `src` of an <img> showing `text` as a QR code in a PDF (drawn when the page is rendered, so the
    HTML stays short: a data: address per page costs the HTML parser more than the code itself)."""
    return "qr:" + quote(text, safe="")


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
            if url.startswith("qr:"):
                return URLFetcherResponse(url, io.BytesIO(qr_png(unquote(url.removeprefix("qr:")))), {}, 200)
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"PDFs load nothing from outside the project: {url}")

    # A missing font must stop the render rather than fall back to a font without Vietnamese glyphs.
    return ProjectFetcher(fail_on_errors=True)


@contextmanager
def _without_cycle_collection():
    """WeasyPrint allocates millions of small objects for a long document and Python's cyclic collector
    walks them again and again: ~30% of a 500-certificate batch (bench/printing.py). Reference counting
    still frees what it can meanwhile; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _document(template_name: str, context: dict, font_config=None):
    from weasyprint import HTML  # imported lazily: ~1 s on first import

    html = unicodedata.normalize("NFC", render_to_string(template_name, context))
    return HTML(string=html, url_fetcher=_fetcher(), base_url=str(settings.BASE_DIR)).render(font_config=font_config)


def render_pdf(template_name: str, context: dict) -> bytes:
    with _without_cycle_collection():
        return _document(template_name, context).write_pdf()


def render_pdf_in_parts(template_name: str, contexts, on_part=None) -> bytes:
    """One PDF from consecutive parts of one long document (e.g. 100 certificates each), for progress bars.

    Each part is laid out as one HTML document with page breaks; the pages of all parts are written once,
    so fonts are loaded and subset once, as for a single document. `on_part(n)` runs after part n."""
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    first, pages = None, []
    for n, context in enumerate(contexts, start=1):
        with _without_cycle_collection():
            document = _document(template_name, context, font_config)
        first = first or document
        pages.extend(document.pages)
        if on_part:
            on_part(n)
    with _without_cycle_collection():
        return first.copy(pages).write_pdf()


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
