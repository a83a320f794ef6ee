from django import forms

from ansinh.forms import SafeInput


class ReasonForm(SafeInput, forms.Form):
    """The reason a chairman gives for revoking or re-issuing (kept in the audit trail)."""

    reason = forms.CharField(label="Lý do", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
