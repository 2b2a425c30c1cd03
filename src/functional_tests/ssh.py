"""How the harness runs a command on a server: OpenSSH, never asking for a password."""

import subprocess

SSH_TIMEOUT = 60


class RemoteCommandFailed(Exception):
    pass


def ssh_command(destination: str, shell_command: str) -> list[str]:
    """The command line that runs ``shell_command`` (as the remote shell reads it, so quote
    its arguments: ``shlex.join``) on ``destination`` (``user@host``)."""
    return ["ssh", "-o", "BatchMode=yes", destination, shell_command]


def run_over_ssh(destination: str, shell_command: str, timeout: float = SSH_TIMEOUT) -> str:
    """Run ``shell_command`` on ``destination``; its output, or an error naming what failed."""
    try:
        completed = subprocess.run(
            ssh_command(destination, shell_command),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as timed_out:
        raise RemoteCommandFailed(
            f"`{shell_command}` on {destination} took over {timeout} s"
        ) from timed_out
    if completed.returncode != 0:
        raise RemoteCommandFailed(
            f"`{shell_command}` failed on {destination} "
            f"(exit {completed.returncode}):\n{completed.stdout}{completed.stderr}".rstrip()
        )
    return completed.stdout.strip()
