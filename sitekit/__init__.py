"""The small kit the benchmark (bench/), the load test (loadtest/) and infra's staging tests share,
kept apart so that neither tool imports the other:

- web_client.py: the one browser-like HTTP client (cookies, CSRF tokens, redirects only when
  asked), also used by infra/staging_tests;
- loopback.py: the one guard that load goes to this machine only, and free ports there;
- gunicorn_server.py: the one way the tools start gunicorn, with production's gunicorn.conf.py;
- production_env.py, instances.py, mail_sink.py: a production-mode site on this machine, its
  database ready, its email caught by an SMTP server here;
- child_process.py: Python child processes run to their end, their output or a clear error.
"""
