from django.conf import settings
from django.http import HttpRequest


def absolute_url(request: HttpRequest, path: str) -> str:
    """The absolute URL of ``path`` on this site, for links sent by email.

    Its scheme and host come from ``settings.SITE_URL`` (required in production) rather than the
    request's ``Host`` header, which the client chooses: otherwise an attacker could have a link
    sent to someone else with a forged Host, and it would lead to the attacker's site. Only in
    development, with no SITE_URL, is the request's own address used.
    """
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)
