"""The role's templates, rendered by Ansible's own `template` module, locally; and its files."""

import importlib.util
import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = REPO_ROOT / "infra" / "roles" / "superlists" / "templates"
DEFAULTS = TEMPLATES.parent / "defaults" / "main.yaml"
ANSIBLE = Path(sys.executable).parent / "ansible"


def role_defaults() -> dict[str, object]:
    defaults: dict[str, object] = yaml.safe_load(DEFAULTS.read_text())
    return defaults


def render_role_template(
    name: str, variables: Mapping[str, object], inventory: Mapping[str, object] | None = None
) -> str:
    """``name`` rendered with the role's defaults (as the role has them), then ``variables``;
    with ``inventory`` (as a YAML inventory has it) for the groups and hosts it reads."""
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / name
        inventory_file = Path(directory) / "inventory.yaml"
        inventory_file.write_text(yaml.safe_dump(inventory or {"all": {}}, sort_keys=False))
        result = subprocess.run(
            [
                ANSIBLE,
                "localhost",
                "-i",
                str(inventory_file),
                "-c",
                "local",
                "-m",
                "ansible.builtin.template",
                "-a",
                f"src={TEMPLATES / name} dest={output}",
                "-e",
                json.dumps({**role_defaults(), **variables}),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return output.read_text()


def role_file_module(name: str) -> ModuleType:
    """One of the role's Python files as a module (the role ships each to servers on its own:
    they are no package)."""
    path = TEMPLATES.parent / "files" / name
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
