"""Which Debian mirror this machine's apt uses, so that debootstrap fetches from the same one."""

import re
from pathlib import Path

SOURCES_LIST = Path("/etc/apt/sources.list")
SOURCES_DIR = Path("/etc/apt/sources.list.d")


def debian_mirror(suite: str) -> str | None:
    """The first configured archive URI that serves ``suite`` (deb822 or one-line format)."""
    for path in [
        SOURCES_LIST,
        *sorted(SOURCES_DIR.glob("*.list")),
        *sorted(SOURCES_DIR.glob("*.sources")),
    ]:
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        found = (
            mirror_in_deb822(text, suite)
            if path.suffix == ".sources"
            else mirror_in_one_line_format(text, suite)
        )
        if found:
            return found
    return None


def mirror_in_deb822(text: str, suite: str) -> str | None:
    for stanza in re.split(r"\n\s*\n", text):
        fields = dict(
            (name.lower(), value.strip())
            for name, value in re.findall(r"^([A-Za-z-]+):(.*)$", stanza, re.MULTILINE)
        )
        if "deb" in fields.get("types", "").split() and suite in fields.get("suites", "").split():
            uris = fields.get("uris", "").split()
            if uris:
                return uris[0]
    return None


def mirror_in_one_line_format(text: str, suite: str) -> str | None:
    for line in text.splitlines():
        words = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
        if len(words) >= 3 and words[0] == "deb" and words[2] == suite:
            return words[1]
    return None
