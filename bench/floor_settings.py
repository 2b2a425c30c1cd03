"""The benchmark's production settings, routed to the floor's two views (bench.floor_app)."""

from bench.isolated_settings import *  # noqa: F403  (the same settings and middleware)

ROOT_URLCONF = "bench.floor_app"
