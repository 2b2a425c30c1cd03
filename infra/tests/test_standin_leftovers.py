"""How `down` recognises what the stand-in left on the machine (no host needed)."""

import tempfile
import unittest
from pathlib import Path
from unittest import mock

from infra.standin import config, footprint, host_changes, isolated_host, leftovers
from infra.standin.config import Engine
from infra.standin.processes import Process

# Two engines on this machine, as staging's and production's were before each became a host.
TWO_ENGINES = (
    Engine("staging", subnet="10.88.11.0/24", gateway="10.88.11.1"),
    Engine("production", subnet="10.88.12.0/24", gateway="10.88.12.1"),
)
# `iptables -S` lines while one container ran on each of TWO_ENGINES, beside a rule of some
# other program's that must never count as ours.
IPTABLES_WITH_BOTH_ENGINES = [
    "-t filter -A NETAVARK_FORWARD -d 10.88.11.0/24 -m conntrack --ctstate "
    "RELATED,ESTABLISHED -j ACCEPT",
    "-t filter -A NETAVARK_FORWARD -s 10.88.12.0/24 -j ACCEPT",
    "-t nat -A NETAVARK-DN-126C79DD66B8B -d 127.0.10.1/32 -p tcp -m tcp --dport 80 -j DNAT "
    "--to-destination 10.88.11.2:8888",
    '-t nat -A NETAVARK-HOSTPORT-DNAT -p tcp -m tcp --dport 80 -m comment --comment "dnat '
    'name: superlists-production id: 872fd0" -j NETAVARK-DN-9457022209A77',
    "-t filter -A FORWARD -i sl-staging -j ACCEPT",
    "-t filter -A INPUT -s 192.168.1.0/24 -j ACCEPT",
    "-t nat -A POSTROUTING -s 10.89.0.0/16 -j MASQUERADE",
]

MOUNTINFO = """\
22 1 254:0 / / rw,relatime - ext4 /dev/vda rw
39 22 0:36 / /run/netns rw shared:5 - ext4 /dev/vda rw
40 39 0:4 net:[4026532290] /run/netns/netns-3a6a7dbd rw shared:5 - nsfs nsfs rw
41 22 0:37 / /var/lib/superlists-standin/engines/staging/storage/overlay/abc/merged rw - \
overlay overlay rw,lowerdir=x
42 22 0:38 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
43 22 0:39 / /mnt/with\\040space rw - tmpfs tmpfs rw
"""


def process(command_line: str, executable: str) -> Process:
    return Process(pid=1234, parent=1, command_line=command_line, executable=executable)


class StandInProcessTest(unittest.TestCase):
    def test_a_process_carrying_the_marker_is_ours(self) -> None:
        shell = process("bash", "bash")
        self.assertTrue(
            leftovers.is_stand_in_process(shell, {config.PROCESS_MARKER: "ssh-session-x"}, "/")
        )

    def test_a_process_inside_a_container_of_our_engines_is_ours(self) -> None:
        gunicorn = process("gunicorn -c gunicorn.conf.py", "python3.11")
        root = f"{config.OPERATOR_ENGINE.graph_root}/overlay/abc/merged"
        self.assertTrue(leftovers.is_stand_in_process(gunicorn, {}, root))

    def test_an_engine_program_naming_our_directories_is_ours(self) -> None:
        conmon = process(
            f"/usr/bin/conmon --api-version 1 -b {config.OPERATOR_ENGINE.graph_root}/x "
            "--exit-delay 300",
            "conmon",
        )
        self.assertTrue(leftovers.is_stand_in_process(conmon, {}, "/"))

    def test_other_processes_are_not_even_when_they_name_our_directories(self) -> None:
        # An operator reading a log, with the stand-in's DOCKER_HOST exported in their shell.
        tail = process(f"tail -f {config.LOG_DIR}/smtp.log", "tail")
        environment = {"DOCKER_HOST": config.DOCKER_HOST}
        self.assertFalse(leftovers.is_stand_in_process(tail, environment, "/"))
        other_podman = process("podman run -d nginx", "podman")
        self.assertFalse(leftovers.is_stand_in_process(other_podman, {}, "/"))


class FirewallRulesTest(unittest.TestCase):
    def test_rules_naming_our_subnets_addresses_in_them_bridges_or_networks(self) -> None:
        found = leftovers.firewall_rules_of(IPTABLES_WITH_BOTH_ENGINES, TWO_ENGINES)
        self.assertEqual(found, IPTABLES_WITH_BOTH_ENGINES[:5])

    def test_one_engines_rules_are_not_anothers(self) -> None:
        found = leftovers.firewall_rules_of(IPTABLES_WITH_BOTH_ENGINES, [config.OPERATOR_ENGINE])
        self.assertEqual(found, [])


class MountsTest(unittest.TestCase):
    def test_mountinfo_gives_mount_points_and_filesystem_types(self) -> None:
        mounts = host_changes.parse_mountinfo(MOUNTINFO)
        self.assertEqual(mounts[1], ("/run/netns", "ext4"))
        self.assertEqual(mounts[2], ("/run/netns/netns-3a6a7dbd", "nsfs"))
        self.assertEqual(mounts[3][1], "overlay")
        self.assertEqual(mounts[4], ("/sys/fs/cgroup/memory", "cgroup"))
        self.assertEqual(mounts[5], ("/mnt/with space", "tmpfs"))

    def test_within_means_the_directory_or_below_it(self) -> None:
        self.assertTrue(host_changes.is_within("/run/netns", Path("/run/netns")))
        self.assertTrue(host_changes.is_within("/run/netns/netns-1", Path("/run/netns")))
        self.assertFalse(host_changes.is_within("/run/netns2", Path("/run/netns")))


class FootprintRecordsTest(unittest.TestCase):
    def test_records_give_back_kind_and_name(self) -> None:
        with (
            tempfile.TemporaryDirectory() as markers,
            mock.patch.object(config, "CREATED_MARKERS_DIR", Path(markers)),
        ):
            footprint.record("engine-path", "/run/netns")
            footprint.record("nftables-table", "ip nat")
            self.assertEqual(
                footprint.records(), [("engine-path", "/run/netns"), ("nftables-table", "ip nat")]
            )
            footprint.forget("engine-path", "/run/netns")
            self.assertEqual(footprint.records(), [("nftables-table", "ip nat")])


if __name__ == "__main__":
    unittest.main()


class IsolatedHostLeftoversTest(unittest.TestCase):
    """`down` names an isolated host's namespace or veth even once its directory is gone."""

    def test_namespaces_and_interfaces_named_like_a_host_are_reported(self) -> None:
        with tempfile.TemporaryDirectory() as root:
            netns, net, hosts = Path(root, "netns"), Path(root, "net"), Path(root, "hosts")
            for path in (netns / "slh-gone", net / "slh-gone-o", net / "eth0", netns / "other"):
                path.mkdir(parents=True)
            with (
                mock.patch.object(isolated_host, "NETNS_DIR", netns),
                mock.patch.object(isolated_host, "SYS_CLASS_NET", net),
                mock.patch.object(config, "ISOLATED_HOSTS_DIR", hosts),
            ):
                left = isolated_host.leftovers()
        self.assertEqual(left, ["network namespace slh-gone", "interface slh-gone-o"])
