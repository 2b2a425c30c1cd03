from django.http import HttpRequest

from accounts.models import Token, User


class PasswordlessAuthenticationBackend:
    """Logs in whoever holds a login token; their first login creates their account."""

    def authenticate(self, request: HttpRequest | None, uid: str | None = None) -> User | None:
        if not uid:
            return None
        token = Token.objects.filter(uid=uid).first()
        if token is None:
            return None
        user, _created = User.objects.get_or_create(email=token.email)
        return user

    def get_user(self, email: str) -> User | None:
        return User.objects.filter(email=email).first()
