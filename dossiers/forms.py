"""Forms of the dossier pages; they validate and speak Vietnamese, the status never appears here."""

import datetime

from django import forms
from django.utils import timezone

from ansinh.forms import SafeInput, SafeModelForm
from ansinh.uploads import validate_upload
from ansinh.widgets import DateInput
from dossiers.models import (
    Attendee,
    Capacity,
    Dossier,
    DossierDocument,
    Incident,
    MeetingMinutes,
    Outcome,
)

DATE_WIDGET = DateInput()
# A review meeting of a village or a commune's units; no meeting comes near this.
MEMBERS_MAX = 10_000


class DossierCreateForm(SafeInput, forms.Form):
    unit = forms.ModelChoiceField(
        label="Đơn vị",
        queryset=None,
        empty_label="— Chọn đơn vị có bản đăng ký đã tiếp nhận —",
        error_messages={
            "invalid_choice": "Đơn vị này không lập được hồ sơ (chưa được tiếp nhận đăng ký hoặc đã có hồ sơ)."
        },
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class DocumentForm(SafeInput, forms.ModelForm):
    class Meta:
        model = DossierDocument
        fields = ["doc_type", "file"]
        labels = {"file": "Tệp (PDF, ảnh, Word, Excel)"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload)
        return upload


class MinutesForm(SafeInput, forms.ModelForm):
    members_present = forms.IntegerField(
        label="Số thành viên dự họp",
        min_value=1,
        max_value=MEMBERS_MAX,
        error_messages={
            "required": "Ghi số thành viên dự họp.",
            "min_value": "Cuộc họp phải có ít nhất %(limit_value)s thành viên dự.",
            "max_value": "Số thành viên không được lớn hơn %(limit_value)s.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    members_agreeing = forms.IntegerField(
        label="Số thành viên nhất trí",
        min_value=0,
        max_value=MEMBERS_MAX,
        help_text="Biên bản ghi: «… /… thành viên nhất trí».",
        error_messages={
            "required": "Ghi số thành viên nhất trí.",
            "min_value": "Số thành viên không được nhỏ hơn %(limit_value)s.",
            "max_value": "Số thành viên không được lớn hơn %(limit_value)s.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    scan = forms.FileField(
        label="Bản scan / ảnh chụp biên bản",
        required=False,
        help_text="Có thể chụp bằng điện thoại. Tệp được lưu vào hồ sơ với loại «Biên bản cuộc họp».",
    )

    class Meta:
        model = MeetingMinutes
        fields = ["met_on", "chaired_by", "conclusion", "members_present", "members_agreeing"]
        widgets = {"met_on": DATE_WIDGET, "conclusion": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"chaired_by": {"required": "Ghi họ tên người chủ trì cuộc họp."}}

    def clean(self):
        data = super().clean()
        present, agreeing = data.get("members_present"), data.get("members_agreeing")
        if present is not None and agreeing is not None and agreeing > present:
            self.add_error("members_agreeing", "Số thành viên nhất trí không được lớn hơn số thành viên dự họp.")
        return data

    def clean_met_on(self):
        met_on = self.cleaned_data["met_on"]
        if met_on > timezone.localdate():
            raise forms.ValidationError("Ngày họp không được sau ngày hôm nay.")
        return met_on

    def clean_scan(self):
        upload = self.cleaned_data.get("scan")
        if upload:
            validate_upload(upload)
        return upload


class BaseAttendeeFormSet(forms.BaseInlineFormSet):
    """Minutes name at least one attendee besides the chair (TT124: the meeting's members sign them)."""

    def clean(self):
        super().clean()
        named = [
            f
            for f in self.forms
            if f.is_valid() and f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE", False)
        ]
        if not named:
            raise forms.ValidationError("Ghi ít nhất một thành phần tham dự cuộc họp (họ tên và tư cách).")


AttendeeFormSet = forms.inlineformset_factory(
    MeetingMinutes,
    Attendee,
    form=SafeModelForm,
    formset=BaseAttendeeFormSet,
    fields=["name", "capacity"],
    extra=4,
    can_delete=True,
    labels={"name": "Họ và tên", "capacity": "Tư cách"},
)


class RequestForm(SafeInput, forms.Form):
    """The unit's tờ trình (number and date), quoted by the decision."""

    request_number = forms.CharField(
        label="Tờ trình số", max_length=Dossier._meta.get_field("request_number").max_length, required=False
    )
    request_date = forms.DateField(
        label="ngày", required=False, widget=DateInput(attrs={"class": "form-control form-control-sm"})
    )

    def clean_request_date(self):
        day = self.cleaned_data["request_date"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("Ngày tờ trình không được sau ngày hôm nay.")
        return day

    def clean(self):
        data = super().clean()
        if data.get("request_date") and not data.get("request_number"):
            self.add_error("request_number", "Ghi số tờ trình.")
        return data


class CommentForm(SafeInput, forms.Form):
    body = forms.CharField(label="Ý kiến", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CriteriaForm(SafeInput, forms.Form):
    """One «Đạt / Không đạt» choice and a note per judgement item of a checklist."""

    CHOICES = [(Outcome.PASS, "Đạt"), (Outcome.FAIL, "Không đạt")]

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = [i for i in items if not i.criterion.is_automatic]
        for item in self.items:
            pk = item.criterion.pk
            stored = item.stored
            self.fields[f"outcome_{pk}"] = forms.ChoiceField(
                label=f"{item.criterion.reference}: {item.criterion.text}",
                choices=self.CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=stored.outcome if stored and stored.confirmed_by_id else None,
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                label="Ghi chú", required=False, max_length=1000, initial=stored.note if stored else ""
            )

    def clean(self):
        data = super().clean()
        for item in self.items:
            pk = item.criterion.pk
            if data.get(f"outcome_{pk}") == Outcome.FAIL and not (data.get(f"note_{pk}") or "").strip():
                self.add_error(f"note_{pk}", "Ghi rõ lý do khi đánh giá tiêu chí không đạt.")
        return data

    def rows(self, items):
        """Each checklist item with its «Đạt / Không đạt» and note fields (None for automatic items)."""
        fields = {
            i.criterion.pk: (self[f"outcome_{i.criterion.pk}"], self[f"note_{i.criterion.pk}"]) for i in self.items
        }
        return [(item, *fields.get(item.criterion.pk, (None, None))) for item in items]

    def answers(self):
        return {
            item.criterion.pk: (
                self.cleaned_data[f"outcome_{item.criterion.pk}"],
                self.cleaned_data[f"note_{item.criterion.pk}"],
            )
            for item in self.items
            if self.cleaned_data.get(f"outcome_{item.criterion.pk}")
        }


class IncidentForm(SafeInput, forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["unit", "occurred_on", "kind", "description", "disqualifying"]
        widgets = {"occurred_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Ngày xảy ra không được sau ngày hôm nay.")
        return day


class DecisionForm(SafeInput, forms.Form):
    dossiers = forms.ModelMultipleChoiceField(
        label="Các hồ sơ được công nhận",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Chọn ít nhất một hồ sơ đã được đề nghị công nhận.",
            "invalid_choice": "Có hồ sơ không còn ở trạng thái «Đề nghị công nhận». Vui lòng tải lại trang.",
        },
    )
    issued_on = forms.DateField(label="Ngày ban hành", widget=DATE_WIDGET)
    symbol = forms.CharField(label="Ký hiệu", max_length=30)
    capacity = forms.ChoiceField(label="Thẩm quyền ký", choices=Capacity.choices)
    signer_name = forms.CharField(label="Họ tên người ký", max_length=120)
    request_number = forms.CharField(
        label="Xét Tờ trình số",
        max_length=40,
        required=False,
        help_text="Để trống: lấy số tờ trình ghi trên từng hồ sơ; không có thì bỏ dòng «Xét Tờ trình…».",
    )
    request_date = forms.DateField(label="Ngày tờ trình", required=False, widget=DATE_WIDGET)
    request_from = forms.CharField(label="Của (cơ quan trình)", max_length=200, required=False)
    # The number shown on the preview; issuing refuses if another decision took it meanwhile.
    number = forms.IntegerField(required=False, min_value=1, max_value=99_999, widget=forms.HiddenInput)

    DECISION_FIELDS = ("signer_name", "capacity", "symbol", "request_number", "request_date", "request_from")

    def __init__(self, *args, dossiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].queryset = dossiers
        self.fields["dossiers"].label_from_instance = lambda d: d.unit.name

    def decision_values(self) -> dict:
        """The Decision's own fields, for services.preview_decision / issue_decision."""
        return {name: self.cleaned_data[name] for name in self.DECISION_FIELDS}

    def clean(self):
        data = super().clean()
        if data.get("request_number") and not data.get("request_date"):
            self.add_error("request_date", "Ghi ngày của tờ trình.")
        if data.get("request_date") and not data.get("request_number"):
            self.add_error("request_number", "Ghi số tờ trình.")
        if data.get("request_number") and not data.get("request_from"):
            self.add_error("request_from", "Ghi cơ quan trình tờ trình.")
        return data

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Ngày ban hành không được sau ngày hôm nay.")
        # A unit is recognised for a year only once that year has begun; earlier dates are typing slips.
        years = [d.year.number for d in self.cleaned_data.get("dossiers") or ()]
        if years and day < datetime.date(min(years), 1, 1):
            raise forms.ValidationError(
                f"Ngày ban hành phải từ ngày 01/01/{min(years)} (năm đánh giá) đến ngày hôm nay."
            )
        return day
