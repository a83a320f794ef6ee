"""Forms for registering a unit (online or from paper), attaching documents, returning, and deadlines.
The status never appears here: only registrations.workflow moves it."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from ansinh.forms import SafeInput, SafeModelForm
from ansinh.uploads import validate_upload
from ansinh.widgets import DateInput
from registrations.models import Deadline, DocumentType, InternalRule, MovementModel, Registration
from registrations.requirements import document_label, party_body, required_documents
from units.forms import size_limit, size_limit_message

# What the phone's picker offers; the content is checked again on the server.
ACCEPT = "image/*,application/pdf,.pdf,.doc,.docx,.xls,.xlsx,.heic"
DATE_INPUT = DateInput()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (photos of each signed page), each checked by content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        errors = []
        for f in cleaned:
            try:
                validate_upload(f)
            except forms.ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def document_fields(unit):
    """(field name, document type, label) for every document the unit may attach, required ones first."""
    types = [*required_documents(unit), DocumentType.OTHER]
    return [(f"doc_{t}", t, document_label(unit, t)) for t in types]


class RegistrationFieldsMixin:
    """What the online and the paper form share: the counts, labelled for the unit's kind and checked
    against each other, and the values they hand on (the internal rules come from RulesMixin)."""

    def setup_unit_fields(self, unit):
        self.unit = unit
        _unit_size_labels(self, unit)
        for name in ("base_count", "committed_count"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})

    def clean(self):
        return _checked_counts(self, super().clean())

    def registration_values(self) -> dict:
        """The Registration fields this form shows, cleaned, for the registration services."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}


class RulesMixin:
    """One tick box per internal rule the unit's kind must have (rows of InternalRule)."""

    def add_rule_fields(self, unit):
        self.rules = list(InternalRule.objects.for_kind(unit.kind_id)) if unit.kind.requires_internal_rules else []
        held = set(self.instance.internal_rules.values_list("pk", flat=True)) if self.instance.pk else set()
        for rule in self.rules:
            self.fields[f"rule_{rule.pk}"] = forms.BooleanField(
                label=rule.name[:1].upper() + rule.name[1:], required=False, initial=rule.pk in held
            )

    def rule_bound_fields(self):
        return [self[f"rule_{rule.pk}"] for rule in self.rules]

    def chosen_rules(self):
        return [rule for rule in self.rules if self.cleaned_data.get(f"rule_{rule.pk}")]


class DocumentsMixin:
    """Adds one multi-file field per document type of the unit; `uploads()` yields (type, files)."""

    def add_document_fields(self, unit):
        self.document_fields = document_fields(unit)
        for name, _, label in self.document_fields:
            self.fields[name] = MultipleFileField(label=label)

    def document_bound_fields(self):
        return [self[name] for name, _, _ in self.document_fields]

    def uploads(self):
        for name, doc_type, _ in self.document_fields:
            if self.cleaned_data.get(name):
                yield doc_type, self.cleaned_data[name]


def _checked_counts(form, data):
    base, committed = data.get("base_count"), data.get("committed_count")
    if base is not None and committed is not None and committed > base:
        form.add_error("committed_count", "Số đã đăng ký không được lớn hơn tổng số.")
    return data


def _unit_size_labels(form, unit):
    form.fields["base_count"].help_text = form.fields["committed_count"].help_text = ""
    limit = size_limit(unit.kind)
    for name in ("base_count", "committed_count"):
        field = form.fields[name]
        field.max_value = limit
        field.validators = [v for v in field.validators if not isinstance(v, MaxValueValidator)]
        field.validators.append(MaxValueValidator(limit, message=size_limit_message(unit.kind)))
    if unit.kind.counts_households:
        form.fields["base_count"].label = "Số hộ gia đình cư trú"
        form.fields["committed_count"].label = "Số hộ đã đăng ký tham gia"
    else:
        form.fields["base_count"].label = "Số cán bộ, nhân viên"
        form.fields["committed_count"].label = "Số người đã được phổ biến và ký cam kết"


class RegistrationForm(SafeInput, RegistrationFieldsMixin, RulesMixin, DocumentsMixin, forms.ModelForm):
    """The unit head's (or the clerk's) registration, with documents attached in the same step."""

    class Meta:
        model = Registration
        fields = ["base_count", "committed_count", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_unit_fields(unit)
        if not self.instance.pk and unit.size:
            self.initial.setdefault("base_count", unit.size)
            self.initial.setdefault("committed_count", unit.size)
        self.add_rule_fields(unit)
        self.add_document_fields(unit)


MovementModelFormSet = forms.inlineformset_factory(
    Registration,
    MovementModel,
    form=SafeModelForm,
    fields=["name", "since"],
    extra=1,
    can_delete=True,
    widgets={"since": DATE_INPUT},
    labels={"name": "Tên mô hình", "since": "Hoạt động từ ngày"},
)


class PaperEntryForm(SafeInput, RegistrationFieldsMixin, RulesMixin, forms.ModelForm):
    """The clerk types in a signed paper registration: everything on one screen, Enter saves."""

    movement_model = forms.CharField(
        label="Mô hình tự phòng, tự quản", max_length=255, required=False, help_text="Tên mô hình đang hoạt động."
    )
    accept_now = forms.BooleanField(label="Tiếp nhận ngay", required=False, initial=True)

    class Meta:
        model = Registration
        fields = [
            "registered_on",
            "base_count",
            "committed_count",
            "paper_party_resolution",
            "paper_security_plan",
            "note",
        ]
        widgets = {"registered_on": DATE_INPUT, "note": forms.TextInput()}
        labels = {"registered_on": "Ngày nhận bản đăng ký"}

    def __init__(self, *args, unit, year, can_accept, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_unit_fields(unit)
        self.year = year
        self.fields["registered_on"].initial = timezone.localdate()
        deadline = year.deadline_for(unit)
        if deadline is not None:
            self.fields[
                "registered_on"
            ].help_text = (
                f"Hạn đăng ký {deadline.registration_due:%d/%m/%Y}: bản giấy nhận sau ngày này bị ghi nhận muộn."
            )
        self.fields["registered_on"].widget.attrs["autofocus"] = True
        self.fields["base_count"].initial = unit.size
        self.fields["committed_count"].initial = unit.size
        self.fields["paper_party_resolution"].label = f"Đã nhận nghị quyết của {party_body(unit)} (bản giấy)"
        self.fields["paper_security_plan"].label = "Đã nhận kế hoạch bảo đảm an ninh, trật tự (bản giấy)"
        if not unit.has_party_org:
            del self.fields["paper_party_resolution"]
        if not unit.kind.requires_security_plan:
            del self.fields["paper_security_plan"]
        if not unit.kind.requires_movement_model:
            del self.fields["movement_model"]
        self.add_rule_fields(unit)
        if not can_accept:
            del self.fields["accept_now"]

    def clean_registered_on(self):
        return check_registration_day(self.cleaned_data["registered_on"], self.year)


# PositiveIntegerField holds up to 2^31 - 1 on every database; no unit comes near a million.
COUNT_MAX = 1_000_000
# The upper limit's message is the unit kind's own (size_limit_message, set by _unit_size_labels).
COUNT_ERRORS = {"min_value": "Số không được nhỏ hơn %(limit_value)s."}


def check_registration_day(day, year):
    """A mistyped year (0001, 2062) would count as on time or skew the board; paper for year N arrives
    from the previous year's evaluation period onwards and never in the future."""
    earliest = datetime.date(year.number - 1, 1, 1)
    if day > timezone.localdate():
        raise forms.ValidationError("Ngày nhận không được sau hôm nay.")
    if day < earliest:
        raise forms.ValidationError(
            f"Ngày nhận không được trước ngày {earliest:%d/%m/%Y} (năm đánh giá {year.number})."
        )
    return day


class CorrectionForm(SafeInput, forms.Form):
    """The clerk corrects a filed registration's date and counts, with a reason and a proof."""

    registered_on = forms.DateField(
        label="Ngày đăng ký (ngày nhận bản đăng ký)",
        widget=DATE_INPUT,
        help_text="Ví dụ: ngày bản giấy đến xã, nếu bản giấy đến trước bản nộp trực tuyến.",
    )
    base_count = forms.IntegerField(min_value=0, max_value=COUNT_MAX, error_messages=COUNT_ERRORS)
    committed_count = forms.IntegerField(min_value=0, max_value=COUNT_MAX, error_messages=COUNT_ERRORS)
    reason = forms.CharField(label="Lý do điều chỉnh", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    proof = forms.FileField(
        label="Căn cứ điều chỉnh",
        help_text="Ảnh chụp hoặc bản scan bản giấy có ngày nhận, văn bản xác nhận… (PDF, ảnh, Word).",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, registration, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "registered_on": registration.registered_on,
                "base_count": registration.base_count,
                "committed_count": registration.committed_count,
            },
        )
        super().__init__(*args, **kwargs)
        self.registration = registration
        _unit_size_labels(self, registration.unit)

    def clean_registered_on(self):
        return check_registration_day(self.cleaned_data["registered_on"], self.registration.year)

    def clean(self):
        return _checked_counts(self, super().clean())

    def clean_proof(self):
        upload = self.cleaned_data["proof"]
        validate_upload(upload)
        return upload


class UploadForm(SafeInput, forms.Form):
    """Attach more documents to an existing registration (a scan, a missing plan)."""

    doc_type = forms.ChoiceField(label="Loại tài liệu")
    files = MultipleFileField(label="Tệp", required=True)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].choices = [(t, label) for _, t, label in document_fields(unit)]


class ReturnForm(SafeInput, forms.Form):
    reason = forms.CharField(
        label="Lý do trả lại",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Đơn vị sẽ thấy lý do này và bổ sung theo.",
    )


DEADLINE_FIELDS = [
    "registration_due",
    "registration_compiled_due",
    "period_start",
    "period_end",
    "dossier_due",
    "results_compiled_due",
    "review_due",
    "recognition_due",
    "classification_due",
]
# Edit only: the rows come from open_year, so a raised form count in the POST must not create any.
DeadlineFormSet = forms.modelformset_factory(
    Deadline,
    form=SafeModelForm,
    fields=DEADLINE_FIELDS,
    extra=0,
    edit_only=True,
    widgets={name: DateInput(attrs={"class": "form-control form-control-sm"}) for name in DEADLINE_FIELDS},
)
