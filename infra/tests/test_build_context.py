"""No development database reaches the image, nor changes its build tag.

SQLite in WAL mode keeps `-wal` and `-shm` files beside the database (a rollback journal is
`-journal`): each can hold a developer's data, so neither the build context (`.dockerignore`)
nor the files the build tag hashes (files/releases.py: `git ls-files -co --exclude-standard`) may
include any of them, wherever they are under src/.
"""

import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from docker.utils.build import exclude_paths

from infra.tests.role_templates import role_file_module

REPO_ROOT = Path(__file__).resolve().parents[2]
releases = role_file_module("releases.py")

SOURCE_FILES = ("Dockerfile", "src/manage.py", "src/lists/models.py")
DATABASE_FILES = tuple(
    f"{directory}/{name}{suffix}"
    for directory in ("src", "src/lists")
    for name in ("db.sqlite3", "other.sqlite3")
    for suffix in ("", "-wal", "-shm", "-journal")
)


class DevelopmentDatabaseTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tree = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tree)
        for ignore_file in (".dockerignore", ".gitignore"):
            shutil.copy(REPO_ROOT / ignore_file, self.tree / ignore_file)
        for name in SOURCE_FILES + DATABASE_FILES:
            (self.tree / name).parent.mkdir(parents=True, exist_ok=True)
            (self.tree / name).write_text("")

    def test_build_context_has_no_database_file(self) -> None:
        # The patterns read as the Docker SDK (and community.docker) read .dockerignore.
        lines = (REPO_ROOT / ".dockerignore").read_text().splitlines()
        patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        context = exclude_paths(str(self.tree), patterns)
        self.assertTrue(set(SOURCE_FILES) <= context, "the source must be sent")
        self.assertEqual(sorted(set(DATABASE_FILES) & context), [])

    def test_build_tag_hashes_no_database_file(self) -> None:
        subprocess.run(["git", "-C", str(self.tree), "init", "--quiet"], check=True)
        hashed = [name for name, _ in releases.checkout_build_files(self.tree)]
        # The tree holds .dockerignore too (setUp copies it), one of releases.BUILD_FILES.
        self.assertEqual(sorted(hashed), sorted([*SOURCE_FILES, ".dockerignore"]))
