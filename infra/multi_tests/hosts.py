"""What the multi-host tests do on the hosts: run a command over SSH, run the playbooks."""

import shlex
import subprocess

from infra.standin import credentials, deploy
from infra.standin.isolated_host import IsolatedHost

FAILOVER_PLAYBOOK = deploy.PLAYBOOK.with_name("failover-playbook.yaml")
PSQL = "/usr/lib/postgresql/15/bin/psql"


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


def promote(host: IsolatedHost) -> subprocess.CompletedProcess[str]:
    """The operator's failover command: promote `host`, a standby."""
    return deploy.run_playbook(
        host.name,
        credentials.sender_password(),
        "-e",
        f"promote={host.name}",
        inventory=deploy.MULTI_INVENTORY,
        playbook=FAILOVER_PLAYBOOK,
    )
