"""Which process may destroy data in bulk: the FTs' fixtures, ``flush``, unapplying migrations.

The threat is an operator's own hands on a production server (``docker exec … env -u …``,
``env -i``, another ``--settings``), not an attacker who can run arbitrary code there. So the
decision is made by the code that does the damage, from facts no environment variable or
command-line option can change:

- the **production image** carries a file baked in at build time (``PRODUCTION_IMAGE_MARKER``);
  its root filesystem is read-only, so nothing run in the container can remove it, and the
  settings run production mode wherever it is, whatever the environment says;
- a **staging server**'s deploy mounts ``STAGING_MARKER`` read-only into the container, for the
  container's whole life: it must be a read-only *mount* (``/proc/self/mountinfo`` says so), so a
  file made by hand in a writable container does not count.

Outside the image (a source checkout), production settings (``DJANGO_DEBUG_FALSE``) refuse too;
development settings are the developer's own throwaway database.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError

PRODUCTION_IMAGE_MARKER = Path("/etc/superlists/production-image")
STAGING_MARKER = Path("/etc/superlists/staging")
MOUNTINFO = Path("/proc/self/mountinfo")


class BulkDeleteRefused(Exception):
    pass


def running_in_production_image() -> bool:
    return PRODUCTION_IMAGE_MARKER.is_file()


def read_only_mount_points(mountinfo: str) -> set[str]:
    """The mount points that are mounted read-only, from the text of /proc/<pid>/mountinfo
    (proc(5): the 5th field is the mount point, octal-escaped; the 6th the mount's options)."""
    points = set()
    for line in mountinfo.splitlines():
        fields = line.split()
        if len(fields) > 5 and "ro" in fields[5].split(","):
            points.add(fields[4].encode().decode("unicode_escape"))
    return points


def staging_marker_mounted() -> bool:
    """The staging marker is there, mounted read-only: only a staging server's deploy does that."""
    if not STAGING_MARKER.is_file():
        return False
    try:
        mountinfo = MOUNTINFO.read_text()
    except OSError:
        return False
    return str(STAGING_MARKER) in read_only_mount_points(mountinfo)


def holds_production_data() -> bool:
    """Whether this process may be looking at production data: anything the production image
    runs, or production settings from a checkout, unless it is a staging server's container."""
    if staging_marker_mounted():
        return False
    return running_in_production_image() or bool(settings.PRODUCTION)


def ensure_bulk_delete_allowed(what: str) -> None:
    """Raise BulkDeleteRefused, naming ``what``, where the data may be production's."""
    if holds_production_data():
        raise BulkDeleteRefused(
            f"Refusing to {what}: this server may hold production data. Only a staging "
            f"server (its deploy mounts {STAGING_MARKER} read-only) or development settings "
            "outside the production image allow it. To go back to an earlier state, restore "
            "a backup (manage.py restore_database --list)."
        )


def refuse_unapplying_migrations(plan: list[tuple[Any, bool]] | None = None, **kwargs: Any) -> None:
    """pre_migrate receiver: ``migrate <app> zero`` (or to any earlier migration) drops tables
    and columns, so it is refused with production's data, before anything is unapplied."""
    if any(backwards for _migration, backwards in plan or []):
        try:
            ensure_bulk_delete_allowed("unapply migrations (they drop tables and columns)")
        except BulkDeleteRefused as refusal:
            raise CommandError(str(refusal)) from None
