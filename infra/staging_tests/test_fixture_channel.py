"""The FTs' fixture channel to the stand-in staging server: one Django start-up per test run."""

import unittest

from functional_tests import container_commands
from functional_tests.container_commands import RemoteCommandFailed
from functional_tests.target import test_server_from_environ
from infra.standin import config


class FixtureChannelTest(unittest.TestCase):
    def setUp(self):
        self.server = test_server_from_environ({"TEST_SERVER": config.STAGING_HOST})

    def test_the_greeting_says_what_the_server_is(self):
        info = container_commands.server_info(self.server)
        self.assertEqual(info["test_fixtures"], True)
        self.assertIn(config.STAGING_HOST, info["allowed_hosts"])

    def test_a_failing_command_says_what_failed_where(self):
        container_commands.ensure_not_production(self.server)
        with self.assertRaisesRegex(RemoteCommandFailed, "`create_session` failed in the"):
            container_commands._run_fixture_command(self.server, "create_session")  # no email

    def test_one_remote_process_serves_every_request(self):
        channel = container_commands._channel_for(self.server)
        for _ in range(3):
            container_commands.reset_database(self.server)
        self.assertIs(container_commands._channel_for(self.server), channel)
        self.assertTrue(channel.is_running())
