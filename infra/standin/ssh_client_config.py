"""The block `up` adds to ~/.ssh/config so that `ssh root@ADDRESS` reaches a stand-in host as it
would a real server.

The block goes at the top of the file: ssh uses the first value it finds for each option, so
our IdentityFile and known-hosts settings win over any `Host *` further down. It ends with
`Host *` so that lines the user had at the top of the file (options for every host) still apply
to every host after our block is put in front of them. `down` removes exactly the block.
"""

from pathlib import Path

from . import config, footprint

BEGIN = "# BEGIN superlists stand-in (added by `python -m infra.standin up`, removed by `down`)"
END = "# END superlists stand-in hosts"


def block() -> str:
    # Every isolated host, of either topology: each host key is in that host's own known_hosts.
    from .servers import HOSTS as SERVER_HOSTS  # these import sshd, which imports this
    from .topology import HOSTS as MULTI_HOSTS

    hosts = (*SERVER_HOSTS, *MULTI_HOSTS)
    return "\n".join(
        [
            BEGIN,
            f"Host {' '.join(host.address for host in hosts)}",
            f"    IdentityFile {config.OPERATOR_KEY}",
            "    IdentitiesOnly yes",
            f"    UserKnownHostsFile {' '.join(str(host.known_hosts) for host in hosts)}",
            "    StrictHostKeyChecking yes",
            "Host *",
            END,
            "",
        ]
    )


def without_block(text: str) -> str:
    """`text` with our block (if any) removed, byte for byte as it was before we added it."""
    start = text.find(BEGIN)
    if start == -1:
        return text
    end = text.find(END, start)
    if end == -1:
        return text  # someone edited our block: leave the file alone rather than guess
    end += len(END)
    if text[end : end + 1] == "\n":
        end += 1
    return text[:start] + text[end:]


def with_block(text: str) -> str:
    """`text` with our (current) block at the top, replacing any older copy of it."""
    return block() + without_block(text)


def install(path: Path = config.USER_SSH_CONFIG) -> None:
    footprint.ensure_directory(path.parent, mode=0o700)
    if not path.exists():
        path.touch(mode=0o600)
        footprint.record("file", str(path))
    current = path.read_text()
    if with_block(current) != current:
        path.write_text(with_block(current))


def remove(path: Path = config.USER_SSH_CONFIG) -> None:
    if path.exists():
        remaining = without_block(path.read_text())
        if remaining == "" and footprint.was_created("file", str(path)):
            path.unlink()
        else:
            path.write_text(remaining)
    footprint.forget("file", str(path))
    footprint.remove_directory_if_created(path.parent)
