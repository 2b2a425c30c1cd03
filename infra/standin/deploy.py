"""Deploy to the stand-in hosts with the real playbook, exactly as an operator would."""

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from . import config, operator_env

PLAYBOOK = config.REPO_ROOT / "infra" / "deploy-playbook.yaml"
INVENTORY = config.REPO_ROOT / "infra" / "inventory.standin.yaml"
MULTI_INVENTORY = config.REPO_ROOT / "infra" / "inventory.standin-multi.yaml"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"


def playbook_environment(
    caller_environment: Mapping[str, str], email_password: str | None
) -> dict[str, str]:
    """The environment ansible-playbook runs in: the caller's, with the stand-in's facts
    (DOCKER_HOST for the local build, ...), and EMAIL_PASSWORD only if `email_password` is
    given. Without it the playbook does what it does for an operator who forgot to export it:
    it warns, and the server gets no password."""
    environment = {
        **caller_environment,
        **operator_env.variables(),
        "ANSIBLE_FORCE_COLOR": "0",
        # The repository's settings (one SSH connection per host), whatever the working directory.
        "ANSIBLE_CONFIG": str(config.REPO_ROOT / "ansible.cfg"),
    }
    del environment["EMAIL_PASSWORD"]
    if email_password:
        environment["EMAIL_PASSWORD"] = email_password
    return environment


def run_playbook(
    group: str,
    email_password: str | None,
    *arguments: str,
    inventory: Path = INVENTORY,
    playbook: Path = PLAYBOOK,
) -> subprocess.CompletedProcess[str]:
    """Run the playbook for the inventory group `group` (staging or production), with
    `email_password` as the operator's EMAIL_PASSWORD (None: not set), and any more
    `arguments` for ansible-playbook (`-e rollback=true`, say).

    The output is returned, and also printed as it comes.
    """
    environment = playbook_environment(os.environ, email_password)
    command: list[str | Path] = [ANSIBLE_PLAYBOOK, "-i", inventory, playbook, "--limit", group]
    command += arguments
    output = []
    with subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None  # stdout=PIPE
        for line in process.stdout:
            print(line, end="", flush=True)
            output.append(line)
    return subprocess.CompletedProcess(command, process.returncode, "".join(output), "")
