# Shared set-up for the project's scripts (sourced, not run): a venv in .venv with the exact,
# hash-checked versions from requirements-dev.txt, made and kept in sync by uv.

set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_PYTHON="$REPO_ROOT/.venv/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

ensure_python() {
    command -v python3 >/dev/null || die "Python 3.11+ is needed: install python3 (Debian: apt-get install -y python3 python3-venv)."
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "Python 3.11+ is needed, found $(python3 --version 2>&1)."
}

ensure_uv() {
    export PATH="$HOME/.local/bin:$PATH"  # where a user install of uv goes
    if ! command -v uv >/dev/null; then
        say "Installing uv (from PyPI, for this user)"
        python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv \
            || die "Could not install uv: run 'python3 -m pip install uv' and try again."
    fi
}

ensure_venv() {
    ensure_python
    ensure_uv
    if [ ! -x "$VENV_PYTHON" ]; then
        say "Creating the virtualenv in .venv"
        uv venv --quiet --python "$(command -v python3)" "$REPO_ROOT/.venv"
    fi
    say "Installing the locked dependencies (requirements-dev.txt)"
    # Bytecode compiled now, once: with PYTHONDONTWRITEBYTECODE set (as on our machines) every
    # Python process would otherwise compile Django from source again, 0.8 s per start.
    uv pip sync --quiet --require-hashes --compile-bytecode --python "$VENV_PYTHON" \
        "$REPO_ROOT/requirements-dev.txt"
}

ensure_browser() {
    # The FTs' browser: chromium-headless-shell headless, chromium for FT_HEADLESS=0.
    ensure_apt_packages chromium chromium-headless-shell chromium-driver
}

ensure_apt_packages() {
    # ensure_apt_packages PACKAGE...: install those of these Debian packages that are missing.
    local missing=() package
    for package in "$@"; do
        dpkg-query --show --showformat='${Status}' "$package" 2>/dev/null \
            | grep -q "install ok installed" || missing+=("$package")
    done
    [ "${#missing[@]}" = 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing ${missing[*]} with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "Missing ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}' and try again."
    fi
}
