"""PostgreSQL on the db hosts, as the deploy made it: a primary streaming to a synchronous
standby, reached by the app hosts (and only by them and the db hosts) through one multi-host
connection string."""

import unittest

from infra.standin import topology

from .database import APP_HOSTS, PRIMARY, STANDBY, app_psql_script
from .hosts import PSQL, as_postgres, on


class DatabaseTest(unittest.TestCase):
    def test_the_primary_streams_to_a_synchronous_standby(self) -> None:
        # ANY 1 (...) shows its standbys as 'quorum': each commit waits for one of them.
        self.assertEqual(
            as_postgres(
                PRIMARY, "SELECT application_name, state, sync_state FROM pg_stat_replication"
            ),
            f"{STANDBY.name}|streaming|quorum",
        )
        self.assertEqual(as_postgres(STANDBY, "SELECT pg_is_in_recovery()"), "t")

    def test_every_app_host_reaches_the_primary_and_writes_reach_the_standby(self) -> None:
        for host in APP_HOSTS:
            with self.subTest(host=host.name):
                answer = on(
                    host,
                    "sh -s",
                    input=app_psql_script(
                        "CREATE TABLE IF NOT EXISTS reached (host text);\n"
                        f"INSERT INTO reached VALUES ('{host.name}');\n"
                        "SELECT inet_server_addr();"
                    ),
                ).strip()
                self.assertEqual(answer, PRIMARY.address)
                # Synchronous: the standby had it before the app heard "committed".
                self.assertIn(
                    host.name,
                    as_postgres(STANDBY, "SELECT string_agg(host, ',') FROM reached", "superlists"),
                )

    def test_the_load_balancer_gets_no_database_connection(self) -> None:
        lb = topology.GROUPS["lb"][0]
        refused = on(
            lb,
            f"PGPASSWORD=wrong {PSQL} 'host={PRIMARY.address} user=superlists dbname=superlists "
            "connect_timeout=2' -c 'SELECT 1' 2>&1 || true",
        )
        self.assertIn("no pg_hba.conf entry", refused)


if __name__ == "__main__":
    unittest.main()
