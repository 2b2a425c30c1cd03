"""gunicorn's settings for Superlists, in one place: production's.

The image runs ``gunicorn -c /etc/gunicorn.conf.py superlists.wsgi:application`` (see the
Dockerfile). The benchmark and the load test start gunicorn with this same file (through
bench/gunicorn_server.py), so that they measure what production serves with; they only put it
on a free loopback port, with ``--bind`` on the command line, which overrides ``bind`` here.
Each name is one of gunicorn's settings (https://docs.gunicorn.org/en/stable/settings.html).
"""

# The port the Dockerfile EXPOSEs and its HEALTHCHECK asks; the playbook publishes it.
bind = [":8888"]

# Two sync workers: one per core of our 2-core machines. The benchmark's figures are for this.
worker_class = "sync"
workers = 2

# The access log goes to stdout, where `docker logs` finds it. Its request line is the path
# without the query string (%(U)s, not %(r)s), and it has no Referer (%(f)s): login links carry
# their token in the query string (/accounts/login?token=…), and the confirmation page's own
# requests would send that URL as their Referer. A token in a log is a login for whoever reads it.
accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'

# No control socket: nothing uses it, and the image's non-root user has no home to put it in.
control_socket_disable = True
