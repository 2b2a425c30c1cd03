from django.http import HttpRequest

from accounts.models import User
from accounts.tokens import consume_login_token


def account_for(email: str) -> User:
    """The account of ``email``, made on first login. Addresses that differ only in case are
    one account (sharing matches them so too): Edith may type EDITH@example.com one day. Where
    accounts made before that rule differ only in case, the one spelt exactly so is hers."""
    exact = User.objects.filter(email=email).first()
    if exact is not None:
        return exact
    same = User.objects.filter(email__iexact=email).order_by("email").first()
    if same is not None:
        return same
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
