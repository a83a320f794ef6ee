"""The public lookup (tra cứu hồ sơ): anyone with a receipt code sees where the registration or dossier
stands. A GET that only reads, limited per client address through the cache."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ansinh import client, receipts

TOO_MANY = "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {minutes} phút."
NOT_FOUND = "Không tìm thấy hồ sơ nào có mã biên nhận này. Vui lòng kiểm tra lại mã in trên giấy biên nhận."


@never_cache
def lookup(request):
    typed = request.GET.get("ma", "").strip()[:60]
    context = {"typed": typed, "status": None, "error": ""}
    if not typed:
        return render(request, "ansinh/lookup.html", context)
    if not client.within_limit(
        request, "public-lookup", settings.PUBLIC_LOOKUP_MAX, settings.PUBLIC_LOOKUP_WINDOW_SECONDS
    ):
        context["error"] = TOO_MANY.format(minutes=max(1, settings.PUBLIC_LOOKUP_WINDOW_SECONDS // 60))
        return render(request, "ansinh/lookup.html", context, status=429)
    code = receipts.normalise(typed)
    context["status"] = receipts.public_status(code) if code else None
    if context["status"] is None:
        context["error"] = NOT_FOUND
        return render(request, "ansinh/lookup.html", context, status=404)
    return render(request, "ansinh/lookup.html", context)
