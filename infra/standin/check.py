"""The last step of `up`: use the stand-in as the deploy and the functional tests will."""

import smtplib
from datetime import UTC, datetime

from functional_tests.mailbox import NoSuchEmail

from . import config, credentials, servers
from .commands import run
from .config import Server
from .mail import probe
from .sshd import ssh
from .steps import StepFailed

SUBJECT_FROM_CONTAINER = "stand-in self-test from a container"

# Run by `python -` inside a container on a server, on its engine's default network like the
# app; sent over SSH's stdin, so that the password never shows on a command line.
CONTAINER_SENDS_MAIL = """\
import datetime, email.utils, smtplib
from email.message import EmailMessage
message = EmailMessage()
message["From"] = {sender!r}
message["To"] = {recipient!r}
message["Subject"] = {subject!r}
message["Date"] = email.utils.format_datetime(datetime.datetime.now(datetime.UTC))
message.set_content("sent from inside a container")
with smtplib.SMTP({host!r}, {port!r}, timeout=10) as smtp:
    smtp.login({sender!r}, {password!r})
    smtp.send_message(message)
"""


def check_ssh(server: Server) -> None:
    """Over SSH, as the operator and the deploy will (`ssh root@ADDRESS`): the server says its
    own name, `docker` answers, `podman` uses the host's own storage, and the Python Ansible
    runs there has the modules community.docker needs."""
    host = servers.host_of(server)
    # One SSH connection for all of it: each costs half a second.
    commands = [
        "hostname",
        "docker version --format '{{.Server.Version}}' >/dev/null",
        "podman info --format '{{.Store.GraphRoot}}'",
        f"{config.REMOTE_PYTHON} -c 'import docker, requests'",
    ]
    answer = run(
        ssh(server.address, " && ".join(commands)),
        fix=f"see {config.log_file(host.daemon().name)}; python3-docker and python3-requests "
        "come with the ensure_packages step",
    ).split()
    if answer != [server.name, str(host.graph_root)]:
        raise StepFailed(
            f"the server at {server.address} answers {answer}, not its name {server.name} and "
            f"its own storage {host.graph_root}"
        )


def check_smtp_refuses_anonymous_senders() -> None:
    with smtplib.SMTP(config.MAIL_HOST, config.SMTP_PORT, timeout=10) as smtp:
        smtp.ehlo()
        code, text = smtp.mail(config.SENDER_ACCOUNT)
    if (code, text) != (530, b"5.7.0 Authentication required"):
        raise StepFailed(f"unauthenticated MAIL FROM got {code} {text!r}, not 530")


def check_mail_round_trip() -> None:
    recipient = probe.unique_test_address("up-check")
    sent_after = datetime.now(UTC)
    probe.send_test_mail(recipient, "stand-in self-test")
    try:
        probe.take_mail_for(recipient, "stand-in self-test", sent_after)
    except NoSuchEmail as error:
        raise StepFailed(f"{error}: see {config.log_file('smtp')}") from None


def check_smtp_from_container(server: Server) -> None:
    """A container on `server` sends mail, as the app there will."""
    recipient = probe.unique_test_address(f"container-check-{server.name}")
    sent_after = datetime.now(UTC)
    script = CONTAINER_SENDS_MAIL.format(
        sender=config.SENDER_ACCOUNT,
        recipient=recipient,
        subject=SUBJECT_FROM_CONTAINER,
        host=config.EMAIL_HOST_FOR_CONTAINERS,
        port=config.SMTP_PORT,
        password=credentials.sender_password(),
    )
    run(
        ssh(server.address, "docker", "run", "--rm", "-i", config.PYTHON_IMAGE, "python", "-"),
        input=script.encode(),
        fix=f"a container on {server.name} must reach SMTP at "
        f"{config.EMAIL_HOST_FOR_CONTAINERS}:{config.SMTP_PORT} (this machine's end of the "
        f"server's link, {server.operator_end})",
    )
    try:
        probe.take_mail_for(recipient, SUBJECT_FROM_CONTAINER, sent_after)
    except NoSuchEmail as error:
        raise StepFailed(f"{error}: see {config.log_file('smtp')}") from None


def check() -> str:
    for server in config.SERVERS:
        check_ssh(server)
    check_smtp_refuses_anonymous_senders()
    check_mail_round_trip()
    for server in config.SERVERS:
        check_smtp_from_container(server)
    return (
        "each server answers over SSH as itself, docker and podman there on its own engine; "
        "SMTP 530 without AUTH; "
        f"mail over POP3; SMTP from a container on each server via "
        f"{config.EMAIL_HOST_FOR_CONTAINERS}"
    )
