import uuid

from django.db import models


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
    email = models.EmailField()
    uid = models.CharField(default=uuid.uuid4, max_length=40)

    def __str__(self) -> str:
        return f"login token for {self.email}"
