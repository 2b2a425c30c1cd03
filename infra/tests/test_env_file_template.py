"""The server's env file, rendered by Ansible's own templating from the role's template."""

import json
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = REPO_ROOT / "infra" / "roles" / "superlists" / "templates" / "superlists.env.j2"
ANSIBLE = Path(sys.executable).parent / "ansible"

BASE_VARS = {
    "secret_key": "k",
    "site_host": "staging.example.com",
    "site_url": "http://staging.example.com",
    "email_host": "smtp.example.com",
    "email_port": 587,
    "email_user": "noreply@example.com",
    "email_use_tls": True,
    "email_password": "",
    "enable_test_fixtures": False,
    "database_url": "",
}


def render(**overrides: object) -> dict[str, str]:
    """Render the template with Ansible's `template` module, locally; parse the result."""
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "superlists.env"
        variables = json.dumps({**BASE_VARS, **overrides})
        result = subprocess.run(
            [
                ANSIBLE,
                "localhost",
                "-c",
                "local",
                "-m",
                "ansible.builtin.template",
                "-a",
                f"src={TEMPLATE} dest={output}",
                "-e",
                variables,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        lines = output.read_text().splitlines()
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

    def test_login_links_point_to_the_site_url(self) -> None:
        self.assertEqual(render()["SITE_URL"], "http://staging.example.com")

    def test_no_variable_enables_the_fixtures_even_on_staging(self) -> None:
        # A staging host's container gets a read-only marker file instead (see the role).
        self.assertNotIn("DJANGO_ENABLE_TEST_FIXTURES", render(enable_test_fixtures=True))


if __name__ == "__main__":
    unittest.main()
