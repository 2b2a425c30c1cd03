"""gunicorn's settings for Superlists, in one place: production's.

The image runs ``gunicorn -c /etc/gunicorn.conf.py superlists.wsgi:application`` (see the
Dockerfile). The benchmark and the load test start gunicorn with this same file (through
sitekit/gunicorn_server.py), so that they measure what production serves with; they only put it
on a free loopback port, with ``--bind`` on the command line, which overrides ``bind`` here.
Each name is one of gunicorn's settings (https://docs.gunicorn.org/en/stable/settings.html).
"""

# The port the Dockerfile EXPOSEs and its HEALTHCHECK asks; the playbook publishes it.
bind = [":8888"]

# Two sync workers: one per core of our 2-core machines. The benchmark's figures are for this.
worker_class = "sync"
workers = 2

# No access log from gunicorn: the app writes a line per request itself
# (src/superlists/request_logging.py), with what gunicorn's lacked: the client's real address
# (gunicorn sees only the proxy's, or the container bridge's), the request ID, the user's
# pseudonym; and without what it must not have: query strings (login links carry their token
# in one), Referers, email addresses in paths. gunicorn's own log (workers starting, timeouts)
# still goes to stderr, where `docker logs` finds it.
accesslog = None

# No control socket: nothing uses it, and the image's non-root user has no home to put it in.
control_socket_disable = True

# Metrics across the workers: prometheus-client's multiprocess mode needs a directory for the
# workers' counts, made before they start (superlists/metrics_processes.py says how).
from observability.metrics_processes import child_exit, on_exit, on_starting  # noqa: E402, F401
