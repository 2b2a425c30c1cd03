# Superlists, served by gunicorn (static files by whitenoise) as a non-root user.
# Runtime configuration comes from the server's env file (see infra/deploy-playbook.yaml);
# nothing secret is baked into the image.
FROM python:3.11-slim

RUN python -m venv /venv
ENV PATH="/venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

# pg_dump and pg_restore, for `manage.py backup_database` where the database is PostgreSQL (they
# must be at least the server's major version: Debian bookworm's are 15).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir --require-hashes -r /tmp/requirements.txt

COPY src /src
WORKDIR /src
# Bytecode made once here: the image runs with PYTHONDONTWRITEBYTECODE (and as a user who could
# not write it), so every `manage.py` run over SSH would otherwise compile the app from source.
RUN python -m compileall -q /src

ENV DJANGO_DEBUG_FALSE=1 \
    DJANGO_DB_PATH=/data/db.sqlite3
# This image runs production settings whatever its environment says, and never a bulk delete
# without a staging server's read-only marker: operations/production_guard.py reads this file.
RUN mkdir -p /etc/superlists && echo "Superlists production image" > /etc/superlists/production-image

# collectstatic needs production settings to load; these placeholder values exist only for this
# command and are not kept in the image.
RUN DJANGO_SECRET_KEY=placeholder-for-collectstatic DJANGO_ALLOWED_HOST=localhost \
    EMAIL_HOST=localhost EMAIL_HOST_USER=placeholder SITE_URL=http://localhost \
    python manage.py collectstatic --noinput

# The database lives on a volume mounted at /data, so that it survives a redeploy.
RUN useradd --system --no-create-home --uid 1234 nonroot \
    && mkdir /data && chown nonroot /data
VOLUME /data
USER nonroot

EXPOSE 8888
# Healthy once the app answers /healthz, which checks the database (the proxy asks it too before
# a release takes traffic). The Host header must be one the app serves.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8888/healthz', headers={'Host': os.environ['DJANGO_ALLOWED_HOST'].split(',')[0]}), timeout=4)"]

# gunicorn's settings (port, workers, access log) are in gunicorn.conf.py, which the benchmark
# and the load test serve with too.
COPY gunicorn.conf.py /etc/gunicorn.conf.py
CMD ["gunicorn", "-c", "/etc/gunicorn.conf.py", "superlists.wsgi:application"]
