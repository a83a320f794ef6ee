"""The client's address as the portal sees it behind its proxy, for login throttling and the audit trail.

Behind nginx every request comes from 127.0.0.1; the address of the person is in the header the proxy
sets (`CLIENT_IP_HEADER`, e.g. X-Forwarded-For). Only the entry our own proxies appended is trusted: a
client can put anything in the header, and it lands to the left of what our `TRUSTED_PROXY_COUNT` proxies
add."""

import ipaddress
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

_current = ContextVar("client_address", default=None)


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def address(request) -> str | None:
    """The client's IP address, or None when none can be told."""
    header = settings.CLIENT_IP_HEADER
    if header:
        values = [v.strip() for v in request.META.get(header, "").split(",") if v.strip()]
        count = settings.TRUSTED_PROXY_COUNT
        if len(values) >= count:
            found = _valid(values[-count])
            if found:
                return found
    return _valid(request.META.get("REMOTE_ADDR", ""))


def current_address() -> str | None:
    """The address of the request being served (None in commands and tests without a request)."""
    return _current.get()


class ClientAddressMiddleware:
    """Makes the request's address available to `audit.record` (services never take `request`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_address = address(request)
        token = _current.set(request.client_address)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def within_limit(request, name: str, allowed: int, window_seconds: int) -> bool:
    """Count one use of the public page `name` by this client (the address behind our proxies); False once
    `allowed` uses in `window_seconds` are spent. Counted in the shared cache, so every worker agrees."""
    key = f"limit:{name}:{address(request) or ''}"
    if cache.add(key, 1, window_seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return True
    return count <= allowed
