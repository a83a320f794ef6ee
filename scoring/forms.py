"""The score entry form (one field per item, built from the template) and the list filters."""

from django import forms

from ansinh.forms import SafeInput
from scoring.classification import BANDS, format_points
from scoring.services import point_error


class ScoreForm(SafeInput, forms.Form):
    """One field per template item. Points are typed with a comma or a dot, in steps of 0.5."""

    def __init__(self, *args, items, initial_points=None, compare_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        # The reviewer sees the unit's own score beside each field.
        self.compare_points = compare_points or {}
        initial_points = initial_points or {}
        for item in items:
            self.fields[self.field_name(item)] = forms.CharField(
                label=f"{item.number}. {item.text}",
                required=False,
                max_length=10,
                initial=format_points(initial_points[item.pk]).replace(",", ".") if item.pk in initial_points else "",
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "data-max": str(item.max_points),
                        "autocomplete": "off",
                        "aria-label": f"Điểm mục {item.number} (tối đa {format_points(item.max_points)})",
                        **(
                            {"data-compare": str(self.compare_points[item.pk])}
                            if self.compare_points.get(item.pk) is not None
                            else {}
                        ),
                    }
                ),
            )

    @staticmethod
    def field_name(item):
        return f"item_{item.pk}"

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            name = self.field_name(item)
            message = point_error(item, cleaned.get(name))
            if message:
                self.add_error(name, message)
        return cleaned

    def points(self):
        return {item.pk: self.cleaned_data[self.field_name(item)] for item in self.items}

    def rows(self):
        """(group, item, bound field, compared points) in template order, the group on its first item only."""
        last = None
        for item in self.items:
            group = item.group if item.group != last else None
            yield group, item, self[self.field_name(item)], self.compare_points.get(item.pk)
            last = item.group


class ListFilterForm(SafeInput, forms.Form):
    year = forms.TypedChoiceField(label="Năm", coerce=int, required=False)
    commune = forms.TypedChoiceField(label="Xã / phường", coerce=int, required=False, empty_value=None)
    band = forms.ChoiceField(
        label="Xếp loại",
        required=False,
        choices=[("", "Tất cả"), *((b.code, b.label) for b in BANDS), ("unscored", "Chưa có điểm thẩm định")],
    )

    def __init__(self, *args, years, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["commune"].choices = [("", "Tất cả")] + [(c.pk, c.name) for c in communes]
        if len(communes) <= 1:
            del self.fields["commune"]
