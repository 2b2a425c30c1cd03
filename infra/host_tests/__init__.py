"""Tests of the stand-in's isolated hosts (infra/standin/isolated_host): they need root, make
network namespaces and take seconds. scripts/test-hosts runs them with Django's test runner
(`src/manage.py test infra.host_tests`), as scripts/test-staging runs infra.staging_tests.
"""
