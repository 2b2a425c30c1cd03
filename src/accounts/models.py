from django.db import models
from django.utils import timezone


class User(models.Model):
    """A user is nothing but an email address: there are no passwords to keep."""

    email = models.EmailField(primary_key=True)

    REQUIRED_FIELDS: list[str] = []
    USERNAME_FIELD = "email"
    is_anonymous = False
    is_authenticated = True

    def __str__(self) -> str:
        return self.email


class Token(models.Model):
    """A login link sent to ``email``; see ``accounts.tokens`` for how it is made and checked.

    Only the verifier's hash is stored: these rows, if leaked, log nobody in.
    """

    email = models.EmailField(db_index=True)
    selector = models.CharField(max_length=16, unique=True)
    verifier_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"login token for {self.email}"
