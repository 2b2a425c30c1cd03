from pathlib import Path
from tempfile import TemporaryDirectory
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings

from lists.models import List
from operations import production_guard
from operations.production_guard import holds_production_data, read_only_mount_points

# Lines of a container's /proc/self/mountinfo, as Podman (runc) leaves them: a read-only root,
# the staging marker bind-mounted read-only, the data volume read-write.
CONTAINER_MOUNTINFO = """\
601 540 0:52 / / ro,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w
602 601 0:55 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
611 601 8:1 /srv/superlists/staging-marker /etc/superlists/staging ro,relatime - ext4 /dev/sda1 rw
612 601 8:1 /volumes/superlists-data/_data /data rw,relatime - ext4 /dev/sda1 rw
613 601 8:1 /x /with\\040space ro,relatime - ext4 /dev/sda1 rw
"""


class ReadOnlyMountPointsTest(SimpleTestCase):
    def test_lists_the_read_only_mounts_only(self) -> None:
        self.assertEqual(
            read_only_mount_points(CONTAINER_MOUNTINFO),
            {"/", "/etc/superlists/staging", "/with space"},
        )


class StagingMarkerMountedTest(SimpleTestCase):
    def marker_mounted(self, marker_exists: bool, mountinfo: str) -> bool:
        with TemporaryDirectory() as directory:
            marker = Path(directory, "staging")
            if marker_exists:
                marker.write_text("")
            mountinfo_file = Path(directory, "mountinfo")
            mountinfo_file.write_text(mountinfo.replace("/etc/superlists/staging", str(marker)))
            with (
                mock.patch.object(production_guard, "STAGING_MARKER", marker),
                mock.patch.object(production_guard, "MOUNTINFO", mountinfo_file),
            ):
                return production_guard.staging_marker_mounted()

    def test_a_read_only_mount_of_the_marker_counts(self) -> None:
        self.assertTrue(self.marker_mounted(True, CONTAINER_MOUNTINFO))

    def test_a_file_made_by_hand_does_not(self) -> None:
        not_mounted = "\n".join(
            line for line in CONTAINER_MOUNTINFO.splitlines() if "staging" not in line
        )
        self.assertFalse(self.marker_mounted(True, not_mounted))

    def test_a_writable_mount_does_not(self) -> None:
        writable = CONTAINER_MOUNTINFO.replace("staging ro,", "staging rw,")
        self.assertFalse(self.marker_mounted(True, writable))

    def test_no_marker_no_staging(self) -> None:
        self.assertFalse(self.marker_mounted(False, CONTAINER_MOUNTINFO))


class HoldsProductionDataTest(SimpleTestCase):
    def holds(self, *, image: bool, staging: bool, production_settings: bool) -> bool:
        with (
            mock.patch.object(production_guard, "running_in_production_image", return_value=image),
            mock.patch.object(production_guard, "staging_marker_mounted", return_value=staging),
            override_settings(PRODUCTION=production_settings),
        ):
            return holds_production_data()

    def test_the_production_image_holds_production_data_whatever_its_settings(self) -> None:
        self.assertTrue(self.holds(image=True, staging=False, production_settings=False))
        self.assertTrue(self.holds(image=True, staging=False, production_settings=True))

    def test_production_settings_from_a_checkout_do_too(self) -> None:
        self.assertTrue(self.holds(image=False, staging=False, production_settings=True))

    def test_a_staging_servers_container_does_not(self) -> None:
        self.assertFalse(self.holds(image=True, staging=True, production_settings=True))

    def test_development_settings_in_a_checkout_do_not(self) -> None:
        self.assertFalse(self.holds(image=False, staging=False, production_settings=False))


class FlushCommandTest(TransactionTestCase):
    @override_settings(PRODUCTION=True)
    def test_refuses_with_production_data_and_keeps_it(self) -> None:
        List.objects.create().item_set.create(text="precious")
        with self.assertRaisesRegex(CommandError, r"Refusing to empty the database \(flush\)"):
            call_command("flush", interactive=False, verbosity=0)
        self.assertEqual(List.objects.count(), 1)

    def test_refuses_in_the_production_image_even_with_development_settings(self) -> None:
        List.objects.create().item_set.create(text="precious")
        with (
            mock.patch.object(production_guard, "running_in_production_image", return_value=True),
            self.assertRaisesRegex(CommandError, "may hold production data"),
        ):
            call_command("flush", interactive=False, verbosity=0)
        self.assertEqual(List.objects.count(), 1)

    def test_empties_a_development_database(self) -> None:
        List.objects.create().item_set.create(text="throwaway")
        call_command("flush", interactive=False, verbosity=0)
        self.assertEqual(List.objects.count(), 0)


class UnapplyingMigrationsTest(TestCase):
    @override_settings(PRODUCTION=True)
    def test_refused_with_production_data_before_anything_is_unapplied(self) -> None:
        List.objects.create().item_set.create(text="precious")
        with self.assertRaisesRegex(CommandError, "Refusing to unapply migrations"):
            call_command("migrate", "lists", "zero", verbosity=0)
        self.assertEqual(List.objects.get().item_set.get().text, "precious")

    @override_settings(PRODUCTION=True)
    def test_applying_them_is_not(self) -> None:
        call_command("migrate", verbosity=0)  # nothing to apply, and no refusal
