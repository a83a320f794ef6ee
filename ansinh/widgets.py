"""Form widgets shared by the apps."""

from django import forms


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy whatever the browser's language.

    A native date picker shows mm/dd/yyyy on the many office PCs set to US English, which clerks misread;
    typing "13/02/2026" is also faster when entering a pile of paper forms."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}",
            "title": "Ngày theo dạng ngày/tháng/năm, ví dụ 13/02/2026",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")
