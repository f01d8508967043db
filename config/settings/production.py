import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, env_bool, env_int

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("Set SECRET_KEY to a long random value in production.")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    # Without it Django answers every request with 400 Bad Request.
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS to the host names the site answers to, separated by commas "
        "(e.g. arkiv.example.se,www.arkiv.example.se)."
    )
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# Persistent database connections, checked before a request reuses one: opening a PostgreSQL
# connection for every request cost 40 % of the throughput under load (bench/RESULTS.md).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# WhiteNoise answers /static/ itself, so only the middleware above it add their headers to
# static files: after SecurityHeadersMiddleware, whose CSP and Permissions-Policy every answer
# carries (an SVG opened on its own is a document), as Django's SecurityMiddleware's do.
_HEADERS = MIDDLEWARE.index("config.middleware.SecurityHeadersMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_HEADERS],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_HEADERS:],
]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}

# Served over HTTPS (by a TLS-terminating proxy in front, which sets X-Forwarded-Proto): secure
# cookies, HSTS and a redirect of plain-http requests. Unset: true; docker compose sets false
# unless .env says true, so its stack on http://127.0.0.1:8000 works out of the box.
HTTPS = env_bool("HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS

# Wagtail's page preview shows the page in a same-origin iframe, so X_FRAME_OPTIONS stays
# SAMEORIGIN (and the CSP says frame-ancestors 'self'); only the embed player opts out of both.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Uploaded media behind nginx (deploy/nginx/site.conf): nginx passes requests for a seminar's
# files (videos, their posters, slide thumbnails, Wagtail images) to Django, which checks who may
# fetch them and answers with X-Accel-Redirect to this internal nginx location; nginx then sends
# the file.
# Empty: Django serves no media at all (put a server in front that does, and keeps drafts' and
# private seminars' videos from the public).
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")

# E-mail: password resets and the moderation workflow's notifications, through an SMTP server.
# Without EMAIL_HOST mail goes to localhost:25, which the Docker image does not run, and
# `check --deploy` warns (config/checks.py).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip() or "localhost"
ARCHIVE_EMAIL_HOST_SET = bool(os.environ.get("EMAIL_HOST", "").strip())
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the start, usually port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL (port 465), not both."
    )
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
# A mail server that does not answer holds up the request that sends (a password reset).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or "webmaster@localhost"
# The sender of error reports to ADMINS (none are configured; errors go to the log).
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "").strip() or DEFAULT_FROM_EMAIL
