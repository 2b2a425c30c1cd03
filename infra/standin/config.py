"""Every fact about the stand-in staging host, defined once and read everywhere else.

The "hosts" are loopback aliases of this machine (the whole of 127.0.0.0/8 is loopback), so
nothing here ever sends traffic off the machine: staging and the fake production host share one
sshd and one container engine and are told apart by address (the playbook's inventory names the
app containers differently on each).
"""

from pathlib import Path

# --- Hosts -------------------------------------------------------------------------------------
STAGING_HOST = "127.0.10.1"
PRODUCTION_HOST = "127.0.10.2"
SSH_HOSTS = (STAGING_HOST, PRODUCTION_HOST)
SSH_PORT = 22
SSH_USER = "root"

MAIL_HOST = "127.0.10.3"
MAIL_DOMAIN = "superlists.test"
SMTP_PORT = 587
POP3_PORT = 110

# --- Directories -------------------------------------------------------------------------------
REPO_ROOT = Path(__file__).resolve().parents[2]
# Persistent: keys, generated passwords, the cached base rootfs, the engine's images, Maildirs.
STATE_DIR = Path("/var/lib/superlists-standin")
# Ephemeral: PID files, sockets, logs, generated daemon configs.
RUNTIME_DIR = Path("/run/superlists-standin")

SECRETS_DIR = STATE_DIR / "secrets"  # mode 700: private keys and passwords
MAIL_ROOT = STATE_DIR / "mail"  # one home per mailbox, each with a Maildir
BASE_IMAGE_CACHE_DIR = STATE_DIR / "base-image"
ENGINE_GRAPH_ROOT = STATE_DIR / "containers"
# Things `up` created outside its own directories, so that `down` can undo exactly those.
CREATED_MARKERS_DIR = STATE_DIR / "created"
LOG_DIR = RUNTIME_DIR / "logs"

# --- Container engine (rootful Podman with a Docker-compatible API) ----------------------------
ENGINE_SOCKET = RUNTIME_DIR / "podman.sock"
DOCKER_HOST = f"unix://{ENGINE_SOCKET}"
ENGINE_CONTAINERS_CONF = RUNTIME_DIR / "containers.conf"
ENGINE_STORAGE_CONF = RUNTIME_DIR / "storage.conf"
ENGINE_RUN_ROOT = RUNTIME_DIR / "containers"
# Podman's default bridge network: the app containers run on it, and it is how they reach
# the mail server (see EMAIL_HOST_FOR_CONTAINERS). Pinned in our containers.conf.
CONTAINER_NETWORK = "podman"
CONTAINER_SUBNET = "10.88.0.0/16"
CONTAINER_GATEWAY = "10.88.0.1"
# This sandbox cannot raise rlimits, so containers must ask for no more than the host's 20000.
CONTAINER_ULIMITS = ("nofile=4096:4096", "nproc=4096:4096")
# crun fails on cgroups here; runc works.
CONTAINER_RUNTIME = "runc"

# --- Base image --------------------------------------------------------------------------------
# No registry is reachable, so the Dockerfile's `FROM python:3.11-slim` is satisfied by an image
# built offline from Debian packages and imported under the official name.
BASE_IMAGE = "docker.io/library/python:3.11-slim"
STANDIN_LABEL = "org.superlists.standin"
STANDIN_LABEL_VALUE = "debootstrap stand-in for python:3.11-slim, not the official image"
DEBIAN_SUITE = "bookworm"
BASE_IMAGE_PACKAGES = ("python3", "python3-venv", "python-is-python3", "ca-certificates")
BASE_ROOTFS_TARBALL = BASE_IMAGE_CACHE_DIR / f"python-3.11-slim-standin-{DEBIAN_SUITE}.tar"
# The network here re-signs TLS with a private CA: pip inside containers must trust it too.
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")

# --- SSH ---------------------------------------------------------------------------------------
SSHD_CONFIG = RUNTIME_DIR / "sshd_config"
SSH_HOST_KEY = SECRETS_DIR / "ssh_host_ed25519_key"
OPERATOR_KEY = SECRETS_DIR / "operator_ed25519"
AUTHORIZED_KEYS = SECRETS_DIR / "authorized_keys"
KNOWN_HOSTS = STATE_DIR / "known_hosts"
USER_SSH_CONFIG = Path.home() / ".ssh" / "config"
# What Ansible should use as ansible_python_interpreter on the stand-in hosts: Debian's Python,
# with python3-docker and python3-requests for the community.docker modules.
REMOTE_PYTHON = "/usr/bin/python3"

# --- Mail --------------------------------------------------------------------------------------
SENDER_ACCOUNT = f"noreply@{MAIL_DOMAIN}"
TEST_MAILBOX = "tester"
MAILBOXES = (TEST_MAILBOX,)
TEST_EMAIL_ADDRESS = f"{TEST_MAILBOX}@{MAIL_DOMAIN}"
# Dovecot refuses to serve mail as UID 0, so the Maildirs belong to this system user.
MAIL_SYSTEM_USER = "vmail"
SENDER_PASSWORD_FILE = SECRETS_DIR / "smtp-noreply.password"
MAILBOX_PASSWORD_FILES = {name: SECRETS_DIR / f"pop3-{name}.password" for name in MAILBOXES}
DOVECOT_BASE_DIR = RUNTIME_DIR / "dovecot"
DOVECOT_CONFIG = RUNTIME_DIR / "dovecot.conf"
DOVECOT_PASSWD_FILE = RUNTIME_DIR / "dovecot.passwd"
# A container cannot reach the host's 127.x addresses, so the SMTP server also listens on the
# bridge gateway; Podman puts this name in every container's /etc/hosts, pointing at it.
EMAIL_HOST_FOR_CONTAINERS = "host.containers.internal"
SMTP_LISTEN_ADDRESSES = (MAIL_HOST, CONTAINER_GATEWAY)

# --- Packages ----------------------------------------------------------------------------------
APT_PACKAGES = (
    "podman",
    "runc",
    "netavark",
    "iptables",
    "debootstrap",
    "openssh-server",
    "openssh-client",
    "dovecot-core",
    "dovecot-pop3d",
    # For Ansible's community.docker modules, run by REMOTE_PYTHON on the "host".
    "python3-docker",
    "python3-requests",
)


def log_file(name: str) -> Path:
    return LOG_DIR / f"{name}.log"


def pid_file(name: str) -> Path:
    return RUNTIME_DIR / f"{name}.pid"
