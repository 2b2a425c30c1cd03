import logging
import smtplib

from django.conf import settings
from django.contrib import auth, messages
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import EmailForm
from accounts.throttling import WINDOW_SECONDS, allow_login_email
from accounts.tokens import LinkStatus, check_login_token, issue_login_token
from observability.pseudonyms import pseudonym
from observability.request_ids import with_reference
from sitewide.site_url import absolute_url

logger = logging.getLogger(__name__)

LOGIN_EMAIL_SUBJECT = "Your login link for Superlists"
CHECK_YOUR_EMAIL = "Check your email, we've sent you a link you can use to log in."
EMAIL_NOT_SENT = "We couldn't send your email, please try again later."
TOO_MANY_LOGIN_EMAILS = (
    "Too many login emails have been asked for, please wait a minute and try again."
)
INVALID_LOGIN_LINK = "Invalid login link, please request a new one"
EXPIRED_LOGIN_LINK = "This login link has expired, please request a new one"
USED_LOGIN_LINK = "This login link has already been used, please request a new one"

FAILED_LOGIN_MESSAGES = {LinkStatus.EXPIRED: EXPIRED_LOGIN_LINK, LinkStatus.USED: USED_LOGIN_LINK}


@require_POST
def send_login_email(request: HttpRequest) -> HttpResponse:
    """Email a login link to the address given, then go back to the home page with a message.

    The response is the same whether or not the address has an account, so it tells nobody who
    uses Superlists. Requests over the limits of ``accounts.throttling`` send nothing: a browser
    is told so on the home page, any other client gets HTTP 429.

    If the mail server refuses the email (wrong or missing EMAIL_PASSWORD, server down), the
    error is logged with its traceback for the operator (naming the user by pseudonym, never by
    address) and the user gets a clear message, not a bare "Server Error (500)", with the
    reference of the request whose log lines tell what happened.
    """
    form = EmailForm(data=request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["email"].get_json_data()[0]["message"])
        return redirect("/")
    email = form.cleaned_data["email"]
    if not allow_login_email(request, email):
        return too_many_requests(request)
    url = login_link(request, issue_login_token(email))
    try:
        send_mail(
            LOGIN_EMAIL_SUBJECT,
            f"Use this link to log in:\n\n{url}",
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the login email to user %s", pseudonym(email))
        messages.error(request, with_reference(EMAIL_NOT_SENT))
    else:
        messages.success(request, CHECK_YOUR_EMAIL)
    return redirect("/")


def login_link(request: HttpRequest, token: str) -> str:
    return absolute_url(request, f"{reverse('login')}?token={token}")


def too_many_requests(request: HttpRequest) -> HttpResponse:
    if "text/html" in request.headers.get("Accept", ""):
        messages.error(request, TOO_MANY_LOGIN_EMAILS)
        return redirect("/")
    response = HttpResponse(TOO_MANY_LOGIN_EMAILS, status=429, content_type="text/plain")
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """GET ``?token=``: a page asking "Log in to Superlists as <email>?"; its POST logs in.

    Opening the link changes nothing, because mail scanners open every link in an email: only
    the button's POST (CSRF-protected) uses the token up. A bad link of any kind goes back to the
    home page with a message saying why, where a new link can be asked for.
    """
    if request.method == "POST":
        return log_in_with_token(request, request.POST.get("token"))
    check = check_login_token(request.GET.get("token"))
    if check.status is not LinkStatus.VALID:
        return login_failed(request, check.status)
    return render(
        request, "confirm_login.html", {"email": check.email, "token": request.GET["token"]}
    )


def log_in_with_token(request: HttpRequest, token: str | None) -> HttpResponse:
    if user := auth.authenticate(request, token=token):
        auth.login(request, user)
        return redirect("/")
    return login_failed(request, check_login_token(token).status)


def login_failed(request: HttpRequest, status: LinkStatus) -> HttpResponse:
    messages.error(request, FAILED_LOGIN_MESSAGES.get(status, INVALID_LOGIN_LINK))
    return redirect("/")
