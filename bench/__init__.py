"""The benchmark, ``python -m bench`` (see bench/README.md): each page's throughput and latency
against a ceiling and a floor, queries per request, the test suites' times and the staging
host's; ``python -m bench.instructions`` counts instructions per request under callgrind.

It serves the app with production's gunicorn.conf.py and sends load to this machine's loopback
only, through the kit it shares with the load test (sitekit/), for a fixed time and at most a
fixed number of requests, stopping by itself. Measuring only: nothing here changes the app.
"""
