"""The public lookup (tra cứu hồ sơ): anyone with a receipt code sees where the registration or dossier
stands. A GET that only reads, limited per client address through the cache."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ansinh import receipts

TOO_MANY = "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {minutes} phút."
NOT_FOUND = "Không tìm thấy hồ sơ nào có mã biên nhận này. Vui lòng kiểm tra lại mã in trên giấy biên nhận."


def _within_limit(address: str) -> bool:
    """Count this lookup for the address; False once the window's allowance is used up."""
    key = f"public-lookup:{address}"
    if cache.add(key, 1, settings.PUBLIC_LOOKUP_WINDOW_SECONDS):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.PUBLIC_LOOKUP_WINDOW_SECONDS)
        return True
    return count <= settings.PUBLIC_LOOKUP_MAX


@never_cache
def lookup(request):
    typed = request.GET.get("ma", "").strip()[:60]
    context = {"typed": typed, "status": None, "error": ""}
    if not typed:
        return render(request, "ansinh/lookup.html", context)
    if not _within_limit(request.META.get("REMOTE_ADDR", "")):
        context["error"] = TOO_MANY.format(minutes=max(1, settings.PUBLIC_LOOKUP_WINDOW_SECONDS // 60))
        return render(request, "ansinh/lookup.html", context, status=429)
    code = receipts.normalise(typed)
    context["status"] = receipts.public_status(code) if code else None
    if context["status"] is None:
        context["error"] = NOT_FOUND
        return render(request, "ansinh/lookup.html", context, status=404)
    return render(request, "ansinh/lookup.html", context)
