"""Pages of a year the province has not opened yet say so, with the button for whoever may open it."""

from django.shortcuts import render

from registrations.services import YearNotOpen, province_of


class YearNotOpenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, YearNotOpen):
            return None
        province = province_of(exception.unit)
        context = {
            "unit": exception.unit,
            "province": province,
            "number": exception.number,
            "can_open": request.user.has_perm("registrations.edit_deadlines", province),
        }
        return render(request, "registrations/year_not_open.html", context)
