"""The server's env file, rendered by Ansible's own templating from the role's template."""

import unittest

from infra.tests.role_templates import render_role_template

BASE_VARS = {
    "secret_key": "k",
    "site_host": "staging.example.com",
    "site_url": "https://staging.example.com",
    "hsts_seconds": 3600,
    "hsts_include_subdomains": False,
    "hsts_preload": False,
    "email_host": "smtp.example.com",
    "email_port": 587,
    "email_user": "noreply@example.com",
    "email_use_tls": True,
    "email_password": "",
    "enable_test_fixtures": False,
    "database_url": "",
    "redis_url": "",
    "sentry_dsn": "",
    "backup_keep_days": 14,
}


def render(**overrides: object) -> dict[str, str]:
    lines = render_role_template("superlists.env.j2", {**BASE_VARS, **overrides}).splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


class EnvFileTemplateTest(unittest.TestCase):
    def test_sqlite_by_default(self) -> None:
        env = render()
        self.assertEqual(env["DJANGO_DB_PATH"], "/data/db.sqlite3")
        self.assertNotIn("DATABASE_URL", env)

    def test_database_url_replaces_the_sqlite_file(self) -> None:
        env = render(database_url="postgres://u:p@db.example.com/superlists")
        self.assertEqual(env["DATABASE_URL"], "postgres://u:p@db.example.com/superlists")
        self.assertNotIn("DJANGO_DB_PATH", env)

    def test_no_email_password_line_at_all_without_one(self) -> None:
        self.assertNotIn("EMAIL_PASSWORD", render())
        self.assertEqual(render(email_password="s3cret")["EMAIL_PASSWORD"], "s3cret")

    def test_error_reports_go_where_the_operators_sentry_dsn_says_only_if_set(self) -> None:
        self.assertNotIn("SENTRY_DSN", render())
        dsn = "https://key@sentry.example.com/4"
        self.assertEqual(render(sentry_dsn=dsn)["SENTRY_DSN"], dsn)

    def test_error_reports_name_the_environment_staging_or_production(self) -> None:
        self.assertEqual(render()["SUPERLISTS_ENVIRONMENT"], "production")
        staging = render(enable_test_fixtures=True)
        self.assertEqual(staging["SUPERLISTS_ENVIRONMENT"], "staging")

    def test_login_links_point_to_the_site_url(self) -> None:
        self.assertEqual(render()["SITE_URL"], "https://staging.example.com")

    def test_https_behind_the_proxy(self) -> None:
        env = render()
        self.assertEqual(env["DJANGO_HTTPS"], "1")
        self.assertEqual(env["DJANGO_HSTS_SECONDS"], "3600")
        self.assertEqual(env["DJANGO_REVERSE_PROXIES"], "1")

    def test_hsts_subdomains_and_preload_only_when_the_inventory_opts_in(self) -> None:
        env = render()
        self.assertEqual(env["DJANGO_HSTS_INCLUDE_SUBDOMAINS"], "0")
        self.assertEqual(env["DJANGO_HSTS_PRELOAD"], "0")
        env = render(hsts_include_subdomains=True, hsts_preload=True)
        self.assertEqual(env["DJANGO_HSTS_INCLUDE_SUBDOMAINS"], "1")
        self.assertEqual(env["DJANGO_HSTS_PRELOAD"], "1")

    def test_a_plain_http_site_url_turns_https_off_but_keeps_the_proxy(self) -> None:
        env = render(site_url="http://staging.example.com")
        self.assertNotIn("DJANGO_HTTPS", env)
        self.assertEqual(env["DJANGO_REVERSE_PROXIES"], "1")

    def test_redis_only_where_given(self) -> None:
        self.assertNotIn("REDIS_URL", render())
        self.assertEqual(render(redis_url="redis://r:6379/0")["REDIS_URL"], "redis://r:6379/0")

    def test_backups_go_to_the_mounted_directory(self) -> None:
        env = render(backup_keep_days=7)
        self.assertEqual(env["DJANGO_BACKUP_DIR"], "/backups")
        self.assertEqual(env["DJANGO_BACKUP_KEEP_DAYS"], "7")

    def test_no_variable_enables_the_fixtures_even_on_staging(self) -> None:
        # A staging host's container gets a read-only marker file instead (see the role).
        self.assertNotIn("DJANGO_ENABLE_TEST_FIXTURES", render(enable_test_fixtures=True))


if __name__ == "__main__":
    unittest.main()
