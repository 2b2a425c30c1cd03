"""The last step of `up`: use the stand-in as the deploy and the functional tests will."""

import smtplib
from datetime import UTC, datetime

from functional_tests.mailbox import NoSuchEmail

from . import config, credentials, mail_probe
from .commands import run
from .sshd import ssh
from .steps import StepFailed

# Run inside a container from the base image, on the engine's default network, like the app.
CONTAINER_SENDS_MAIL = """\
import datetime, email.utils, os, smtplib
from email.message import EmailMessage
message = EmailMessage()
message["From"] = os.environ["EMAIL_HOST_USER"]
message["To"] = os.environ["RECIPIENT"]
message["Subject"] = "stand-in self-test from a container"
message["Date"] = email.utils.format_datetime(datetime.datetime.now(datetime.UTC))
message.set_content("sent from inside a container")
with smtplib.SMTP(os.environ["EMAIL_HOST"], int(os.environ["EMAIL_PORT"]), timeout=10) as smtp:
    smtp.login(os.environ["EMAIL_HOST_USER"], os.environ["EMAIL_PASSWORD"])
    smtp.send_message(message)
"""


def check_ssh() -> None:
    for host in config.SSH_HOSTS:
        run(ssh(host, "true"), fix=f"see {config.log_file('sshd')}")
        run(ssh(host, "docker", "version"), fix="the engine must answer through DOCKER_HOST")
    run(
        ssh(config.STAGING_HOST, config.REMOTE_PYTHON, "-c", "'import docker, requests'"),
        fix="install python3-docker and python3-requests (the ensure_packages step does)",
    )


def check_smtp_refuses_anonymous_senders() -> None:
    with smtplib.SMTP(config.MAIL_HOST, config.SMTP_PORT, timeout=10) as smtp:
        smtp.ehlo()
        code, text = smtp.mail(config.SENDER_ACCOUNT)
    if (code, text) != (530, b"5.7.0 Authentication required"):
        raise StepFailed(f"unauthenticated MAIL FROM got {code} {text!r}, not 530")


def check_mail_round_trip() -> None:
    recipient = mail_probe.unique_test_address("up-check")
    sent_after = datetime.now(UTC)
    mail_probe.send_test_mail(recipient, "stand-in self-test")
    try:
        mail_probe.take_mail_for(recipient, "stand-in self-test", sent_after)
    except NoSuchEmail as error:
        raise StepFailed(f"{error}: see {config.log_file('smtp')}") from None


def check_smtp_from_container() -> None:
    recipient = mail_probe.unique_test_address("container-check")
    sent_after = datetime.now(UTC)
    environment = {
        "EMAIL_HOST": config.EMAIL_HOST_FOR_CONTAINERS,
        "EMAIL_PORT": str(config.SMTP_PORT),
        "EMAIL_HOST_USER": config.SENDER_ACCOUNT,
        "EMAIL_PASSWORD": credentials.sender_password(),
        "RECIPIENT": recipient,
    }
    variables = [argument for name in environment for argument in ("--env", name)]
    run(
        ["docker", "run", "--rm", *variables, config.BASE_IMAGE, "python", "-c",
         CONTAINER_SENDS_MAIL],
        env={"DOCKER_HOST": config.DOCKER_HOST, **environment},
        fix=f"a container must reach SMTP at {config.EMAIL_HOST_FOR_CONTAINERS}:"
        f"{config.SMTP_PORT} (the bridge gateway {config.CONTAINER_GATEWAY})",
    )  # fmt: skip
    try:
        mail_probe.take_mail_for(recipient, "stand-in self-test from a container", sent_after)
    except NoSuchEmail as error:
        raise StepFailed(f"{error}: see {config.log_file('smtp')}") from None


def check() -> str:
    check_ssh()
    check_smtp_refuses_anonymous_senders()
    check_mail_round_trip()
    check_smtp_from_container()
    return (
        "ssh + docker on both hosts, SMTP 530 without AUTH, mail over POP3, "
        f"SMTP from a container via {config.EMAIL_HOST_FOR_CONTAINERS}"
    )
