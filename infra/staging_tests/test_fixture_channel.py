"""The FTs' fixture channel to the stand-in staging server: one Django start per run."""

import unittest

from functional_tests.servers import FIXTURE_CHANNELS, StagingServer
from functional_tests.ssh import RemoteCommandFailed
from infra.standin import config


class FixtureChannelTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server = StagingServer(config.STAGING_HOST, {})
        self.addCleanup(self.server.close)

    def test_the_greeting_says_what_the_server_is(self) -> None:
        info = self.server.server_info()
        self.assertEqual(info["test_fixtures"], True)
        self.assertIn(config.STAGING_HOST, info["allowed_hosts"])

    def test_a_failing_command_says_what_failed_where(self) -> None:
        self.server.ensure_staging()
        with self.assertRaisesRegex(RemoteCommandFailed, "`create_session` failed in the"):
            self.server._run_fixture("create_session")  # no email

    def test_one_remote_process_serves_every_request(self) -> None:
        channel = self.server._fixture_channel()
        for _ in range(3):
            self.server.reset()
        self.assertIs(self.server._fixture_channel(), channel)
        self.assertTrue(channel.is_running())

    def test_one_remote_process_serves_the_whole_run(self) -> None:
        channel = self.server._fixture_channel()
        self.server.close()  # the end of a test class
        next_class_server = StagingServer(config.STAGING_HOST, {})
        next_class_server.reset()
        self.assertIs(next_class_server._fixture_channel(), channel)

        FIXTURE_CHANNELS.close()  # the end of the run

        self.assertFalse(channel.is_running())
