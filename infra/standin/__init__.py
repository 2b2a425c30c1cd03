"""Stand-in hosts on this machine, for deploying and testing Superlists without a server.

`python -m infra.standin up` starts what a rented staging server, a production server and a mail
provider would give us: two separate servers (staging and a fake production), each an SSH
server in front of its own Docker-compatible engine (rootful Podman), for the deploy playbook;
an engine for the operator's own builds; and an SMTP + POP3 mail server for the functional
tests. See `config.py` for every address, port and path, `__main__.py` for the list of steps,
and `daemons.py` for how each daemon is started and stopped.
"""
