"""Deploy to the stand-in hosts with the real playbook, exactly as an operator would."""

import os
import subprocess
import sys
from pathlib import Path

from . import config, operator_env

PLAYBOOK = config.REPO_ROOT / "infra" / "deploy-playbook.yaml"
INVENTORY = config.REPO_ROOT / "infra" / "inventory.standin.yaml"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"


def run_playbook(limit: str, with_email_password: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the playbook for the inventory group ``limit`` (staging or production).

    The operator's environment is the stand-in's (DOCKER_HOST for the local build,
    EMAIL_PASSWORD for the env file); ``with_email_password=False`` deploys as an operator who
    forgot to export it. The output is returned, and also printed as it comes.
    """
    environment = {**os.environ, **operator_env.variables(), "ANSIBLE_FORCE_COLOR": "0"}
    if not with_email_password:
        del environment["EMAIL_PASSWORD"]
    command: list[str | Path] = [ANSIBLE_PLAYBOOK, "-i", INVENTORY, PLAYBOOK, "--limit", limit]
    output = []
    with subprocess.Popen(
        command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None  # stdout=PIPE
        for line in process.stdout:
            print(line, end="", flush=True)
            output.append(line)
    return subprocess.CompletedProcess(command, process.returncode, "".join(output), "")
