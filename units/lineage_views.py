"""Recording a merger or a split by hand (from the unit page); the history itself is on the unit page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from ansinh import access
from ansinh.errors import Refused
from ansinh.forms import SafeInput
from ansinh.widgets import DateInput
from units import lineage
from units.models import LineageKind, Unit

DIRECTIONS = [
    (LineageKind.MERGED, "Đơn vị dưới đây đã sáp nhập vào đơn vị này"),
    (LineageKind.SPLIT, "Đơn vị này được chia tách ra từ đơn vị dưới đây"),
]


class LineageForm(SafeInput, forms.Form):
    kind = forms.ChoiceField(label="Hình thức", choices=DIRECTIONS)
    other = forms.ModelChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        help_text="Các đơn vị cùng đơn vị quản lý, kể cả đã ngừng theo dõi.",
    )
    effective_on = forms.DateField(label="Có hiệu lực từ ngày", widget=DateInput(), input_formats=["%d/%m/%Y"])
    note = forms.CharField(
        label="Căn cứ, ghi chú", max_length=255, required=False, help_text="Ví dụ: Nghị quyết số …/NQ-HĐND ngày …"
    )

    def __init__(self, *args, unit, user, **kwargs):
        super().__init__(*args, **kwargs)
        siblings = Unit.objects.filter(parent_id=unit.parent_id).exclude(pk=unit.pk).order_by("name")
        self.fields["other"].queryset = access.scope(siblings, user, unit_field="")


def form_for(unit, user):
    """The form the unit page shows, or None for someone who may not record links for this unit."""
    return LineageForm(unit=unit, user=user) if user.has_perm("units.record_lineage", unit) else None


@login_required
def record_lineage(request, public_id):
    unit = access.get_visible_or_404(
        Unit.objects.select_related("kind", "parent"), request.user, unit_field="", public_id=public_id
    )
    if not request.user.has_perm("units.record_lineage", unit):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    form = LineageForm(request.POST or None, unit=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("units.record_lineage", data["other"]):
            raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
        try:
            lineage.record(
                predecessor=data["other"],
                successor=unit,
                kind=data["kind"],
                effective_on=data["effective_on"],
                note=data["note"],
                user=request.user,
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Đã ghi nhận: {data['other']} – {unit} từ ngày {data['effective_on']:%d/%m/%Y}.")
            return redirect("units:detail", unit.public_id)
    return render(request, "units/lineage_form.html", {"unit": unit, "form": form})
