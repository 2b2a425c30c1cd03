"""Tests of the multi-host stand-in (`python -m infra.standin up --topology multi`, which
scripts/test-staging-multi runs first): they use its hosts and fail, never skip, when it is down."""
