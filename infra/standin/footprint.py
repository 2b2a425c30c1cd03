"""What `up` created outside its own directories, recorded so that `down` undoes exactly that.

Each record is an empty marker file in config.CREATED_MARKERS_DIR whose name encodes what was
created (e.g. `directory:/run/sshd`). Nothing that existed before `up` is ever recorded, so
nothing that existed before is ever removed.
"""

from pathlib import Path

from . import config


def _marker(kind: str, name: str) -> Path:
    return config.CREATED_MARKERS_DIR / f"{kind}:{name}".replace("/", "%")


def record(kind: str, name: str) -> None:
    config.CREATED_MARKERS_DIR.mkdir(parents=True, exist_ok=True)
    _marker(kind, name).touch()


def was_created(kind: str, name: str) -> bool:
    return _marker(kind, name).exists()


def forget(kind: str, name: str) -> None:
    _marker(kind, name).unlink(missing_ok=True)


def records() -> list[tuple[str, str]]:
    """(kind, name) of everything recorded as created and not yet undone."""
    if not config.CREATED_MARKERS_DIR.exists():
        return []
    found = []
    for marker in config.CREATED_MARKERS_DIR.iterdir():
        kind, _, name = marker.name.replace("%", "/").partition(":")
        found.append((kind, name))
    return sorted(found)


def ensure_directory(path: Path, mode: int) -> None:
    """Create `path` (with `mode`) if missing, remembering that we did."""
    if not path.exists():
        path.mkdir(mode=mode, parents=True)
        record("directory", str(path))


def remove_directory_if_created(path: Path) -> None:
    """Remove `path` if `up` created it and it is empty now."""
    if was_created("directory", str(path)):
        try:
            path.rmdir()
        except FileNotFoundError:
            pass
        except OSError:
            return  # not empty: something else uses it now, leave it
        forget("directory", str(path))
