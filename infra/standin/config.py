"""Every fact about the stand-in hosts, defined once and read everywhere else.

The stand-in is separate machines on one, each a server of its own:

- the **operator's machine** (this one), where the playbook runs and builds the image in its own
  rootful Podman engine (the operator's "local Docker", `DOCKER_HOST` of
  `python -m infra.standin env`), and where the mail server and the error receiver run;
- **staging** and a fake **production** (`up`), or a load balancer, app and database hosts
  (`up --topology multi`): each an isolated host (isolated_host) with its own network, mount,
  PID and UTS namespaces, so its own address, hostname, /srv, /etc/cron.d, processes, sshd and
  Podman engine. The operator's side reaches a host only at its address (its sshd and the ports
  it publishes); staging and production reach nothing but the operator's end of their own link.

Their addresses are in ISOLATED_HOSTS_SUBNET, a private subnet made of the stand-in's own veth
pairs: no traffic to them ever leaves the machine.
"""

import ipaddress
from dataclasses import dataclass
from pathlib import Path

# --- Directories -------------------------------------------------------------------------------
REPO_ROOT = Path(__file__).resolve().parents[2]
# Persistent: keys, generated passwords, the cached rootfs, each engine's images, Maildirs.
STATE_DIR = Path("/var/lib/superlists-standin")
# Ephemeral: PID files, sockets, logs, generated daemon configs.
RUNTIME_DIR = Path("/run/superlists-standin")

SECRETS_DIR = STATE_DIR / "secrets"  # mode 700: private keys and passwords
MAIL_ROOT = STATE_DIR / "mail"  # one home per mailbox, each with a Maildir
ROOTFS_CACHE_DIR = STATE_DIR / "rootfs"
# Things `up` created outside its own directories, so that `down` can undo exactly those.
CREATED_MARKERS_DIR = STATE_DIR / "created"
LOG_DIR = RUNTIME_DIR / "logs"

# Every process the stand-in starts (and every SSH session on its hosts) carries this variable,
# so that `down` can find any of them that outlived its parent.
PROCESS_MARKER = "SUPERLISTS_STANDIN"


# --- Container engines (rootful Podman, each with a Docker-compatible API) ---------------------
@dataclass(frozen=True)
class Engine:
    """One Podman engine: its own storage, configuration, API socket and bridge network.

    Everything Podman reads comes from the engine's own containers.conf and storage.conf
    (CONTAINERS_CONF / CONTAINERS_STORAGE_CONF), never from /etc/containers.
    """

    name: str
    # Its default bridge network: the containers run on it, and through its gateway they reach
    # the mail server (see EMAIL_HOST_FOR_CONTAINERS). Own name, interface and subnet per
    # engine, so that two engines' netavark networks and firewall rules never collide.
    subnet: str
    gateway: str

    @property
    def network_name(self) -> str:
        return f"superlists-{self.name}"

    @property
    def bridge(self) -> str:
        return f"sl-{self.name}"  # interface names have at most 15 characters

    @property
    def state_dir(self) -> Path:
        return STATE_DIR / "engines" / self.name

    @property
    def runtime_dir(self) -> Path:
        return RUNTIME_DIR / "engines" / self.name

    @property
    def graph_root(self) -> Path:
        return self.state_dir / "storage"

    @property
    def run_root(self) -> Path:
        return self.runtime_dir / "storage"

    @property
    def tmp_dir(self) -> Path:
        return self.runtime_dir / "libpod"

    @property
    def network_config_dir(self) -> Path:
        return self.runtime_dir / "networks"

    @property
    def containers_conf(self) -> Path:
        return self.runtime_dir / "containers.conf"

    @property
    def storage_conf(self) -> Path:
        return self.runtime_dir / "storage.conf"

    @property
    def socket(self) -> Path:
        return self.runtime_dir / "podman.sock"

    @property
    def docker_host(self) -> str:
        return f"unix://{self.socket}"

    @property
    def daemon_name(self) -> str:
        return f"podman-{self.name}"

    def podman_environment(self) -> dict[str, str]:
        """What makes `podman` (the CLI, and the API service) use this engine and no other."""
        return {
            "CONTAINERS_CONF": str(self.containers_conf),
            "CONTAINERS_STORAGE_CONF": str(self.storage_conf),
        }

    def client_environment(self) -> dict[str, str]:
        """What makes both `docker` and `podman` use this engine."""
        return {"DOCKER_HOST": self.docker_host, **self.podman_environment()}


OPERATOR_ENGINE = Engine("operator", subnet="10.88.10.0/24", gateway="10.88.10.1")
# The servers' engines run inside their isolated hosts (isolated_host), each its own.
ENGINES = (OPERATOR_ENGINE,)

# This sandbox cannot raise rlimits, so containers must ask for no more than the host's 20000.
CONTAINER_ULIMITS = ("nofile=4096:4096", "nproc=4096:4096")
# crun fails on cgroups here; runc works.
CONTAINER_RUNTIME = "runc"


# --- Isolated hosts (isolated_host): each a machine of its own, in its own namespaces --------
# Their links to the operator's side: one /30 of this subnet per host (the operator's end, then
# the host's address). Nothing routes it anywhere else: every address in it is an end of a veth
# pair the stand-in made itself.
ISOLATED_HOSTS_SUBNET = "10.88.20.0/24"
# The default network of each isolated host's engine; each host has its own network stack, so
# they all use the same one.
ISOLATED_HOST_CONTAINER_SUBNET = "10.88.21.0/24"
ISOLATED_HOSTS_DIR = STATE_DIR / "hosts"
# Their network namespaces and interfaces are named with it, so that `down` finds them all.
ISOLATED_HOST_PREFIX = "slh-"


def isolated_host_link(index: int) -> tuple[str, str]:
    """The operator's end and the host's address of the `index`th /30 of ISOLATED_HOSTS_SUBNET."""
    link = list(ipaddress.IPv4Network(ISOLATED_HOSTS_SUBNET).subnets(new_prefix=30))[index]
    operator_end, host_end = (str(address) for address in link.hosts())
    return operator_end, host_end


# --- The multi-host topology (`up --topology multi`, infra/inventory.standin-multi.yaml) -------
# Each group of the inventory, and its isolated hosts as (name, link index). The indexes start
# at 8, clear of the ones infra/host_tests (0, 1) and the servers below (2, 3) use.
MULTI_HOST_GROUPS: dict[str, tuple[tuple[str, int], ...]] = {
    "lb": (("lb1", 8),),
    "app": (("app1", 9), ("app2", 10)),
    "db": (("db1", 11), ("db2", 12)),
}
# The app hosts' containers send mail to the SMTP server at their host's operator's end (the
# app host's only way out), so it listens there too.
MULTI_APP_MAIL_HOSTS = tuple(
    isolated_host_link(index)[0] for _name, index in MULTI_HOST_GROUPS["app"]
)


# --- Servers of `up` (infra/inventory.standin.yaml): each an isolated host --------------------
SSH_PORT = 22
SSH_USER = "root"


@dataclass(frozen=True)
class Server:
    """A stand-in server: an isolated host (servers.host_of makes it) whose address is the host's
    end of the `link`th /30 of ISOLATED_HOSTS_SUBNET. Its SSH sessions reach its own engine as a
    real server's reach /var/run/docker.sock, and nothing of the other server."""

    name: str  # its inventory group and its hostname
    # Its isolated host's name, which names its network namespace, interfaces and directory
    # (at most 8 characters: Linux's interface names are short).
    machine: str
    link: int
    # What the deploy makes there, as infra/inventory.standin.yaml sets it (a test holds them
    # equal): the app's container, its directory on the host, and its cron file.
    container_name: str
    app_dir: Path
    cron_file: Path

    @property
    def address(self) -> str:
        return isolated_host_link(self.link)[1]

    @property
    def operator_end(self) -> str:
        """This machine's end of the server's link: where the server's containers reach the
        mail server and the error receiver (as host.containers.internal)."""
        return isolated_host_link(self.link)[0]


STAGING = Server(
    "staging",
    "staging",
    2,
    container_name="superlists",
    app_dir=Path("/srv/superlists"),
    cron_file=Path("/etc/cron.d/superlists-superlists"),
)
PRODUCTION = Server(
    "production",
    "prod",
    3,
    container_name="superlists-production",
    app_dir=Path("/srv/superlists-production"),
    cron_file=Path("/etc/cron.d/superlists-superlists-production"),
)
SERVERS = (STAGING, PRODUCTION)

STAGING_HOST = STAGING.address
PRODUCTION_HOST = PRODUCTION.address
SSH_HOSTS = tuple(server.address for server in SERVERS)
# The operator's local Docker, where the playbook builds the image.
DOCKER_HOST = OPERATOR_ENGINE.docker_host


def server_at(address: str) -> Server:
    for server in SERVERS:
        if server.address == address:
            return server
    raise KeyError(f"no stand-in server at {address}")


# --- SSH (client side) -------------------------------------------------------------------------
OPERATOR_KEY = SECRETS_DIR / "operator_ed25519"
# Each server's TLS proxy signs with its own CA; the deploy fetches each root into CA_DIR and
# puts them all in CA_BUNDLE, which the FTs' browser and HTTP clients trust (the inventory's
# local_ca_dir and local_ca_bundle: a test checks they agree).
CA_DIR = STATE_DIR / "ca"
CA_BUNDLE = STATE_DIR / "ca-bundle.pem"
USER_SSH_CONFIG = Path.home() / ".ssh" / "config"
# What Ansible should use as ansible_python_interpreter on the stand-in hosts: Debian's Python,
# with python3-docker and python3-requests for the community.docker modules.
REMOTE_PYTHON = "/usr/bin/python3"


# --- Images ------------------------------------------------------------------------------------
# No registry is reachable, so the official images the deploy needs are stood in for by one
# Debian rootfs, built offline with debootstrap, cached, and imported into every engine under
# the official names, each labelled as a stand-in.
DEBIAN_SUITE = "bookworm"
ROOTFS_PACKAGES = (
    # python:3.11-slim
    "python3",
    "python3-venv",
    "python-is-python3",
    "ca-certificates",
    # caddy:2.6
    "caddy",
)
STANDIN_LABEL = "org.superlists.standin"
PYTHON_IMAGE = "docker.io/library/python:3.11-slim"
CADDY_IMAGE = "docker.io/library/caddy:2.6"
# The network here re-signs TLS with a private CA: pip inside containers must trust it too.
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


# --- Mail --------------------------------------------------------------------------------------
MAIL_HOST = "127.0.10.3"
MAIL_DOMAIN = "superlists.test"
SMTP_PORT = 587
POP3_PORT = 110
SENDER_ACCOUNT = f"noreply@{MAIL_DOMAIN}"
TEST_MAILBOX = "tester"
MAILBOXES = (TEST_MAILBOX,)
TEST_EMAIL_ADDRESS = f"{TEST_MAILBOX}@{MAIL_DOMAIN}"
# Dovecot refuses to serve mail as UID 0, so the Maildirs belong to this system user.
MAIL_SYSTEM_USER = "vmail"
SENDER_PASSWORD_FILE = SECRETS_DIR / "smtp-noreply.password"
MAILBOX_PASSWORD_FILES = {name: SECRETS_DIR / f"pop3-{name}.password" for name in MAILBOXES}
# The multi-host topology's PostgreSQL: the app's role, and the standbys' replication role.
DATABASE_PASSWORD_FILE = SECRETS_DIR / "postgresql-superlists.password"
REPLICATION_PASSWORD_FILE = SECRETS_DIR / "postgresql-replicator.password"
MAIL_RUNTIME_DIR = RUNTIME_DIR / "mail"
DOVECOT_BASE_DIR = MAIL_RUNTIME_DIR / "dovecot"
DOVECOT_CONFIG = MAIL_RUNTIME_DIR / "dovecot.conf"
DOVECOT_PASSWD_FILE = MAIL_RUNTIME_DIR / "dovecot.passwd"
# A server's containers reach only the operator's end of their host's link, so the SMTP server
# also listens there; Podman puts this name in every container's /etc/hosts, and each isolated
# host's engine points it at that end (host_containers_internal_ip).
EMAIL_HOST_FOR_CONTAINERS = "host.containers.internal"
SMTP_LISTEN_ADDRESSES = (
    MAIL_HOST,
    *(server.operator_end for server in SERVERS),
    *MULTI_APP_MAIL_HOSTS,
)
# The error receiver (kent, a fake Sentry) on the same addresses: error reports from the
# containers, read back by the staging tests from this machine.
ERROR_RECEIVER_PORT = 9010
ERROR_RECEIVER_LISTEN_ADDRESSES = SMTP_LISTEN_ADDRESSES
ERROR_RECEIVER_URL = f"http://{MAIL_HOST}:{ERROR_RECEIVER_PORT}"
# As the app's containers reach it; kent takes any key and project, so the DSN's "public" and
# "1" are placeholders.
SENTRY_DSN_FOR_CONTAINERS = f"http://public@{EMAIL_HOST_FOR_CONTAINERS}:{ERROR_RECEIVER_PORT}/1"

# --- Packages ----------------------------------------------------------------------------------
APT_PACKAGES = (
    "podman",
    "runc",
    "netavark",
    "iptables",
    # `nft`: `down` looks for nftables tables the engines' iptables rules created.
    "nftables",
    "debootstrap",
    "openssh-server",
    "openssh-client",
    "dovecot-core",
    "dovecot-pop3d",
    # For Ansible's community.docker modules, run by REMOTE_PYTHON on the "host".
    "python3-docker",
    "python3-requests",
    # Debian's cron: the deploy's daily backup fires on the stand-in hosts as on a server.
    "cron",
    # The isolated hosts: `ip netns` and veths (iproute2), `unshare` and `nsenter` (util-linux).
    "iproute2",
    "util-linux",
)
# The multi-host topology's db hosts run Debian's PostgreSQL from the machine's /usr, which an
# isolated host shares (as a real db host would have it from apt).
MULTI_APT_PACKAGES = (*APT_PACKAGES, "postgresql-15")


def log_file(name: str) -> Path:
    return LOG_DIR / f"{name}.log"


def pid_file(name: str) -> Path:
    return RUNTIME_DIR / "pids" / f"{name}.pid"
