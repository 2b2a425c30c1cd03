"""The benchmark suite: `python -m bench` (see README.md, "Performance").

Measuring only: nothing here changes the app. Every load goes to 127.0.0.1, for a fixed time and
at most a fixed number of requests, and stops by itself.
"""
