"""The page's CSRF token: Django's, each random string in it from one read of the CSPRNG.

Every page has a form (the navbar's login or logout at least), so every page asks for a CSRF
token, and a new visitor's also needs a new secret. Django makes the secret, and the mask that
hides it in each page (its defence against BREACH), with ``get_random_string``: one
``secrets.choice`` per character, 64 calls for a new visitor's page, ~100 µs. Here each comes
from ``random_csrf_string``, which reads the OS's CSPRNG once for its 32 characters, and the
templates get the token through a lighter lazy object than Django's (``LazyToken``).

Nothing else changes. The secret and the mask have Django's format and the same distribution
(uniform over Django's 62 characters, so the same 190 bits each); the token is Django's masked
token, ``mask + cipher``, made by Django's algorithm; and Django's ``CsrfViewMiddleware`` still
reads the cookie, sets it (only on a page that used a token), and checks every POST's token
against the cookie the browser sent back.
"""

import secrets

from django.http import HttpRequest
from django.middleware import csrf as django_csrf

ALPHABET = django_csrf.CSRF_ALLOWED_CHARS
LENGTH = django_csrf.CSRF_SECRET_LENGTH
# The largest multiple of 62 a byte can reach: a byte below it, taken modulo 62, is uniform;
# bytes from it up would favour the first 8 characters, so they are thrown away.
_UNBIASED_BYTES = 256 - 256 % len(ALPHABET)
_BYTE_TO_CHARACTER = bytes(ord(ALPHABET[byte % len(ALPHABET)]) for byte in range(256))
_BIASED_BYTES = bytes(range(_UNBIASED_BYTES, 256))
# Each pair of a secret's character and a mask's, to the cipher's character: the secret's
# shifted along Django's alphabet by the mask's position in it.
_SHIFTED = {
    (secret_character, mask_character): ALPHABET[(i + j) % len(ALPHABET)]
    for i, secret_character in enumerate(ALPHABET)
    for j, mask_character in enumerate(ALPHABET)
}


def random_csrf_string() -> str:
    """32 characters, each drawn uniformly from Django's alphabet of 62: a CSRF secret or mask.

    The same distribution, and so the same 190 bits of entropy, as Django's own
    ``get_random_string``, from the same source (the OS's CSPRNG, through ``secrets``), but read
    once rather than 32 times, one ``secrets.choice`` each. A byte of 248 or more is thrown away
    rather than wrapped round, so that no character is likelier than another (rejection
    sampling, as ``secrets.choice`` does inside); 40 bytes are read to have 32 left nearly
    always (a further read when not).
    """
    characters = b""
    while len(characters) < LENGTH:
        random_bytes = secrets.token_bytes(LENGTH + 8)
        characters += random_bytes.translate(_BYTE_TO_CHARACTER, _BIASED_BYTES)
    return characters[:LENGTH].decode("ascii")


def get_token(request: HttpRequest) -> str:
    """What ``django.middleware.csrf.get_token`` returns, and with the same effects on
    ``request``: the request's secret (a new one for a new visitor), masked afresh.

    Like Django's, it marks the request so that ``CsrfViewMiddleware`` sends the cookie, and
    masks the secret with a new random mask each time: the token is the mask followed by each
    character of the secret shifted along Django's alphabet by the mask's character there.
    """
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = random_csrf_string()
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = random_csrf_string()
    return mask + "".join(map(_SHIFTED.__getitem__, zip(secret, mask, strict=True)))


class LazyToken:
    """The page's token, made by ``get_token`` the first time the page shows it.

    What Django's ``csrf`` context processor puts in a ``SimpleLazyObject``, which passes every
    operation through Python-level proxies: the ``{% csrf_token %}`` tag's truth test, comparison
    and escaping cost ~5 µs a tag. This is only what the tag and our templates ask of it: a
    string, true, and safe HTML as it is (Django's alphabet has nothing to escape).
    """

    __slots__ = ("_request", "_token")

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._token: str | None = None

    def __str__(self) -> str:
        if self._token is None:
            self._token = get_token(self._request)
        return self._token

    __html__ = __str__

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return str(self) == other

    def __hash__(self) -> int:
        return hash(str(self))


def csrf(request: HttpRequest) -> dict[str, object]:
    """Context processor: the templates' ``csrf_token``, from ``get_token`` above.

    It replaces the one of Django's always-on ``csrf`` context processor, which comes first
    (a later processor's variable wins). Lazy, as Django's is: a page that shows no form uses no
    token, and gets no cookie.
    """
    return {"csrf_token": LazyToken(request)}
