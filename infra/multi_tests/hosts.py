"""What the multi-host tests do on the hosts: run a command over SSH, run the playbooks."""

import shlex
import subprocess
from pathlib import Path

from infra.standin import credentials
from infra.standin import deploy as deploy_module
from infra.standin.isolated_host import IsolatedHost
from loadtest.report import Report

FAILOVER_PLAYBOOK = deploy_module.PLAYBOOK.with_name("failover-playbook.yaml")
REJOIN_PLAYBOOK = deploy_module.PLAYBOOK.with_name("rejoin-playbook.yaml")
PASSED_STAGING_PLAYBOOK = deploy_module.PLAYBOOK.with_name("passed-staging-playbook.yaml")
POSTGRESQL_BIN = "/usr/lib/postgresql/15/bin"  # the role's postgresql_bin_dir
PSQL = f"{POSTGRESQL_BIN}/psql"
APP_DIR = "/srv/superlists"  # the role's app_dir: the app's state on an app host


def on(host: IsolatedHost, command: str, input: str | None = None, timeout: float = 60) -> str:
    """`command`'s output on `host` (over its sshd); AssertionError if it fails."""
    completed = subprocess.run(
        host.ssh(command), input=input, capture_output=True, text=True, timeout=timeout
    )
    if completed.returncode != 0:
        raise AssertionError(f"on {host.name}: `{command}` failed: {completed.stderr}")
    return completed.stdout


def as_postgres(host: IsolatedHost, sql: str, database: str = "postgres") -> str:
    """`sql`'s result (tuples only, unaligned) in `database` on `host`'s own PostgreSQL, as its
    superuser."""
    return on(
        host,
        f"PGHOST=/run/postgresql runuser -u postgres -- {PSQL} -qtAX --set=ON_ERROR_STOP=1 "
        f"-d {database} -c {shlex.quote(sql)}",
    ).strip()


def deploy(*arguments: str) -> subprocess.CompletedProcess[str]:
    """The deploy playbook on every host of the multi-host inventory (`-e ...` arguments)."""
    return deploy_module.run_playbook(
        "all", credentials.sender_password(), *arguments, inventory=deploy_module.MULTI_INVENTORY
    )


def live_image(host: IsolatedHost) -> str:
    return on(host, "docker inspect --format '{{.Image}}' superlists").strip()


def record_passed(image: str) -> subprocess.CompletedProcess[str]:
    """What scripts/release does once staging's FTs pass: record on production (the multi-host
    inventory) that `image` passed."""
    return deploy_module.run_playbook(
        "all",
        credentials.sender_password(),
        "-e",
        f"release_image_id={image}",
        inventory=deploy_module.MULTI_INVENTORY,
        playbook=PASSED_STAGING_PLAYBOOK,
    )


def promote(host: IsolatedHost) -> subprocess.CompletedProcess[str]:
    """The operator's failover command: promote `host`, a standby."""
    return deploy_module.run_playbook(
        host.name,
        credentials.sender_password(),
        "-e",
        f"promote={host.name}",
        inventory=deploy_module.MULTI_INVENTORY,
        playbook=FAILOVER_PLAYBOOK,
    )


def rejoin(host: IsolatedHost, inventory: Path) -> subprocess.CompletedProcess[str]:
    """The operator's command that rebuilds `host` as a standby of the primary `inventory`
    names first."""
    return deploy_module.run_playbook(
        "db",
        credentials.sender_password(),
        "-e",
        f"rejoin={host.name}",
        inventory=inventory,
        playbook=REJOIN_PLAYBOOK,
    )


def proxy_warnings(host: IsolatedHost, since: str = "2m") -> str:
    """The server's side of a failed request: the load balancer's log lines above INFO (Caddy's
    "no upstreams available", a dial that failed) of the last `since`, the access log left out."""
    log = on(host, f"docker logs --since {since} superlists-proxy 2>&1")
    quiet = ('"level":"info"', '"level":"debug"')
    return "\n".join(line for line in log.splitlines() if not any(q in line for q in quiet))


class ServerSide:
    """A fault test's failure message: the load test's report and the load balancer's warnings,
    read from the host only when unittest formats the message, that is when the test fails."""

    def __init__(self, report: Report, lb: IsolatedHost, headline: str = "") -> None:
        self.report, self.lb, self.headline = report, lb, headline

    def after(self, headline: str) -> "ServerSide":
        return ServerSide(self.report, self.lb, headline)

    def __str__(self) -> str:
        try:
            warnings = proxy_warnings(self.lb)
        except (AssertionError, subprocess.TimeoutExpired) as unread:
            warnings = f"(not read: {unread})"
        lines = [self.headline, self.report.summary(), f"{self.lb.name}'s warnings:", warnings]
        return "\n".join(line for line in lines if line)
