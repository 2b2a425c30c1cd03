"""The facts the benchmark and the load test share, defined once: where the app and production's
gunicorn settings are, and the one address their servers bind to."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SRC_DIR = REPO_ROOT / "src"
# gunicorn's settings, production's: the image, the benchmark and the load test all serve with them.
GUNICORN_CONF = REPO_ROOT / "gunicorn.conf.py"

# Load goes to loopback only: the servers bind here, and sitekit.loopback refuses anything else.
BIND_HOST = "127.0.0.1"
SERVER_START_TIMEOUT_S = 30.0
