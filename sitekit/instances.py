"""What the load tests start from: the environment of production-mode instances on a database,
migrated, with their email going to an SMTP server here (whose mailbox the load test reads)."""

from collections.abc import Iterator
from contextlib import contextmanager

from sitekit.mail_sink import KeepMessages, mail_sink
from sitekit.production_env import prepare, production_env


@contextmanager
def instances_env(database: dict[str, str]) -> Iterator[tuple[dict[str, str], KeepMessages]]:
    """Yield the instances' environment on ``database`` (DATABASE_URL or DJANGO_DB_PATH), and
    the mailbox their email arrives in."""
    with mail_sink() as (port, mailbox):
        env = production_env(database, EMAIL_PORT=str(port))
        if "DATABASE_URL" not in database:
            env.pop("DATABASE_URL", None)  # the database named here, not one from our environment
        prepare(env)
        yield env, mailbox
