"""The performance tools, one package (see bench/README.md):

- the benchmark, ``python -m bench``: each page's throughput and latency against a ceiling and
  a floor, queries per request, the test suites' times, and the staging host's;
- the load test, ``python -m bench.loadtest``: concurrent visitors on running instances, then
  an audit that nothing acknowledged was lost, duplicated or wrongly changed.

Both serve the app with production's gunicorn.conf.py (bench.gunicorn_server), drive it with
one web client (bench.web_client), and send load to this machine's loopback only
(bench.loopback), for a fixed time and at most a fixed number of requests, stopping by itself.
Measuring only: nothing here changes the app.
"""
