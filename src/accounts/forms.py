from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from accounts.models import User
from sitewide.plain_text import ShowsBackPlainMixin, has_hidden_characters

INVALID_EMAIL_ERROR = "That doesn't look like an email address, please check it and try again"
MAX_EMAIL_LENGTH: int = User._meta.get_field("email").max_length  # type: ignore[assignment]


class MailboxOnTheInternetValidator(EmailValidator):
    """Django's email validator, also refusing addresses it accepts but no person on the
    internet has.

    An IP literal (``lit@[127.0.0.1]``) or a domain without a dot (``root@localhost``) names a
    machine, not a mail domain: an email sent there goes to our own server or to a host on its
    network, which is how a login or share form becomes a way to send mail inside it. Control
    characters, which a quoted local part may hold, would end up in the mail's headers and our
    logs.
    """

    def __call__(self, value: str | None) -> None:
        super().__call__(value)
        email = str(value)
        domain = email.rpartition("@")[2]
        if domain.startswith("[") or "." not in domain.strip(".") or has_hidden_characters(email):
            raise ValidationError(self.message, code=self.code, params={"value": value})


class EmailAddressField(ShowsBackPlainMixin, forms.EmailField):
    """An address that can be an account: at most as long as the ``User.email`` column (a longer
    one was a database error on PostgreSQL), and on the internet. Every form that takes an address
    uses this field, with one message for whatever is wrong with it."""

    default_validators = [MailboxOnTheInternetValidator()]

    def __init__(self, *, error: str, **kwargs: Any) -> None:
        super().__init__(
            max_length=MAX_EMAIL_LENGTH,
            error_messages={"required": error, "invalid": error, "max_length": error},
            **kwargs,
        )


class EmailForm(forms.Form):
    email = EmailAddressField(error=INVALID_EMAIL_ERROR)
