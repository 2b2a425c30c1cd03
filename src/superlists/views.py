from pathlib import Path

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

# A release creates this in the old container before stopping it (infra/roles/superlists): the
# proxy's health checks then send new requests to the new release only.
DRAINING = Path("/tmp/superlists-draining")


def healthz(request: HttpRequest) -> HttpResponse:
    """200 once this instance can serve requests: its database answers, migrated.

    The proxy sends a release traffic only after this answers 200, and the image's HEALTHCHECK
    asks it too; so it must not depend on anything a visitor brings (session, cookies).
    """
    if DRAINING.exists():
        return HttpResponse(
            "draining: a newer release takes over\n", status=503, content_type="text/plain"
        )
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_migrations")
    except DatabaseError as error:
        return HttpResponse(
            f"database unavailable: {error}\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ok\n", content_type="text/plain")
