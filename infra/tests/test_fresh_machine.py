"""The fresh-machine run (infra/fresh_machine.py) runs what the README promises, no more."""

import re
import unittest
from pathlib import Path

from infra import fresh_machine

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_two_commands() -> list[str]:
    """The commands of the README's "Two commands" section, from its indented code block."""
    section = README.read_text().split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^    (scripts/\S+)", section, flags=re.MULTILINE)


class FreshMachineTest(unittest.TestCase):
    def test_runs_each_of_the_readme_commands_as_it_is_written(self) -> None:
        commands = readme_two_commands()
        self.assertEqual(commands, ["scripts/serve", "scripts/test"])
        for command in commands:
            self.assertRegex(fresh_machine.README_COMMANDS, rf"(?m)^(setsid )?{command}\b")
