"""The multi-host inventory, the stand-in's topology and the one playbook agree; the single-host
inventory drives the playbook as before (no engine or host needed)."""

import re
import subprocess
import sys
import unittest
from pathlib import Path

import dj_database_url
import yaml

from infra.standin import config, topology
from infra.tests.role_templates import render_role_template
from infra.tests.test_env_file_template import BASE_VARS

REPO_ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = REPO_ROOT / "infra" / "deploy-playbook.yaml"
PASSED_STAGING_PLAYBOOK = REPO_ROOT / "infra" / "passed-staging-playbook.yaml"
SINGLE_INVENTORY = REPO_ROOT / "infra" / "inventory.standin.yaml"
MULTI_INVENTORY = REPO_ROOT / "infra" / "inventory.standin-multi.yaml"
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"


def plays_and_hosts(inventory: Path, playbook: Path = PLAYBOOK) -> dict[str, set[str]]:
    """Each play's name and the hosts `ansible-playbook --list-hosts` says it runs on."""
    listed = subprocess.run(
        [ANSIBLE_PLAYBOOK, "-i", inventory, playbook, "--list-hosts"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    plays: dict[str, set[str]] = {}
    current = ""
    for line in listed.splitlines():
        play = re.match(r"\s+play #\d+ \([^)]*\): (.+?)\s+TAGS", line)
        if play:
            current = play.group(1)
            plays[current] = set()
        elif current and line.startswith("      ") and line.strip():
            plays[current].add(line.strip())
    return plays


class InventoryMatchesTopologyTest(unittest.TestCase):
    inventory = yaml.safe_load(MULTI_INVENTORY.read_text())["all"]["children"]["standin_multi"]

    def test_each_group_has_the_stand_ins_hosts_at_their_addresses(self) -> None:
        for group, hosts in topology.GROUPS.items():
            listed = self.inventory["children"][group]["hosts"]
            with self.subTest(group=group):
                self.assertEqual(list(listed), [host.name for host in hosts])
                for host in hosts:
                    self.assertEqual(listed[host.name]["ansible_host"], host.address)

    def test_ssh_uses_the_operator_key_and_each_hosts_own_known_hosts(self) -> None:
        shared = self.inventory["vars"]
        self.assertEqual(shared["ansible_ssh_private_key_file"], str(config.OPERATOR_KEY))
        for host in topology.HOSTS:
            arguments = shared["ansible_ssh_common_args"].replace(
                "{{ inventory_hostname }}", host.name
            )
            self.assertIn(f"UserKnownHostsFile={host.known_hosts}", arguments)

    def test_app_hosts_send_mail_where_the_mail_server_listens_for_them(self) -> None:
        for host in topology.GROUPS["app"]:
            email_host = self.inventory["children"]["app"]["hosts"][host.name]["email_host"]
            self.assertEqual(email_host, host.operator_address)
            self.assertIn(email_host, config.SMTP_LISTEN_ADDRESSES)

    def test_hosts_reach_each_other_and_nothing_beyond(self) -> None:
        for host in topology.HOSTS:
            self.assertEqual(host.routes, (config.ISOLATED_HOSTS_SUBNET,))
        addresses = [host.address for host in topology.HOSTS]
        self.assertEqual(len(set(addresses)), len(addresses))


class OnePlaybookTest(unittest.TestCase):
    def test_the_single_host_inventory_deploys_the_whole_app_to_each_server(self) -> None:
        plays = plays_and_hosts(SINGLE_INVENTORY)
        self.assertEqual(
            plays.pop("Deploy Superlists"), {config.STAGING_HOST, config.PRODUCTION_HOST}
        )
        self.assertEqual(set().union(*plays.values()), set())  # the other plays: no hosts

    def test_the_multi_host_inventory_sets_up_the_database_then_the_app(self) -> None:
        plays = plays_and_hosts(MULTI_INVENTORY)
        names = list(plays)
        self.assertLess(
            names.index("PostgreSQL, a primary and its synchronous standbys"),
            names.index("Deploy Superlists"),
        )
        self.assertEqual(
            plays["PostgreSQL, a primary and its synchronous standbys"], {"db1", "db2"}
        )
        self.assertEqual(plays["Deploy Superlists"], {"app1", "app2"})

    def test_an_image_that_passed_staging_is_recorded_on_the_app_hosts_only(self) -> None:
        for inventory in [SINGLE_INVENTORY, MULTI_INVENTORY]:
            with self.subTest(inventory=inventory.name):
                [recorded_on] = plays_and_hosts(inventory, PASSED_STAGING_PLAYBOOK).values()
                self.assertEqual(recorded_on, plays_and_hosts(inventory)["Deploy Superlists"])


class MultiHostDatabaseUrlTest(unittest.TestCase):
    """Django reads a libpq multi-host URL (every host on one port: dj-database-url cannot
    parse a port per host) as a host list and the session attribute libpq needs."""

    def test_a_multi_host_url_becomes_a_host_list_that_asks_for_the_primary(self) -> None:
        parsed = dj_database_url.parse(
            "postgres://superlists:pw@10.88.20.46,10.88.20.50/superlists"
            "?target_session_attrs=read-write"
        )
        self.assertEqual(parsed["HOST"], "10.88.20.46,10.88.20.50")
        self.assertEqual(parsed["OPTIONS"], {"target_session_attrs": "read-write"})


if __name__ == "__main__":
    unittest.main()


class DatabaseUrlFromTheDbGroupTest(unittest.TestCase):
    """With a db group, the app's env file names every db host, whatever the password holds."""

    def test_the_env_file_gets_every_db_host_and_the_password_intact(self) -> None:
        variables = {name: value for name, value in BASE_VARS.items() if name != "database_url"}
        rendered = render_role_template(
            "superlists.env.j2",
            {
                **variables,
                "database_hosts": ["10.88.20.46", "10.88.20.50"],
                "database_password": "p@ss:w/rd%",
            },
        )
        url = next(
            line.partition("=")[2]
            for line in rendered.splitlines()
            if line.startswith("DATABASE_URL=")
        )
        parsed = dj_database_url.parse(url)
        self.assertEqual(parsed["HOST"], "10.88.20.46,10.88.20.50")
        self.assertEqual(parsed["PASSWORD"], "p@ss:w/rd%")
        self.assertEqual(parsed["NAME"], "superlists")
        self.assertEqual(
            parsed["OPTIONS"], {"target_session_attrs": "read-write", "connect_timeout": 2}
        )
