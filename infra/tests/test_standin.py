"""Fast tests of the stand-in hosts' logic (no host needed).

Their integration tests are in infra/staging_tests/test_standin_host.py; the daemons' routine
and `down`'s checks have their own files here (test_standin_daemons, test_standin_leftovers).
"""

import ipaddress
import subprocess
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from infra.standin import (
    config,
    deploy,
    engine,
    images,
    operator_env,
    ssh_client_config,
    sshd,
)
from infra.standin.mail import mailboxes


class SeparateHostsTest(unittest.TestCase):
    """Staging and production share nothing that would let one reach the other's containers."""

    def test_each_server_has_its_own_address_engine_and_sshd(self) -> None:
        self.assertEqual([server.address for server in config.SERVERS], list(config.SSH_HOSTS))
        for attribute in ("name", "address", "engine", "sshd_config", "host_key", "daemon_name"):
            with self.subTest(attribute=attribute):
                values = [getattr(server, attribute) for server in config.SERVERS]
                self.assertEqual(len(set(values)), len(values))

    def test_each_engine_has_its_own_storage_socket_and_network(self) -> None:
        for attribute in (
            "graph_root",
            "run_root",
            "tmp_dir",
            "network_config_dir",
            "containers_conf",
            "storage_conf",
            "socket",
            "network_name",
            "bridge",
            "subnet",
            "gateway",
        ):
            with self.subTest(attribute=attribute):
                values = [getattr(each, attribute) for each in config.ENGINES]
                self.assertEqual(len(set(values)), len(values))

    def test_engine_networks_are_disjoint_and_their_gateways_inside_them(self) -> None:
        subnets = [ipaddress.ip_network(each.subnet) for each in config.ENGINES]
        for index, subnet in enumerate(subnets):
            for other in subnets[index + 1 :]:
                self.assertFalse(subnet.overlaps(other), f"{subnet} overlaps {other}")
        for each in config.ENGINES:
            self.assertIn(ipaddress.ip_address(each.gateway), ipaddress.ip_network(each.subnet))
            self.assertLessEqual(len(each.bridge), 15)  # Linux's limit for interface names

    def test_every_servers_containers_can_reach_the_smtp_server(self) -> None:
        for server in config.SERVERS:
            self.assertIn(server.engine.gateway, config.SMTP_LISTEN_ADDRESSES)
        self.assertIn(config.MAIL_HOST, config.SMTP_LISTEN_ADDRESSES)

    def test_the_operators_local_docker_is_no_servers_engine(self) -> None:
        servers_engines = {server.engine.docker_host for server in config.SERVERS}
        self.assertNotIn(config.DOCKER_HOST, servers_engines)

    def test_addresses_stay_on_this_machine(self) -> None:
        for address in [*config.SSH_HOSTS, config.MAIL_HOST]:
            self.assertTrue(ipaddress.ip_address(address).is_loopback, address)
        for each in config.ENGINES:
            self.assertTrue(ipaddress.ip_network(each.subnet).is_private, each.subnet)


class SshdConfigTest(unittest.TestCase):
    def test_each_sshd_listens_on_its_own_address_only_with_its_own_host_key(self) -> None:
        for server in config.SERVERS:
            text = sshd.sshd_config(server)
            listen = [line for line in text.splitlines() if line.startswith("ListenAddress")]
            self.assertEqual(listen, [f"ListenAddress {server.address}:22"])
            self.assertIn(f"HostKey {server.host_key}\n", text)
            self.assertIn(f"AuthorizedKeysFile {server.authorized_keys}\n", text)

    def test_sessions_get_their_own_servers_engine_and_no_other(self) -> None:
        for server in config.SERVERS:
            set_env = [
                line for line in sshd.sshd_config(server).splitlines() if line.startswith("SetEnv")
            ]
            self.assertEqual(len(set_env), 1)
            variables = dict(word.split("=", 1) for word in set_env[0].split()[1:])
            self.assertEqual(variables["DOCKER_HOST"], server.engine.docker_host)
            self.assertEqual(variables["CONTAINERS_CONF"], str(server.engine.containers_conf))
            self.assertEqual(variables["CONTAINERS_STORAGE_CONF"], str(server.engine.storage_conf))
            self.assertIn(config.PROCESS_MARKER, variables)
            for other in config.ENGINES:
                if other != server.engine:
                    self.assertNotIn(str(other.runtime_dir), set_env[0])

    def test_known_hosts_pairs_each_address_with_its_own_host_key(self) -> None:
        with (
            tempfile.TemporaryDirectory() as secrets,
            mock.patch.object(config, "SECRETS_DIR", Path(secrets)),
        ):
            for server in config.SERVERS:
                Path(f"{server.host_key}.pub").write_text(f"ssh-ed25519 KEY-{server.name} c\n")
            lines = sshd.known_hosts_lines().splitlines()
        self.assertEqual(
            lines,
            [f"{server.address} ssh-ed25519 KEY-{server.name}" for server in config.SERVERS],
        )


class EngineConfigTest(unittest.TestCase):
    def test_configs_name_the_engines_own_storage_network_and_locks(self) -> None:
        for each in config.ENGINES:
            containers_conf = engine.containers_conf(each)
            self.assertIn(f'default_network = "{each.network_name}"', containers_conf)
            self.assertIn(f'network_config_dir = "{each.network_config_dir}"', containers_conf)
            self.assertIn(f'tmp_dir = "{each.tmp_dir}"', containers_conf)
            self.assertIn('lock_type = "file"', containers_conf)
            storage_conf = engine.storage_conf(each)
            self.assertIn(f'graphroot = "{each.graph_root}"', storage_conf)
            self.assertIn(f'runroot = "{each.run_root}"', storage_conf)

    def test_default_networks_differ_in_id_bridge_and_subnet(self) -> None:
        networks = [engine.network_definition(each) for each in config.ENGINES]
        podmans_own_default_id = "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9"
        ids = [network["id"] for network in networks]
        self.assertEqual(len(set(ids)), len(ids))
        self.assertNotIn(podmans_own_default_id, ids)
        for each, network in zip(config.ENGINES, networks, strict=True):
            self.assertEqual(network["network_interface"], each.bridge)
            self.assertEqual(network["subnets"], [{"subnet": each.subnet, "gateway": each.gateway}])


class DeployEnvironmentTest(unittest.TestCase):
    def setUp(self) -> None:
        # The stand-in's own passwords, without creating them in its state directory.
        for name in ("sender_password", "mailbox_password"):
            patcher = mock.patch(f"infra.standin.credentials.{name}", return_value="standin-pw")
            patcher.start()
            self.addCleanup(patcher.stop)

    def test_without_a_password_the_playbook_gets_none_even_from_the_stand_in(self) -> None:
        environment = deploy.playbook_environment({"PATH": "/usr/bin"}, email_password=None)
        self.assertNotIn("EMAIL_PASSWORD", environment)
        self.assertEqual(environment["PATH"], "/usr/bin")
        self.assertEqual(environment["DOCKER_HOST"], config.DOCKER_HOST)

    def test_the_given_password_is_passed_on(self) -> None:
        environment = deploy.playbook_environment({}, email_password="exported")
        self.assertEqual(environment["EMAIL_PASSWORD"], "exported")

    def test_an_empty_password_is_no_password(self) -> None:
        environment = deploy.playbook_environment({"EMAIL_PASSWORD": ""}, email_password="")
        self.assertNotIn("EMAIL_PASSWORD", environment)


class StandinImagesTest(unittest.TestCase):
    def test_each_image_is_labelled_as_the_stand_in_for_its_official_name(self) -> None:
        names = [image.name for image in images.IMAGES]
        self.assertEqual(names, [config.PYTHON_IMAGE, config.CADDY_IMAGE])
        for image in images.IMAGES:
            self.assertIn("stand-in", image.label)
            self.assertIn(image.stands_in_for, image.name)

    def test_caddy_settings_are_the_official_images(self) -> None:
        self.assertIn("ENV XDG_CONFIG_HOME=/config", images.CADDY.settings)
        self.assertIn("ENV XDG_DATA_HOME=/data", images.CADDY.settings)
        self.assertIn(
            'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]',
            images.CADDY.settings,
        )

    def test_the_cached_rootfs_is_rebuilt_when_its_packages_change(self) -> None:
        before = images.rootfs_tarball()
        with mock.patch.object(config, "ROOTFS_PACKAGES", (*config.ROOTFS_PACKAGES, "curl")):
            self.assertNotEqual(images.rootfs_tarball(), before)
        self.assertEqual(images.rootfs_tarball(), before)


class PlusAddressingTest(unittest.TestCase):
    def test_plain_address_belongs_to_its_mailbox(self) -> None:
        self.assertEqual(mailboxes.mailbox_for("tester@superlists.test"), "tester")

    def test_plus_address_belongs_to_the_part_before_the_plus(self) -> None:
        self.assertEqual(mailboxes.mailbox_for("tester+login-3f9a@superlists.test"), "tester")
        self.assertEqual(mailboxes.mailbox_for("<Tester+x@SUPERLISTS.test>"), "tester")

    def test_unknown_mailbox_or_other_domain_is_not_ours(self) -> None:
        self.assertIsNone(mailboxes.mailbox_for("edith@superlists.test"))
        self.assertIsNone(mailboxes.mailbox_for("tester@example.com"))
        self.assertIsNone(mailboxes.mailbox_for("tester"))

    def test_delivery_headers_name_the_exact_envelope_recipient(self) -> None:
        headers = mailboxes.delivery_headers("tester+abc@superlists.test", "10.88.11.2")
        self.assertTrue(headers.startswith(b"Delivered-To: tester+abc@superlists.test\n"))
        self.assertIn(b"for <tester+abc@superlists.test>", headers)


class SshClientConfigBlockTest(unittest.TestCase):
    ORIGINAL = "ServerAliveInterval 60\n\nHost example\n    User edith\n"

    def setUp(self) -> None:
        # Keep the record of created files in a temporary directory, not the stand-in's state.
        markers = tempfile.TemporaryDirectory()
        self.addCleanup(markers.cleanup)
        patcher = mock.patch.object(config, "CREATED_MARKERS_DIR", Path(markers.name))
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_insert_then_remove_gives_back_the_file_byte_for_byte(self) -> None:
        with_block = ssh_client_config.with_block(self.ORIGINAL)
        self.assertTrue(with_block.startswith(ssh_client_config.BEGIN))
        self.assertTrue(with_block.endswith(self.ORIGINAL))
        self.assertEqual(ssh_client_config.without_block(with_block), self.ORIGINAL)

    def test_inserting_twice_keeps_one_block(self) -> None:
        twice = ssh_client_config.with_block(ssh_client_config.with_block(self.ORIGINAL))
        self.assertEqual(twice.count(ssh_client_config.BEGIN), 1)

    def test_block_gives_global_lines_after_it_back_to_every_host(self) -> None:
        block_lines = ssh_client_config.block().splitlines()
        self.assertEqual(block_lines[1], f"Host {' '.join(config.SSH_HOSTS)}")
        self.assertEqual(block_lines[-2], "Host *")

    def test_install_and_remove_on_a_file(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "config"
            path.write_text(self.ORIGINAL)
            ssh_client_config.install(path)
            self.assertIn(f"IdentityFile {config.OPERATOR_KEY}", path.read_text())
            ssh_client_config.remove(path)
            self.assertEqual(path.read_text(), self.ORIGINAL)

    def test_a_file_the_block_created_is_removed_with_it(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "config"
            ssh_client_config.install(path)
            self.assertEqual(path.stat().st_mode & 0o777, 0o600)
            ssh_client_config.remove(path)
            self.assertFalse(path.exists())


class EnvExportTest(unittest.TestCase):
    def test_values_are_shell_quoted(self) -> None:
        lines = operator_env.export_lines({"A": "plain", "B": "it's spaced"})
        self.assertEqual(lines, "export A=plain\nexport B='it'\"'\"'s spaced'\n")

    def test_the_values_go_to_a_file_only_its_owner_reads_and_only_names_are_printed(self) -> None:
        values = {"EMAIL_PASSWORD": "s3cret-value", "STAGING_HOST": "127.0.10.1"}
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "env.sh"
            path.write_text("old")
            path.chmod(0o644)
            operator_env.write_env_file(values, path)
            self.assertEqual(path.stat().st_mode & 0o777, 0o600)
            self.assertEqual(path.read_text(), operator_env.export_lines(values))
            printed = operator_env.loading_lines(values, path)
            self.assertNotIn("s3cret-value", printed)
            self.assertIn("EMAIL_PASSWORD STAGING_HOST", printed)
            # eval-ing what is printed loads the values.
            shell = subprocess.run(
                ["bash", "-c", 'eval "$(cat)"; echo "$EMAIL_PASSWORD"'],
                input=printed,
                capture_output=True,
                text=True,
                check=True,
            )
            self.assertEqual(shell.stdout, "s3cret-value\n")


class MissingPackagesTest(unittest.TestCase):
    def test_a_docker_client_is_installed_only_when_there_is_none(self) -> None:
        from infra.standin import packages

        which = "infra.standin.packages.shutil.which"
        with mock.patch(which, return_value=None):
            self.assertIn(packages.DOCKER_CLIENT_PACKAGE, packages.missing_packages())
        with mock.patch(which, return_value="/usr/local/bin/docker"):
            self.assertNotIn(packages.DOCKER_CLIENT_PACKAGE, packages.missing_packages())


if __name__ == "__main__":
    unittest.main()
