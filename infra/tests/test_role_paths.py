"""Every path of the deploy is defined once, in the role's defaults: the tasks and templates use
those variables and name no path themselves (issue 22: the server_state template spelled the
cron file's path out again, so a deploy with another cron_file compared the wrong file). The
paths inside the app's container are the image's: held here to the Dockerfile and to the code
that reads them."""

import re
import unittest
from pathlib import Path

from infra.tests.role_templates import TEMPLATES, role_defaults
from operations import production_guard
from operations.views import DRAINING

ROLE = TEMPLATES.parent
DOCKERFILE = ROLE.parents[2] / "Dockerfile"
# Where a deploy's files live: any of these as the start of a path is a path named in place.
FILESYSTEM_ROOTS = ("srv", "etc", "data", "backups", "tmp", "config", "var", "usr", "run", "opt")
LITERAL_PATH = re.compile(rf"(?<![\w.{{}}:/-])/(?:{'|'.join(FILESYSTEM_ROOTS)})\b")
# A path made from app_dir in place: `app_dir ~ '/x'`, `{{ app_dir }}/x`, `{{ app_dir | quote }}/x`.
COMPOSED_FROM_APP_DIR = re.compile(r"app_dir\s*~|\{\{\s*app_dir\s*(?:\|\s*quote\s*)?\}\}/")


def role_files() -> list[Path]:
    return sorted([*(ROLE / "tasks").glob("*.yaml"), *(ROLE / "templates").iterdir()])


def code_lines(path: Path) -> list[tuple[int, str]]:
    """The lines that are not comments (YAML, shell, Caddyfile and Python all use #)."""
    return [
        (number, line)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if not line.lstrip().startswith("#")
    ]


def named_paths(path: Path) -> list[str]:
    return [
        f"{path.relative_to(ROLE)}:{number}: {line.strip()}"
        for number, line in code_lines(path)
        if LITERAL_PATH.search(line) or COMPOSED_FROM_APP_DIR.search(line)
    ]


class RolePathsTest(unittest.TestCase):
    def test_tasks_and_templates_name_no_path_themselves(self) -> None:
        found = [line for path in role_files() for line in named_paths(path)]
        self.assertEqual(found, [], "use (or add) a path variable in defaults/main.yaml")

    def test_the_check_catches_a_path_named_in_place(self) -> None:
        for line in [
            "{{ [env_file, '/etc/cron.d/superlists-' ~ container_name] | to_json }}",
            '    dest: "{{ app_dir }}/proxy/Caddyfile"',
            "  install -d {{ app_dir | quote }}/proxy",
            "DJANGO_BACKUP_DIR=/backups",
            "state.files[app_dir ~ '/proxy/Caddyfile']",
        ]:
            with self.subTest(line=line):
                self.assertTrue(LITERAL_PATH.search(line) or COMPOSED_FROM_APP_DIR.search(line))
        for line in ['url: "http://{{ app_address }}:{{ next_port }}/healthz"', "cron_file"]:
            with self.subTest(line=line):
                self.assertFalse(LITERAL_PATH.search(line) or COMPOSED_FROM_APP_DIR.search(line))

    def test_every_path_variable_is_used(self) -> None:
        text = "\n".join(path.read_text() for path in role_files())
        text += (ROLE / "defaults" / "main.yaml").read_text()
        defaults = role_defaults()
        paths = [name for name in defaults if name.endswith(("_dir", "_file", "_marker"))]
        paths += ["caddyfile", "proxy_container_caddyfile", "container_database", "proxy_ca_root"]
        unused = [name for name in paths if len(re.findall(rf"\b{name}\b", text)) < 2]
        self.assertEqual(unused, [])

    def test_the_containers_paths_are_the_images(self) -> None:
        defaults = role_defaults()
        dockerfile = DOCKERFILE.read_text()
        self.assertIn(f"VOLUME {defaults['container_data_dir']}\n", dockerfile)
        self.assertIn("DJANGO_DB_PATH=/data/db.sqlite3", dockerfile)
        self.assertEqual(defaults["container_database"], "{{ container_data_dir }}/db.sqlite3")
        self.assertEqual(defaults["container_staging_marker"], str(production_guard.STAGING_MARKER))
        draining_flag = str(defaults["container_draining_flag"]).replace(
            "{{ container_tmp_dir }}", str(defaults["container_tmp_dir"])
        )
        self.assertEqual(draining_flag, str(DRAINING))
