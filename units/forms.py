from django import forms
from django.core.exceptions import ValidationError

from ansinh.forms import SafeInput, thousands
from ansinh.text import clean, fold
from ansinh.uploads import file_name_problem
from units.models import ADMINISTRATIVE_CATEGORIES, Category, Unit, UnitKind

# Realistic ceilings: the largest residential areas count a few thousand households and the largest employers
# of a province some tens of thousands of staff. A larger number is a typing slip, and one that a 32-bit
# column on PostgreSQL (but not SQLite) would refuse anyway.
MAX_HOUSEHOLDS = 20_000
MAX_STAFF = 200_000


def size_limit(kind) -> int:
    return MAX_HOUSEHOLDS if kind.counts_households else MAX_STAFF


def size_limit_message(kind) -> str:
    what = "một khu dân cư" if kind.counts_households else "một cơ quan, doanh nghiệp, trường học"
    return f"{kind.size_label} không được vượt quá {thousands(size_limit(kind))} ({what} không lớn đến vậy)."


def allowed_child_kinds(parent):
    """A commune holds villages, agencies, companies, schools; a province or district also holds communes."""
    if parent is not None and not parent.kind.is_administrative:
        return UnitKind.objects.none()
    kinds = UnitKind.objects.exclude(category=Category.PROVINCE)
    if parent is not None and parent.kind.category == Category.COMMUNE:
        kinds = kinds.exclude(category__in=ADMINISTRATIVE_CATEGORIES)
    return kinds


class UnitForm(SafeInput, forms.ModelForm):
    size = forms.IntegerField(
        label="Số hộ gia đình / số cán bộ, nhân viên",
        required=False,
        min_value=0,
        error_messages={"min_value": "Số lượng không được âm.", "invalid": "Vui lòng nhập một số nguyên."},
        help_text="Khu dân cư: số hộ gia đình cư trú. Cơ quan, doanh nghiệp, trường học: số cán bộ, nhân viên.",
    )

    class Meta:
        model = Unit
        fields = [
            "name",
            "kind",
            "code",
            "has_party_org",
            "head_name",
            "phone",
            "address",
            "out_of_scope",
            "out_of_scope_note",
        ]
        error_messages = {"name": {"required": "Vui lòng nhập tên đơn vị."}, "kind": {"required": "Chọn loại đơn vị."}}

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent if parent is not None else self.instance.parent
        self.fields["kind"].queryset = allowed_child_kinds(self.parent)
        self.fields["size"].initial = self.instance.size if self.instance.pk else None
        self.order_fields(["name", "kind", "size"])

    def clean_name(self):
        name = clean(self.cleaned_data["name"])
        # The folded search copy may be longer than the name ("ß" → "ss", "ﬃ" → "ffi").
        folded, folded_max = fold(name), Unit._meta.get_field("search_name").max_length
        if len(folded) > folded_max:
            raise ValidationError(
                f"Tên đơn vị quá dài: khi bỏ dấu để tìm kiếm, tên thành {len(folded)} ký tự (tối đa {folded_max}). "
                "Vui lòng rút gọn tên."
            )
        # Compared in Python: SQLite's case-insensitive match folds only ASCII letters.
        siblings = Unit.objects.filter(parent=self.parent).exclude(pk=self.instance.pk).values_list("name", flat=True)
        if name.casefold() in {s.casefold() for s in siblings}:
            raise ValidationError(f"Đã có đơn vị «{name}» trong {self.parent}.")
        return name

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        size = cleaned.get("size")
        if kind and "size" not in self.errors:
            if size is None and not kind.is_administrative:
                self.add_error("size", f"Vui lòng nhập {kind.size_label.lower()}.")
            elif size is not None and size > size_limit(kind):
                self.add_error("size", size_limit_message(kind))
        if cleaned.get("out_of_scope_note") and not cleaned.get("out_of_scope"):
            self.add_error("out_of_scope", "Chọn lý do không thuộc diện, hoặc bỏ trống phần ghi chú.")
        return cleaned

    def save(self, commit=True):
        unit = super().save(commit=False)
        unit.parent = self.parent
        unit.size = self.cleaned_data.get("size")
        if commit:
            unit.save()
        return unit


class ImportUploadForm(SafeInput, forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        help_text="Dùng đúng tệp mẫu tải về ở trên. Tối đa 2 MB.",
        error_messages={"required": "Vui lòng chọn tệp Excel."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError("Tệp quá lớn (tối đa 2 MB).")
        problem = file_name_problem(upload.name)
        if problem:
            raise ValidationError(problem)
        return upload
