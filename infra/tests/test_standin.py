"""Fast tests of the stand-in hosts' logic (no host needed).

Their integration tests are in infra/staging_tests/test_standin_host.py; the daemons' routine
and `down`'s checks have their own files here (test_standin_daemons, test_standin_leftovers).
"""

import dataclasses
import ipaddress
import json
import shlex
import subprocess
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import yaml

from infra.standin import (
    config,
    deploy,
    engine,
    host_changes,
    images,
    isolated_host,
    operator_env,
    servers,
    ssh_client_config,
    topology,
)
from infra.standin.mail import mailboxes


class SeparateHostsTest(unittest.TestCase):
    """Staging and production are isolated hosts that share nothing but the operator's side."""

    def test_each_server_is_an_isolated_host_of_its_own(self) -> None:
        self.assertEqual([server.address for server in config.SERVERS], list(config.SSH_HOSTS))
        for server, host in zip(config.SERVERS, servers.HOSTS, strict=True):
            self.assertEqual(host.address, server.address)
            self.assertEqual(host.operator_address, server.operator_end)
            self.assertEqual(host.hostname, server.name)
        for attribute in ("name", "hostname", "address", "netns", "directory", "known_hosts"):
            with self.subTest(attribute=attribute):
                values = [getattr(host, attribute) for host in servers.HOSTS]
                self.assertEqual(len(set(values)), len(values))

    def test_a_server_reaches_nothing_but_this_machines_end_of_its_link(self) -> None:
        for host in servers.HOSTS:
            self.assertEqual(host.routes, ())

    def test_servers_links_are_clear_of_the_multi_host_and_host_tests_links(self) -> None:
        host_tests = {0, 1}  # infra/host_tests' two hosts
        multi = {index for members in config.MULTI_HOST_GROUPS.values() for _, index in members}
        links = {server.link for server in config.SERVERS}
        self.assertEqual(len(links), len(config.SERVERS))
        self.assertFalse(links & (host_tests | multi))

    def test_every_servers_containers_reach_the_mail_server_and_error_receiver(self) -> None:
        for server, host in zip(config.SERVERS, servers.HOSTS, strict=True):
            self.assertIn(server.operator_end, config.SMTP_LISTEN_ADDRESSES)
            self.assertIn(server.operator_end, config.ERROR_RECEIVER_LISTEN_ADDRESSES)
            # The name the deploy gives the app for them resolves there in the containers.
            self.assertIn(
                f'host_containers_internal_ip = "{server.operator_end}"', host._containers_conf()
            )
        self.assertIn(config.MAIL_HOST, config.SMTP_LISTEN_ADDRESSES)

    def test_the_operators_local_docker_is_no_servers_engine(self) -> None:
        for host in servers.HOSTS:
            self.assertNotIn(config.DOCKER_HOST, host._sshd_config())
            self.assertIn(f"DOCKER_HOST=unix://{isolated_host.ENGINE_SOCKET}", host._sshd_config())

    def test_addresses_stay_on_this_machine(self) -> None:
        subnet = ipaddress.ip_network(config.ISOLATED_HOSTS_SUBNET)
        self.assertTrue(subnet.is_private)
        for address in config.SSH_HOSTS:
            self.assertIn(ipaddress.ip_address(address), subnet)
        self.assertTrue(ipaddress.ip_address(config.MAIL_HOST).is_loopback)
        for each in config.ENGINES:
            self.assertTrue(ipaddress.ip_network(each.subnet).is_private, each.subnet)


class SshdConfigTest(unittest.TestCase):
    def test_each_sshd_listens_on_its_own_address_only_with_its_own_host_key(self) -> None:
        for host in servers.HOSTS:
            text = host._sshd_config()
            listen = [line for line in text.splitlines() if line.startswith("ListenAddress")]
            self.assertEqual(listen, [f"ListenAddress {host.address}:22"])
            self.assertIn(f"HostKey {host.host_key}\n", text)
            self.assertIn(f"AuthorizedKeysFile {host.etc_dir / 'authorized_keys'}\n", text)


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

    def test_the_default_network_is_not_podmans_own(self) -> None:
        podmans_own_default_id = "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9"
        for each in config.ENGINES:
            network = engine.network_definition(each)
            self.assertNotEqual(network["id"], podmans_own_default_id)
            self.assertEqual(network["network_interface"], each.bridge)
            self.assertEqual(network["subnets"], [{"subnet": each.subnet, "gateway": each.gateway}])


class BuildLeftoversTest(unittest.TestCase):
    """(`up` tidies the real operator engine in every CI run.)"""

    def test_the_newest_builds_stay_and_the_rest_go_then_unused_images(self) -> None:
        builds = [{"Id": f"id{n}", "Created": created} for n, created in enumerate([5, 9, 1, 7, 3])]
        calls: list[tuple[str, ...]] = []

        def podman(_engine: object, *args: str) -> str:
            calls.append(args)
            return json.dumps(builds) if args[0] == "images" else "unused1\nunused2\n"

        with mock.patch.object(engine, "podman", podman):
            said = engine.tidy_build_leftovers(config.OPERATOR_ENGINE)
        self.assertEqual(engine.KEPT_APP_BUILDS, 3)
        self.assertIn(("rmi", "id4", "id2"), calls)  # created 3 and 1; 9, 7 and 5 stay
        self.assertEqual(calls[-1], ("image", "prune", "--force"))
        self.assertEqual(said, "2 old builds of the app and 2 unused images removed")

    def test_the_builds_are_the_roles_image(self) -> None:
        defaults = yaml.safe_load(
            (config.REPO_ROOT / "infra/roles/superlists/defaults/main.yaml").read_text()
        )
        self.assertEqual(engine.APP_IMAGE, defaults["image_name"])


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
        self.assertEqual(block_lines[1].split()[:3], ["Host", *config.SSH_HOSTS])
        self.assertEqual(block_lines[-2], "Host *")

    def test_each_hosts_own_known_hosts_file_is_read(self) -> None:
        block = ssh_client_config.block()
        for host in (*servers.HOSTS, *topology.HOSTS):
            self.assertIn(f" {host.address}", block)
            self.assertIn(str(host.known_hosts), block)

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


class OldLayoutTest(unittest.TestCase):
    """What the stand-in kept on this machine before its servers were isolated hosts goes with
    the next `down`: the app directories hold env files with secrets, and nothing reads them."""

    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        root = Path(directory.name)
        state = root / "state"
        patched_servers = tuple(
            dataclasses.replace(
                server,
                app_dir=root / "srv" / server.container_name,
                cron_file=root / "cron.d" / f"superlists-{server.container_name}",
            )
            for server in config.SERVERS
        )
        for name, value in [
            ("SERVERS", patched_servers),
            ("STATE_DIR", state),
            ("SECRETS_DIR", state / "secrets"),
        ]:
            patcher = mock.patch.object(config, name, value)
            patcher.start()
            self.addCleanup(patcher.stop)
        self.old = []
        for server in patched_servers:
            (server.app_dir / "backups").mkdir(parents=True)
            (server.app_dir / "superlists.env").write_text("EMAIL_PASSWORD=secret\n")
            server.cron_file.parent.mkdir(exist_ok=True)
            server.cron_file.write_text("17 3 * * * root docker exec …\n")
            self.old += [server.app_dir, server.cron_file]
        (state / "secrets").mkdir(parents=True)
        for name in ("staging", "production"):
            storage = state / "engines" / name / "storage"
            storage.mkdir(parents=True)
            key = state / "secrets" / f"ssh_host_ed25519_key.{name}"
            key.write_text("private\n")
            public_key = key.with_name(f"{key.name}.pub")  # as ssh-keygen names it
            public_key.write_text("ssh-ed25519 KEY\n")
            self.old += [storage.parent, key, public_key]
        (state / "known_hosts").write_text("127.0.10.1 ssh-ed25519 KEY\n")
        self.kept = [state / "engines" / "operator", state / "secrets" / "operator_ed25519"]
        self.kept[0].mkdir(parents=True)
        self.kept[1].write_text("the operator's key\n")

    def test_down_removes_all_of_it_and_nothing_else(self) -> None:
        self.assertCountEqual(servers.old_layout(), [*self.old, config.STATE_DIR / "known_hosts"])
        removed = servers.remove_old_layout()
        self.assertEqual(len(removed), len(self.old) + 1)
        self.assertEqual(servers.old_layout(), [])
        for path in self.old:
            self.assertFalse(path.exists(), path)
        for path in self.kept:
            self.assertTrue(path.exists(), path)

    def test_never_removes_through_a_mount(self) -> None:
        storage = config.STATE_DIR / "engines" / "staging" / "storage"
        merged = f"{storage}/overlay/abc/merged"
        with mock.patch.object(
            host_changes, "mounts", return_value=[("/", "ext4"), (merged, "overlay")]
        ):
            removed = servers.remove_old_layout()
        self.assertNotIn(str(storage.parent), removed)
        self.assertTrue(storage.exists())
        self.assertEqual(len(removed), len(self.old))  # all the rest, and known_hosts

    def test_nothing_to_remove_on_a_machine_that_never_had_it(self) -> None:
        servers.remove_old_layout()
        self.assertEqual(servers.remove_old_layout(), [])


class HostImageQueryTest(unittest.TestCase):
    def test_the_label_is_a_quoted_string_in_the_template_the_host_shell_receives(self) -> None:
        words = shlex.split(images.rootfs_label_query(images.PYTHON))
        self.assertEqual(
            words,
            [
                "podman", "image", "inspect", "--format",
                '{{index .Labels "org.superlists.standin.rootfs"}}',
                config.PYTHON_IMAGE,
            ],
        )  # fmt: skip
