import logging
import smtplib

from django.conf import settings
from django.contrib import auth, messages
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.forms import EmailForm
from accounts.models import Token

logger = logging.getLogger(__name__)

LOGIN_EMAIL_SUBJECT = "Your login link for Superlists"
CHECK_YOUR_EMAIL = "Check your email, we've sent you a link you can use to log in."
EMAIL_NOT_SENT = "We couldn't send your email, please try again later."
INVALID_LOGIN_LINK = "Invalid login link, please request a new one"


@require_POST
def send_login_email(request: HttpRequest) -> HttpResponse:
    """Email a login link to the address given, then go back to the home page with a message.

    If the mail server refuses the email (wrong or missing EMAIL_PASSWORD, server down), the
    error is logged with its traceback for the operator and the user gets a clear message, not a
    bare "Server Error (500)".
    """
    form = EmailForm(data=request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["email"][0])
        return redirect("/")
    email = form.cleaned_data["email"]
    token = Token.objects.create(email=email)
    url = request.build_absolute_uri(reverse("login") + "?token=" + str(token.uid))
    try:
        send_mail(
            LOGIN_EMAIL_SUBJECT,
            f"Use this link to log in:\n\n{url}",
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the login email to %s", email)
        messages.error(request, EMAIL_NOT_SENT)
    else:
        messages.success(request, CHECK_YOUR_EMAIL)
    return redirect("/")


def login(request: HttpRequest) -> HttpResponse:
    if user := auth.authenticate(request, uid=request.GET.get("token")):
        auth.login(request, user)
    else:
        messages.error(request, INVALID_LOGIN_LINK)
    return redirect("/")
