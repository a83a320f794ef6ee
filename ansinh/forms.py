"""Input the database would refuse is refused by the form, with a Vietnamese message.

Every form of the portal mixes in `SafeInput`: text is NFC-normalised before its length is checked (so
the checked value is the stored one), control characters are refused (PostgreSQL rejects NUL; the others
are invisible on screen and in printed documents, and bidirectional overrides disguise file names), and
integers stay inside what a 32-bit column holds. Text that arrives without a form (a reason posted with a
button) goes through `clean_reason`."""

import functools
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, ProhibitNullCharactersValidator

from ansinh.errors import Refused

# PostgreSQL's integer column; SQLite would store far more and PostgreSQL refuse it with a 500.
INTEGER_MAX = 2_147_483_647
REASON_MAX_LENGTH = 2000
LINE_BREAKS = {"\t", "\n", "\r"}
# Bidirectional overrides and isolates reorder what is shown ("tep\u202efdp.exe" reads as "tepexe.pdf").
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def forbidden_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The characters of `text` no field stores: control characters (tab and line breaks are allowed in
    multi-line text), bidirectional overrides and lone surrogates."""
    allowed = LINE_BREAKS if multiline else set()
    return [c for c in text if (unicodedata.category(c) in ("Cc", "Cs") and c not in allowed) or c in BIDI_CONTROLS]


def describe(characters) -> str:
    return ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in characters))


def text_problem(text: str, *, max_length: int | None = None, multiline: bool = False) -> str:
    """A Vietnamese sentence saying why `text` cannot be stored, or "" (length counted after NFC)."""
    bad = forbidden_characters(text, multiline=multiline)
    if bad:
        return f"Có ký tự điều khiển không được phép ({describe(bad)}); vui lòng gõ lại phần này."
    length = len(unicodedata.normalize("NFC", text))
    if max_length is not None and length > max_length:
        return f"Dài {length} ký tự, tối đa {max_length} ký tự."
    return ""


class TextValidator:
    def __init__(self, multiline: bool):
        self.multiline = multiline

    def __call__(self, value):
        if not isinstance(value, str):  # a UUIDField is a CharField whose value is a UUID
            return
        problem = text_problem(value, multiline=self.multiline)
        if problem:
            raise ValidationError(problem, code="forbidden_character")

    def __eq__(self, other):
        return isinstance(other, TextValidator) and other.multiline == self.multiline


def _nfc(to_python, value):
    value = to_python(value)
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def harden(field):
    """Give one form field the checks above (idempotent)."""
    if isinstance(field, forms.CharField):
        if not getattr(field, "_hardened", False):
            # Normalise before the validators run, so max_length counts what will be stored.
            field.to_python = functools.partial(_nfc, field.to_python)
            # Django's own NUL check speaks English; ours says the same in Vietnamese.
            field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
            field.validators.append(TextValidator(multiline=isinstance(field.widget, forms.Textarea)))
            field._hardened = True
    elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.FloatField | forms.DecimalField):
        if field.max_value is None or field.max_value > INTEGER_MAX:
            field.max_value = INTEGER_MAX
            field.validators.append(
                MaxValueValidator(INTEGER_MAX, message=f"Số này quá lớn (tối đa {thousands(INTEGER_MAX)}).")
            )
        if field.min_value is None or field.min_value < -INTEGER_MAX - 1:
            field.min_value = -INTEGER_MAX - 1
            field.validators.append(MinValueValidator(-INTEGER_MAX - 1, message="Số này quá nhỏ."))
    return field


class SafeInput:
    """Mixed into every Form and ModelForm of the portal (a test walks them all)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            harden(field)


class SafeModelForm(SafeInput, forms.ModelForm):
    """Base for the formsets' forms (`form=SafeModelForm`)."""


def clean_reason(text, *, max_length: int = REASON_MAX_LENGTH, required_message: str = "") -> str:
    """A reason posted without a form (with a button), trimmed and normalised; services call it, so it
    refuses (Refused, in Vietnamese) like they do."""
    text = unicodedata.normalize("NFC", (text or "").strip())
    if not text and required_message:
        raise Refused(required_message)
    problem = text_problem(text, max_length=max_length, multiline=True)
    if problem:
        raise Refused(f"Lý do: {problem}")
    return text


def thousands(number: int) -> str:
    """1.000.000 — Vietnamese digit grouping."""
    return f"{number:,}".replace(",", ".")


class SafeForm(SafeInput, forms.Form):
    """Base for the filter forms (`Meta.form = SafeForm`)."""


class CodeForm(SafeForm):
    """The code of the authenticator app (or one backup code) for two-factor login."""

    code = forms.CharField(
        label="Mã xác thực",
        max_length=20,
        help_text="Mã xác thực gồm 6 chữ số đang hiện trên ứng dụng xác thực (hoặc một mã dự phòng).",
        error_messages={"required": "Vui lòng nhập mã xác thực gồm 6 chữ số."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class TwoFactorResetForm(SafeForm):
    reason = forms.CharField(
        label="Lý do đặt lại",
        max_length=REASON_MAX_LENGTH,
        error_messages={"required": "Vui lòng ghi lý do đặt lại xác thực hai bước."},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
