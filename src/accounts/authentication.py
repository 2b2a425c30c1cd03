from django.http import HttpRequest

from accounts.models import User
from accounts.tokens import consume_login_token


def existing_account_for(email: str) -> User | None:
    """The account ``email`` belongs to, if there is one: the one rule for logging in, sharing a
    list and removing a sharee. Addresses that differ only in case are one account: Edith may type
    EDITH@example.com one day. Where accounts made before that rule differ only in case, the one
    spelt exactly so is hers; failing that, the first in code-point order."""
    exact = User.objects.filter(email=email).first()
    if exact is not None:
        return exact
    # In Python: the databases' collations would order them differently.
    return min(User.objects.filter(email__iexact=email), key=str, default=None)


def account_for(email: str) -> User:
    """The account of ``email`` (``existing_account_for``), made now if there is none: on first
    login, or when a list is first shared with the address."""
    existing = existing_account_for(email)
    if existing is not None:
        return existing
    user, _created = User.objects.get_or_create(email=email)
    return user


class PasswordlessAuthenticationBackend:
    """Logs in whoever holds a valid login token, using it up; a first login creates the account."""

    def authenticate(self, request: HttpRequest | None, token: str | None = None) -> User | None:
        email = consume_login_token(token)
        if email is None:
            return None
        return account_for(email)

    def get_user(self, email: str) -> User | None:
        # get(), not filter().first(): on every logged-in page, and first()'s ordering and
        # slicing made the query cost a third more to build.
        try:
            return User.objects.get(email=email)
        except User.DoesNotExist:
            return None
