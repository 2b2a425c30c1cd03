"""The app's way to the database, as the multi-host tests use it from an app host: libpq's
multi-host connection with target_session_attrs=read-write, as DATABASE_URL has it."""

import shlex

from infra.standin import credentials, topology

from .hosts import PSQL

DB_HOSTS = topology.GROUPS["db"]
PRIMARY, STANDBY = DB_HOSTS
APP_HOSTS = topology.GROUPS["app"]
# The role's defaults (database_name, database_user, database_connect_timeout).
CONNECTION = (
    f"host={','.join(host.address for host in DB_HOSTS)} user=superlists dbname=superlists "
    "target_session_attrs=read-write connect_timeout=2"
)


def app_psql_script(sql_lines: str) -> str:
    """A shell script (for an app host's stdin, so the password is on no command line) that
    runs each line of `sql_lines` as the app's role on whichever db host is the primary."""
    return (
        f"export PGPASSWORD={shlex.quote(credentials.database_password())}\n"
        f"{PSQL} {shlex.quote(CONNECTION)} -qtAX --set=ON_ERROR_STOP=1 <<'SQL'\n"
        f"{sql_lines}\nSQL\n"
    )


def writer_script(table: str, seconds: int) -> str:
    """Inserts 1, 2, 3… into `table`, one transaction each, for `seconds` (or until
    /srv/stop-writing exists), printing `ok N TIME` for each acknowledged insert and
    `failed N TIME` for each that was not."""
    return f"""\
export PGPASSWORD={shlex.quote(credentials.database_password())}
end=$(( $(date +%s) + {seconds} ))
n=0
rm -f /srv/stop-writing
while [ "$(date +%s)" -lt "$end" ] && [ ! -e /srv/stop-writing ]; do
    n=$((n + 1))
    if {PSQL} {shlex.quote(CONNECTION)} -qtAX -c "INSERT INTO {table} VALUES ($n)" >/dev/null 2>&1
    then echo "ok $n $(date +%s.%N)"
    else echo "failed $n $(date +%s.%N)"
    fi
done
"""
