from django import forms

INVALID_EMAIL_ERROR = "That doesn't look like an email address, please check it and try again"


class EmailForm(forms.Form):
    email = forms.EmailField(
        error_messages={"required": INVALID_EMAIL_ERROR, "invalid": INVALID_EMAIL_ERROR}
    )
