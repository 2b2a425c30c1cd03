"""Tests that need the stand-in hosts up and deployed: scripts/test-staging runs them with
Django's test runner (`src/manage.py test infra.staging_tests`), which sets Django up for their
imports of the app's messages and FT helpers; nothing here uses the local test database.
"""
