"""Every HTML page carries a Content-Security-Policy without 'unsafe-inline', and no template relies on an
inline script, style or event handler that the policy would block."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_html_pages_carry_a_content_security_policy(client, clerk, kon_gang):
    policies = {reverse("login"): client.get(reverse("login"))["Content-Security-Policy"]}
    client.force_login(clerk)
    for url in (reverse("home"), reverse("units:detail", args=[kon_gang.public_id])):
        policies[url] = client.get(url)["Content-Security-Policy"]
    for url, policy in policies.items():
        assert "default-src 'self'" in policy, url
        assert "unsafe-inline" not in policy, url
        assert "frame-ancestors 'none'" in policy, url


def test_no_html_template_has_inline_scripts_styles_or_handlers():
    # PDF templates are rendered by WeasyPrint on the server, never served as pages.
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "pdf" not in path.relative_to(TEMPLATES).parts
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []
