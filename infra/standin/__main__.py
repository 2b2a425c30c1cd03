"""`python -m infra.standin up|down|status|env`: the stand-in staging host on this machine.

up       start everything and deploy to both hosts with the real playbook (idempotent:
         running it again repairs what is missing or stale); --no-deploy stops before deploying
down     stop everything `up` started and undo its changes; --purge also deletes the state
         (keys, passwords, images, the cached base rootfs, Maildirs)
status   what is running
env      `export` lines for the operator and the tests: eval "$(python -m infra.standin env)"
deploy   deploy to the stand-in `staging` or `production` host with the real playbook
"""

import argparse
import shutil
import sys

from . import (
    base_image,
    check,
    config,
    deploy,
    dovecot,
    engine,
    host_changes,
    mail,
    operator_env,
    packages,
    sshd,
)
from .steps import PREFIX, StepFailed, run_steps


# --- up: the whole flow, one step per line -----------------------------------------------------
def up(with_deploy: bool) -> None:
    host_steps = [
        preflight,
        ensure_packages,
        make_directories,
        ensure_engine,
        build_base_image,
        start_sshd,
        start_mail,
        check_everything,
    ]
    deploy_steps = [deploy_to_staging, deploy_to_production] if with_deploy else []
    run_steps(
        host_steps + deploy_steps,
        then="run `python -m infra.standin up` again (it repairs what it finds)",
    )
    print(f'{PREFIX} up. For the operator and the FTs: eval "$(python -m infra.standin env)"')


def preflight() -> str:
    return packages.preflight()


def ensure_packages() -> str:
    return packages.ensure_packages()


def make_directories() -> str:
    config.STATE_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    config.SECRETS_DIR.mkdir(mode=0o700, exist_ok=True)
    config.SECRETS_DIR.chmod(0o700)
    config.RUNTIME_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    config.LOG_DIR.mkdir(exist_ok=True)
    return f"state in {config.STATE_DIR}, runtime in {config.RUNTIME_DIR}"


def ensure_engine() -> str:
    started = engine.start()
    engine.verify_default_network()
    version = engine.verify_with_docker_cli()
    return f"Podman {version}, {started}; `docker version` answers at {config.DOCKER_HOST}"


def build_base_image() -> str:
    return base_image.build()


def start_sshd() -> str:
    return sshd.start()


def start_mail() -> str:
    return mail.start()


def check_everything() -> str:
    return check.check()


def deploy_to_staging() -> str:
    return _deploy("staging", config.STAGING_HOST)


def deploy_to_production() -> str:
    return _deploy("production", config.PRODUCTION_HOST)


def _deploy(group: str, host: str) -> str:
    result = deploy.run_playbook(group)
    if result.returncode != 0:
        raise StepFailed(f"the deploy playbook failed for {host} (its output is above)")
    return f"deployed; the site answers at http://{host}/"


# --- down, status, env -------------------------------------------------------------------------
def down(purge: bool) -> None:
    if shutil.which("podman") and config.ENGINE_GRAPH_ROOT.exists():
        engine.write_configs()  # so that podman below works on the stand-in's storage only
        engine.remove_all_containers()
        print(f"{PREFIX} removed the stand-in engine's containers and volumes")
    stopped = [name for name, stop in STOPPERS if stop()]
    print(f"{PREFIX} stopped: {', '.join(stopped) or 'nothing was running'}")
    undone = host_changes.undo()
    if undone:
        print(f"{PREFIX} undid the engine's changes to the host: {', '.join(undone)}")
    shutil.rmtree(config.RUNTIME_DIR, ignore_errors=True)
    if purge:
        mail.remove_mail_user_if_created()
        shutil.rmtree(config.STATE_DIR, ignore_errors=True)
        print(f"{PREFIX} purged {config.STATE_DIR} (keys, passwords, images, base rootfs, mail)")
    print(f"{PREFIX} down.")


STOPPERS = (
    ("podman API", engine.stop),
    ("sshd", sshd.stop),
    ("SMTP + POP3", lambda: bool(mail.stop())),
)


def status() -> int:
    """Print what is running; exit status 0 only if everything is."""
    services = {
        "engine (podman API)": engine.is_running(),
        f"sshd ({', '.join(f'{host}:{config.SSH_PORT}' for host in config.SSH_HOSTS)})": (
            sshd.is_running()
        ),
        f"SMTP ({config.MAIL_HOST}:{config.SMTP_PORT})": mail.smtp_is_running(),
        f"POP3 ({config.MAIL_HOST}:{config.POP3_PORT})": dovecot.is_running(),
    }
    for name, running in services.items():
        print(f"{PREFIX} {name}: {'running' if running else 'not running'}")
    label = base_image.image_label() if engine.is_running() else None
    print(f"{PREFIX} base image {config.BASE_IMAGE}: {label or 'not in the engine'}")
    return 0 if all(services.values()) else 1


def env() -> int:
    if not config.SENDER_PASSWORD_FILE.exists():
        print(f"{PREFIX} not set up yet: run `python -m infra.standin up`", file=sys.stderr)
        return 1
    sys.stdout.write(operator_env.export_lines(operator_env.variables()))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m infra.standin",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help="start everything and deploy (idempotent)")
    up_parser.add_argument(
        "--no-deploy", action="store_true", help="bring up the hosts only, do not deploy"
    )
    down_parser = commands.add_parser("down", help="stop everything `up` started")
    down_parser.add_argument("--purge", action="store_true", help="also delete the state dir")
    commands.add_parser("status", help="what is running")
    commands.add_parser("env", help="export lines for the operator and the tests")
    deploy_parser = commands.add_parser("deploy", help="run the deploy playbook for one host")
    deploy_parser.add_argument("host", choices=["staging", "production"])
    deploy_parser.add_argument(
        "--without-email-password",
        action="store_true",
        help="deploy as an operator who has not exported EMAIL_PASSWORD",
    )
    arguments = parser.parse_args()
    if arguments.command == "deploy":
        result = deploy.run_playbook(
            arguments.host, with_email_password=not arguments.without_email_password
        )
        return result.returncode
    if arguments.command == "up":
        up(with_deploy=not arguments.no_deploy)
        return 0
    if arguments.command == "down":
        try:
            packages.require_root()
            down(arguments.purge)
        except StepFailed as error:
            print(f"{PREFIX} down failed: {error}", file=sys.stderr)
            return 1
        return 0
    if arguments.command == "status":
        return status()
    return env()


if __name__ == "__main__":
    sys.exit(main())
