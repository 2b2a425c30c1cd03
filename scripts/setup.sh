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
    export PATH="$HOME/.local/bin:$PATH"  # where uv's link goes
    command -v uv >/dev/null && return
    # Debian's python3 has no pip, and the pip of python3-pip refuses to install beside Debian's
    # own packages (PEP 668): uv gets a venv of its own, which needs Debian's python3-venv.
    local uv_venv="${XDG_DATA_HOME:-$HOME/.local/share}/superlists/uv"
    say "Installing uv (from PyPI) into $uv_venv"
    if ! python3 -m venv --clear "$uv_venv" 2>/dev/null; then
        install_apt_packages python3-venv
        python3 -m venv --clear "$uv_venv"
    fi
    "$uv_venv/bin/python" -m pip install --quiet --disable-pip-version-check uv \
        || die "Could not install uv from PyPI: fix what pip says above and try again."
    mkdir -p "$HOME/.local/bin"
    ln -sf "$uv_venv/bin/uv" "$HOME/.local/bin/uv"
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
    # The project's own code, importable from anywhere without sys.path or PYTHONPATH edits: the
    # app and its FTs (src/), and the deploy, stand-in, benchmark and load-test packages (the root).
    local site_packages
    site_packages="$("$VENV_PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    printf '%s\n' "$REPO_ROOT/src" "$REPO_ROOT" > "$site_packages/superlists-project.pth"
}

ensure_browser() {
    # The FTs' browser: chromium-headless-shell headless, chromium for FT_HEADLESS=0, and the
    # driver, which must be the same version: if any is missing, all three are installed, so that
    # apt brings the others up to the version of the new one.
    local browser_packages=(chromium chromium-headless-shell chromium-driver)
    [ -z "$(missing_apt_packages "${browser_packages[@]}")" ] \
        || install_apt_packages "${browser_packages[@]}"
}

ensure_npm_packages() {
    # The front-end packages package-lock.json pins, in node_modules: the FTs run axe-core from
    # there. npm comes from Debian; `npm ci` runs again whenever package-lock.json is newer.
    local lockfile="$REPO_ROOT/package-lock.json" modules="$REPO_ROOT/node_modules"
    command -v npm >/dev/null || install_apt_packages npm
    if [ ! -d "$modules" ] || [ "$lockfile" -nt "$modules" ]; then
        say "Installing the locked front-end packages (package-lock.json)"
        (cd "$REPO_ROOT" && npm ci --no-audit --no-fund) \
            || die "npm ci failed: fix what it says above, then run 'npm ci' in $REPO_ROOT."
        touch "$modules"  # npm ci may keep its mtime; now it counts as newer than the lockfile
    fi
}

ensure_caddy() {
    # The reverse proxy's tests (infra/tests/test_proxy_config.py) run Debian's Caddy, the one
    # the stand-in's proxy image holds.
    ensure_apt_packages caddy
}

ensure_apt_packages() {
    # ensure_apt_packages PACKAGE...: install those of these Debian packages that are missing.
    local missing
    read -r -a missing <<< "$(missing_apt_packages "$@")"
    [ "${#missing[@]}" = 0 ] || install_apt_packages "${missing[@]}"
}

missing_apt_packages() {
    local package
    for package in "$@"; do
        dpkg-query --show --showformat='${Status}' "$package" 2>/dev/null \
            | grep -q "install ok installed" || printf '%s ' "$package"
    done
}

install_apt_packages() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "Installing $* with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        die "Missing $*: run 'sudo apt-get install -y $*' and try again."
    fi
}
