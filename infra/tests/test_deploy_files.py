"""Fast checks of the deploy files, part of the normal test run (no engine or server needed)."""

import json
import re
import runpy
import subprocess
import sys
import unittest
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO_ROOT / "Dockerfile"
GUNICORN_CONF = REPO_ROOT / "gunicorn.conf.py"
PLAYBOOK = REPO_ROOT / "infra" / "deploy-playbook.yaml"
DEPLOY_TASKS = sorted((REPO_ROOT / "infra" / "roles" / "superlists" / "tasks").glob("*.yaml"))
STANDIN_INVENTORY = REPO_ROOT / "infra" / "inventory.standin.yaml"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"

SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|PRIVATE", re.IGNORECASE)


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def deploy_tasks() -> list[dict[str, Any]]:
    """Every task of the role, blocks' and rescues' tasks included."""
    found = []

    def walk(tasks: list[dict[str, Any]]) -> None:
        for task in tasks:
            found.append(task)
            walk(task.get("block", []) + task.get("rescue", []) + task.get("always", []))

    for path in DEPLOY_TASKS:
        walk(yaml.safe_load(path.read_text()))
    return found


def secrets_set_by(instructions: list[tuple[str, str]]) -> list[str]:
    """Names that look secret and are given a value that would stay in the image (ENV, ARG)."""
    found = []
    for keyword, arguments in instructions:
        if keyword in {"ENV", "ARG"}:
            for name in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*=", arguments):
                if SECRET_NAME.search(name):
                    found.append(name)
    return found


class DockerfileTest(unittest.TestCase):
    def setUp(self) -> None:
        self.instructions = dockerfile_instructions(DOCKERFILE.read_text())

    def test_runs_as_a_non_root_user(self) -> None:
        users = [arguments for keyword, arguments in self.instructions if keyword == "USER"]
        self.assertTrue(users, "the Dockerfile must switch to a non-root USER")
        self.assertNotIn(users[-1].split(":")[0], {"root", "0"})

    def test_bakes_no_secret_into_the_image(self) -> None:
        self.assertEqual(secrets_set_by(self.instructions), [])
        copied = " ".join(a for k, a in self.instructions if k in {"COPY", "ADD"})
        self.assertNotRegex(copied, r"\.env\b|secret|id_rsa|id_ed25519")

    def test_secret_detector_would_catch_one(self) -> None:
        bad = dockerfile_instructions(
            "FROM x\nENV A=1 \\\n    DJANGO_SECRET_KEY=oops\nARG EMAIL_PASSWORD=x\n"
        )
        self.assertEqual(secrets_set_by(bad), ["DJANGO_SECRET_KEY", "EMAIL_PASSWORD"])

    def test_serves_with_gunicorn_in_production_mode_with_a_healthcheck(self) -> None:
        keywords = {k for k, _ in self.instructions}
        self.assertIn("HEALTHCHECK", keywords)
        cmd = [a for k, a in self.instructions if k == "CMD"][-1]
        self.assertIn("gunicorn", cmd)
        self.assertIn("superlists.wsgi:application", cmd)
        envs = " ".join(a for k, a in self.instructions if k == "ENV")
        self.assertIn("DJANGO_DEBUG_FALSE=1", envs)

    def test_gunicorn_runs_with_the_projects_configuration_file(self) -> None:
        # Its settings are in gunicorn.conf.py, which the benchmark and the load test serve with
        # too (sitekit/tests/test_gunicorn_settings.py): none may be added on the command line.
        copies = [a.split() for k, a in self.instructions if k == "COPY"]
        [destination] = [target for source, target in copies if source == GUNICORN_CONF.name]
        cmd = json.loads([a for k, a in self.instructions if k == "CMD"][-1])
        self.assertEqual(cmd, ["gunicorn", "-c", destination, "superlists.wsgi:application"])

    def test_exposes_health_checks_and_publishes_the_port_gunicorn_binds(self) -> None:
        [bind] = runpy.run_path(str(GUNICORN_CONF))["bind"]
        port = bind.rpartition(":")[2]
        self.assertIn(("EXPOSE", port), self.instructions)
        healthcheck = [a for k, a in self.instructions if k == "HEALTHCHECK"][-1]
        self.assertIn(f"http://127.0.0.1:{port}/healthz", healthcheck)
        published = [
            spec.rpartition(":")[2]
            for task in deploy_tasks()
            for spec in task.get("community.docker.docker_container", {}).get("ports", [])
        ]
        self.assertEqual(published, [port])  # the deploy role's container port

    def test_dockerignore_keeps_out_databases_venvs_and_secrets(self) -> None:
        ignored = (REPO_ROOT / ".dockerignore").read_text().split()
        for pattern in [".venv", "**/*.sqlite3", "**/*.env", ".git"]:
            self.assertIn(pattern, ignored)


class PlaybookTest(unittest.TestCase):
    def test_syntax_check(self) -> None:
        for playbook in sorted(PLAYBOOK.parent.glob("*-playbook.yaml")):
            with self.subTest(playbook=playbook.name):
                host = "staging.example.com"
                command: list[str | Path] = [ANSIBLE_PLAYBOOK, "--syntax-check", "-i", f"{host},"]
                command += [playbook, "-e", f"promote={host}", "-e", f"rejoin={host}"]
                result = subprocess.run(
                    command,
                    capture_output=True,
                    text=True,
                    timeout=120,
                )
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_env_file_and_secret_tasks_are_never_logged(self) -> None:
        for task in deploy_tasks():
            writes_env = task.get("ansible.builtin.template", {}).get("dest") == "{{ env_file }}"
            if writes_env or "secret" in task["name"].lower():
                with self.subTest(task=task["name"]):
                    self.assertIs(task.get("no_log"), True)
                    if writes_env:
                        self.assertEqual(task["ansible.builtin.template"]["mode"], "0600")

    def test_standin_inventory_overrides_the_defaults(self) -> None:
        from infra.standin import config

        result = subprocess.run(
            [
                ANSIBLE_PLAYBOOK.with_name("ansible-inventory"),
                "-i",
                STANDIN_INVENTORY,
                "--playbook-dir",
                PLAYBOOK.parent,
                "--host",
                config.STAGING_HOST,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        host_vars = yaml.safe_load(result.stdout)
        self.assertIs(host_vars["install_docker"], False)
        self.assertIs(host_vars["enable_test_fixtures"], True)

    def test_standin_inventory_matches_standin_config(self) -> None:
        from infra.standin import config

        inventory = yaml.safe_load(STANDIN_INVENTORY.read_text())["all"]["children"]["standin"][
            "children"
        ]
        self.assertEqual(list(inventory["staging"]["hosts"]), [config.STAGING_HOST])
        self.assertEqual(list(inventory["production"]["hosts"]), [config.PRODUCTION_HOST])
        for server in [config.STAGING, config.PRODUCTION]:
            host_vars = inventory[server.name]["hosts"][server.address]
            # The host's own engine is where the role's default looks (/var/run/docker.sock).
            self.assertNotIn("docker_host", host_vars)
            self.assertEqual(host_vars["proxy_address"], server.address)
            self.assertEqual(host_vars["container_name"], server.container_name)
            self.assertEqual(host_vars["app_dir"], str(server.app_dir))
            self.assertEqual(host_vars["cron_file"], str(server.cron_file))
        shared = yaml.safe_load(STANDIN_INVENTORY.read_text())["all"]["children"]["standin"]["vars"]
        self.assertEqual(shared["local_ca_dir"], str(config.CA_DIR))
        self.assertEqual(shared["local_ca_bundle"], str(config.CA_BUNDLE))


if __name__ == "__main__":
    unittest.main()
