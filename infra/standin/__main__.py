"""`python -m infra.standin up|down|status|env|deploy`: the stand-in hosts on this machine.

up       start everything and deploy to staging with the real playbook (idempotent: running
         it again repairs what is missing or stale); --no-deploy stops before deploying.
         Production takes only what passed staging: `scripts/release infra/inventory.standin.yaml`
         --topology multi: instead, the hosts of infra/inventory.standin-multi.yaml (a load
         balancer, two app hosts, two database hosts; see topology.py)
down     stop everything `up` started, undo its changes, and check that nothing is left (exit
         status 1, naming what is, if anything is); --purge also deletes the state (keys,
         passwords, images, the cached rootfs, Maildirs, the servers' disks)
status   what is running
env      the variables the operator and the tests need, written to a file only root can read
         (they hold passwords); prints their names and the line that loads them, for
         eval "$(python -m infra.standin env)"
deploy   deploy to the stand-in `staging` or `production` server with the real playbook, as
         `ansible-playbook` would from this shell: with EMAIL_PASSWORD if it is exported here,
         and without it (the playbook warns) if not
"""

import argparse
import os
import shutil
import sys

from . import (
    check,
    config,
    credentials,
    daemons,
    deploy,
    engine,
    host_changes,
    images,
    isolated_host,
    leftovers,
    operator_env,
    packages,
    servers,
    ssh_client_config,
    sshd,
    topology,
)
from .daemons import Daemon
from .mail import service as mail
from .steps import PREFIX, StepFailed, run_steps


# --- up: the whole flow, one step per line -----------------------------------------------------
def up(with_deploy: bool) -> None:
    host_steps = [
        preflight,
        ensure_packages,
        make_directories,
        build_rootfs,
        start_operator_engine,
        import_operator_images,
        tidy_build_leftovers,
        start_mail,
        start_servers,
        import_server_images,
        configure_ssh_client,
        check_everything,
    ]
    # Production takes only an image that passed the FTs on staging: scripts/release deploys it.
    deploy_steps = [deploy_to_staging] if with_deploy else []
    run_steps(
        host_steps + deploy_steps,
        then="run `python -m infra.standin up` again (it repairs what it finds)",
    )
    print(f'{PREFIX} up. For the operator and the FTs: eval "$(python -m infra.standin env)"')
    inventory = deploy.INVENTORY.relative_to(config.REPO_ROOT)
    print(f"{PREFIX} production takes what passed staging: scripts/release {inventory}")


def up_multi(with_deploy: bool) -> None:
    """The multi-host topology: the operator's engine (where the image is built), the mail
    server, and five isolated hosts."""
    run_steps(
        [
            preflight,
            ensure_multi_packages,
            make_directories,
            build_rootfs,
            start_operator_engine,
            import_operator_images,
            tidy_build_leftovers,
            start_mail,
            let_hosts_reach_each_other,
            start_hosts,
            import_host_images,
            check_hosts,
            configure_ssh_client,
            *([deploy_multi] if with_deploy else []),
        ],
        then="run `python -m infra.standin up --topology multi` again (it repairs what it finds)",
    )
    groups = "; ".join(
        f"{group}: {', '.join(f'{host.name} {host.address}' for host in hosts)}"
        for group, hosts in topology.GROUPS.items()
    )
    print(f"{PREFIX} up: {groups}")


def start_operator_engine() -> str:
    summary = engine.start(config.OPERATOR_ENGINE)
    return f"{summary}, Podman {engine.verify_with_docker_cli(config.OPERATOR_ENGINE)}"


def import_operator_images() -> str:
    return images.ensure_images(config.OPERATOR_ENGINE)


def tidy_build_leftovers() -> str:
    return engine.tidy_build_leftovers(config.OPERATOR_ENGINE)


def let_hosts_reach_each_other() -> str:
    return topology.let_hosts_reach_each_other()


def start_hosts() -> str:
    return topology.start_hosts()


def import_host_images() -> str:
    return topology.import_images()


def check_hosts() -> str:
    return topology.check_hosts()


def configure_ssh_client() -> str:
    ssh_client_config.install()
    return f"`ssh root@ADDRESS` reaches each host ({config.USER_SSH_CONFIG})"


def deploy_multi() -> str:
    result = deploy.run_playbook(
        "all", credentials.sender_password(), inventory=deploy.MULTI_INVENTORY
    )
    if result.returncode != 0:
        raise StepFailed("the deploy playbook failed (its output is above)")
    lb = topology.GROUPS["lb"][0]
    return f"deployed; the site answers at https://{lb.address}/ (through the load balancer)"


def preflight() -> str:
    return packages.preflight()


def ensure_packages() -> str:
    return packages.ensure_packages()


def ensure_multi_packages() -> str:
    return packages.ensure_packages(config.MULTI_APT_PACKAGES)


def make_directories() -> str:
    config.STATE_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    config.SECRETS_DIR.mkdir(mode=0o700, exist_ok=True)
    config.SECRETS_DIR.chmod(0o700)
    config.RUNTIME_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    # Others must pass through it (Dovecot reads its passwd file below it as its own user), and
    # podman, run on an engine by hand before `up`, makes every missing parent of its run root 0700.
    config.RUNTIME_DIR.chmod(0o755)
    config.LOG_DIR.mkdir(exist_ok=True)
    return f"state in {config.STATE_DIR}, runtime in {config.RUNTIME_DIR}"


def build_rootfs() -> str:
    return images.build_rootfs()


def start_mail() -> str:
    return mail.start()


def start_servers() -> str:
    return servers.start()


def import_server_images() -> str:
    return servers.import_images()


def check_everything() -> str:
    return check.check()


def deploy_to_staging() -> str:
    return _deploy(config.STAGING)


def _deploy(server: config.Server) -> str:
    # As an operator who has exported the stand-in mail provider's password.
    result = deploy.run_playbook(server.name, email_password=credentials.sender_password())
    if result.returncode != 0:
        raise StepFailed(f"the deploy playbook failed for {server.address} (its output is above)")
    return f"deployed; the site answers at https://{server.address}/"


# --- down, status, env -------------------------------------------------------------------------
def all_daemons() -> list[Daemon]:
    """Every daemon of `up`: the servers (each an isolated host), the operator's engine, and
    the mail server and error receiver."""
    return [
        *(host.daemon() for host in servers.HOSTS),
        *(engine.daemon(each) for each in config.ENGINES),
        *mail.DAEMONS,
    ]


def _remove_containers() -> None:
    if shutil.which("podman") is None:
        return
    for each in config.ENGINES:
        if each.graph_root.exists():
            engine.write_configs(each)  # so that podman below works on this engine's storage
            try:
                engine.remove_all_containers(each)
            except StepFailed as error:
                print(
                    f"{PREFIX} could not remove the {each.name} engine's containers: {error}",
                    flush=True,
                )
            else:
                print(
                    f"{PREFIX} removed the {each.name} engine's containers and volumes", flush=True
                )
    try:
        removed = servers.remove_containers()
    except StepFailed as error:
        print(f"{PREFIX} {error}", flush=True)
    else:
        if removed:
            print(f"{PREFIX} removed the containers and volumes of {', '.join(removed)}")


def down(purge: bool) -> bool:
    """Stop and undo everything; True if nothing of the stand-in is left on the machine."""
    _remove_containers()
    # The isolated hosts first (each shut down, its namespace and cgroups removed; the multi-host
    # topology's disks too, the servers' only with --purge), then what serves them.
    stopped = isolated_host.remove_all(keep=() if purge else servers.KEPT_DISKS)
    stopped += daemons.stop_all(all_daemons())
    print(f"{PREFIX} stopped: {', '.join(stopped) or 'nothing was running'}", flush=True)
    strays = leftovers.stop_stray_processes()
    if strays:
        print(f"{PREFIX} stopped what outlived them: {', '.join(strays)}", flush=True)
    sshd.after_stop()
    undone = host_changes.undo()
    if undone:
        print(f"{PREFIX} undid the engines' changes to the host: {', '.join(undone)}", flush=True)
    shutil.rmtree(config.RUNTIME_DIR, ignore_errors=True)
    old = servers.remove_old_layout()
    if old:
        print(
            f"{PREFIX} removed what the stand-in kept on this machine before its servers were "
            f"hosts of their own: {', '.join(old)}",
            flush=True,
        )
    if purge:
        mail.remove_mail_user_if_created()
        shutil.rmtree(config.STATE_DIR, ignore_errors=True)
        print(
            f"{PREFIX} purged {config.STATE_DIR} (keys, passwords, CA, images, rootfs, mail, "
            "the servers' disks)",
            flush=True,
        )
    left = leftovers.find()
    if purge and config.STATE_DIR.exists():
        left.append(f"directory {config.STATE_DIR}")
    if left:
        print(f"{PREFIX} down, but these are left:", file=sys.stderr, flush=True)
        for thing in left:
            print(f"{PREFIX}   {thing}", file=sys.stderr, flush=True)
        return False
    if purge:
        print(
            f"{PREFIX} down and purged: no process, mount, network namespace, interface, "
            "firewall rule, cgroup, key, password, disk or backup of the stand-in is left.",
            flush=True,
        )
    else:
        kept = [str(host.directory) for host in servers.HOSTS if host.directory.exists()]
        print(
            f"{PREFIX} down: no process, mount, network namespace, interface, firewall rule or "
            f"cgroup of the stand-in is left. Kept for `up` (`down --purge` deletes them): "
            f"{', '.join([str(config.STATE_DIR), *kept])} (the servers' disks: host keys, "
            "/srv with env files and backups, /etc/cron.d, images)",
            flush=True,
        )
    return True


def status() -> int:
    """Print what is running; exit status 0 only if everything is."""
    running = {each.description: daemons.is_running(each) for each in all_daemons()}
    running |= {
        host.daemon().description: daemons.is_running(host.daemon())
        for host in topology.HOSTS
        if host.directory.exists()
    }
    for description, is_running in running.items():
        print(f"{PREFIX} {description}: {'running' if is_running else 'not running'}")
    for each in config.ENGINES:
        if daemons.is_running(engine.daemon(each)):
            for image in images.IMAGES:
                labels = images.labels(each, image) or {}
                label = labels.get(config.STANDIN_LABEL, "not in the engine")
                print(f"{PREFIX} {each.name} engine, {image.name}: {label}")
    return 0 if all(running.values()) else 1


def env() -> int:
    if not config.SENDER_PASSWORD_FILE.exists():
        print(f"{PREFIX} not set up yet: run `python -m infra.standin up`", file=sys.stderr)
        return 1
    values = operator_env.variables()
    path = operator_env.write_env_file(values)
    sys.stdout.write(operator_env.loading_lines(values, path))
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
    up_parser.add_argument(
        "--topology",
        choices=("single", "multi"),
        default="single",
        help="single: staging and production (default); multi: lb, app and db hosts",
    )
    down_parser = commands.add_parser("down", help="stop everything `up` started")
    down_parser.add_argument("--purge", action="store_true", help="also delete the state dir")
    commands.add_parser("status", help="what is running")
    commands.add_parser(
        "env", help="write the operator's and the tests' variables to a 0600 file; print its name"
    )
    deploy_parser = commands.add_parser(
        "deploy", help="run the deploy playbook for one server, with this shell's EMAIL_PASSWORD"
    )
    deploy_parser.add_argument("server", choices=[server.name for server in config.SERVERS])
    arguments = parser.parse_args()
    if arguments.command == "deploy":
        # Exactly as `ansible-playbook` would: the password this shell exported, if any.
        email_password = os.environ.get("EMAIL_PASSWORD")
        return deploy.run_playbook(arguments.server, email_password).returncode
    if arguments.command == "up":
        if arguments.topology == "multi":
            up_multi(with_deploy=not arguments.no_deploy)
        else:
            up(with_deploy=not arguments.no_deploy)
        return 0
    if arguments.command == "down":
        try:
            packages.require_root()
            return 0 if down(arguments.purge) else 1
        except StepFailed as error:
            print(f"{PREFIX} down failed: {error}", file=sys.stderr)
            return 1
    if arguments.command == "status":
        return status()
    return env()


if __name__ == "__main__":
    sys.exit(main())
