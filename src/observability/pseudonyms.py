"""The name a user goes by in logs and error reports: never their email address.

A user's primary key *is* their email address, so the log cannot name users by it. Instead each
address has a pseudonym: a keyed hash (HMAC with ``SECRET_KEY``) of its lower-cased form, 12 hex
digits. It is the same in every worker and instance (they share the key), so an operator can
follow one user through the logs, and, asked about ``edith@example.com``, find her lines with
``python manage.py shell -c "from observability.pseudonyms import *; print(pseudonym('…'))"``.
Unlike a plain hash, it cannot be reversed by hashing a list of likely addresses without the key.
"""

from django.utils.crypto import salted_hmac

LENGTH = 12
# The module's name before it moved to observability/: a new salt would give every user a new
# pseudonym, and the old log lines would no longer match theirs.
SALT = "superlists.pseudonyms"


def pseudonym(email: str) -> str:
    return salted_hmac(SALT, email.lower()).hexdigest()[:LENGTH]
