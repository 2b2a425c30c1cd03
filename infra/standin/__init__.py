"""A stand-in staging host on this machine, for deploying and testing Superlists without a server.

`python -m infra.standin up` starts, on loopback addresses, what a rented staging server plus a
mail provider would give us: an SSH server in front of a Docker-compatible engine (rootful Podman)
for the deploy playbook, and an SMTP + POP3 mail server for the functional tests. See `config.py`
for every address, port and path, and `__main__.py` for the list of steps.
"""
