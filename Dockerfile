# Seminariearkivet: one image for the web server and the background worker.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# gettext compiles translations; libpq talks to PostgreSQL; curl serves the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpq5 curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 archive
WORKDIR /app

# Dependencies first, so code changes do not reinstall them: install the project's pinned
# requirements from pyproject.toml with empty package stubs, then drop the stub install.
# The code itself runs from /app (manage.py, gunicorn's working directory).
COPY pyproject.toml README.md ./
RUN mkdir -p config archive search \
    && touch config/__init__.py archive/__init__.py search/__init__.py \
    && pip install . && pip uninstall -y seminar-archive && rm -rf build *.egg-info

COPY . .
# Build-time commands need no secrets: the base settings run without any environment.
RUN DJANGO_SETTINGS_MODULE=config.settings.base python manage.py compilemessages --ignore=.venv \
    && mkdir -p /app/media /app/staticfiles && chown -R archive:archive /app

USER archive
EXPOSE 8000

# The web service's command (docker-compose.yml) migrates, creates the cache table, sets up the
# site's home page (`manage.py setup_site`) and collects static files before starting
# gunicorn; the worker runs `manage.py db_worker`, the scheduler `manage.py run_schedule`
# (scheduled publishing). Run without compose, do the same (README "Production with Docker").
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
