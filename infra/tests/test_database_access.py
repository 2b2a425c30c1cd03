"""pg_hba.conf, rendered from the role's template by Ansible: who may reach PostgreSQL."""

import unittest

from infra.tests.role_templates import render_role_template

VARIABLES = {"replication_user": "replicator", "database_name": "lists", "database_user": "app"}


def entries(inventory_hosts: dict[str, dict[str, dict[str, object]]]) -> list[list[str]]:
    inventory = {
        "all": {"children": {group: {"hosts": hosts} for group, hosts in inventory_hosts.items()}}
    }
    text = render_role_template("pg_hba.conf.j2", VARIABLES, inventory)
    return [line.split() for line in text.splitlines() if line and not line.startswith("#")]


class DatabaseAccessTest(unittest.TestCase):
    def test_standbys_replicate_and_app_hosts_use_the_database_from_their_addresses(self) -> None:
        self.assertEqual(
            entries(
                {
                    "db": {
                        "db1": {"ansible_host": "10.0.0.21"},
                        "db2": {"ansible_host": "10.0.0.22"},
                    },
                    "app": {"app1": {"ansible_host": "10.0.0.11"}},
                }
            ),  # fmt: skip
            [
                ["local", "all", "all", "peer"],
                ["host", "replication", "replicator", "10.0.0.21/32", "scram-sha-256"],
                ["host", "replication", "replicator", "10.0.0.22/32", "scram-sha-256"],
                ["host", "lists", "app", "10.0.0.11/32", "scram-sha-256"],
            ],
        )

    def test_an_ipv6_address_a_network_or_a_host_name_as_postgresql_takes_each(self) -> None:
        rules = entries({
            "db": {"db1": {"ansible_host": "2001:db8::21"}, "db.internal": {}},
            "app": {"app1": {"ansible_host": "10.0.1.0/24"}},
        })  # fmt: skip
        self.assertEqual(
            [rule[3] for rule in rules[1:]], ["2001:db8::21/128", "db.internal", "10.0.1.0/24"]
        )


if __name__ == "__main__":
    unittest.main()
