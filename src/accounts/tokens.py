"""Login tokens: issued for an email address, checked, and consumed once.

A token is a *selector* followed by a *verifier*, both from ``secrets`` (96 and 256 bits).
The selector finds the row; only a SHA-256 hash of the verifier is stored, so the rows alone
(a database leak, a backup) give nobody a working link. A plain hash is enough because the
verifier is random and 256 bits long: there is nothing to guess, so no salt or slow hash helps.

A token is good for ``settings.LOGIN_TOKEN_MAX_AGE`` seconds and a single login, and asking for
a new one deletes the address's earlier tokens.
"""

import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Token

SELECTOR_BYTES = 12
VERIFIER_BYTES = 32
SELECTOR_LENGTH = 16  # base64url characters for SELECTOR_BYTES
TOKEN_LENGTH = SELECTOR_LENGTH + 43  # and for VERIFIER_BYTES
# Anything else is refused before it reaches the database (e.g. a NUL, which PostgreSQL rejects).
TOKEN_FORMAT = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")


class LinkStatus(enum.Enum):
    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class TokenCheck:
    status: LinkStatus
    token: Token | None = None

    @property
    def email(self) -> str | None:
        return self.token.email if self.token else None


def hash_verifier(verifier: str) -> str:
    return hashlib.sha256(verifier.encode()).hexdigest()


def issue_login_token(email: str) -> str:
    """Create a token for ``email`` and return it; the address's earlier tokens stop working."""
    selector = secrets.token_urlsafe(SELECTOR_BYTES)
    verifier = secrets.token_urlsafe(VERIFIER_BYTES)
    with transaction.atomic():
        Token.objects.filter(email=email).delete()
        Token.objects.create(email=email, selector=selector, verifier_hash=hash_verifier(verifier))
    return selector + verifier


def check_login_token(raw_token: str | None) -> TokenCheck:
    """Say whether ``raw_token`` would log someone in now, and if not, why not. Changes nothing.

    The verifier's hash is compared in constant time, so response times tell an attacker nothing
    about how close a guess was. Looking the selector up is not constant-time, and need not be:
    knowing a selector exists does not help anyone find its 256-bit verifier.
    """
    if not raw_token or not TOKEN_FORMAT.fullmatch(raw_token):
        return TokenCheck(LinkStatus.UNKNOWN)
    selector, verifier = raw_token[:SELECTOR_LENGTH], raw_token[SELECTOR_LENGTH:]
    token = Token.objects.filter(selector=selector).first()
    if token is None or not hmac.compare_digest(token.verifier_hash, hash_verifier(verifier)):
        return TokenCheck(LinkStatus.UNKNOWN)
    if token.used_at is not None:
        return TokenCheck(LinkStatus.USED, token)
    if timezone.now() > token.created_at + timedelta(seconds=settings.LOGIN_TOKEN_MAX_AGE):
        return TokenCheck(LinkStatus.EXPIRED, token)
    return TokenCheck(LinkStatus.VALID, token)


def consume_login_token(raw_token: str | None) -> str | None:
    """Use up ``raw_token`` and return its email address, or None if it is not valid now.

    Marking it used is a conditional UPDATE, so of two requests racing with the same token only
    one logs in.
    """
    check = check_login_token(raw_token)
    if check.status is not LinkStatus.VALID or check.token is None:  # VALID has its token
        return None
    consumed = Token.objects.filter(pk=check.token.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    return check.email if consumed else None
