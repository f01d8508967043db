"""Settings shared by every environment.

Only this module and ``production.py`` read the environment. With no environment at all the site
runs on SQLite with the database search engine and media in ``./media``.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_int(name: str, default: int) -> int:
    """The whole number (0 or more) in environment variable ``name``; ``default`` if unset or
    empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number (0, 1, 2, ...), got {value!r}.")
    return int(value)


def env_float(name: str, default: float) -> float:
    """The number (0 or more, a decimal point allowed) in environment variable ``name``;
    ``default`` if unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number < float("inf"):
        raise ImproperlyConfigured(
            f"{name} must be a number of seconds such as 2 or 0.5 (no unit), got {value!r}."
        )
    return number


TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """Environment variable ``name`` as true (true, yes, 1, on) or false (false, no, 0, off),
    in any case; ``default`` if unset or empty."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in TRUE_WORDS | FALSE_WORDS:
        raise ImproperlyConfigured(
            f"{name} must be true or false, got {os.environ[name].strip()!r}."
        )
    return value in TRUE_WORDS


def env_log_level(name: str, default: str = "INFO") -> str:
    """A logging level name (DEBUG, INFO, WARNING, ERROR, CRITICAL) in any case."""
    value = os.environ.get(name, "").strip().upper() or default
    if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ImproperlyConfigured(
            f"{name} must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got "
            f"{os.environ[name].strip()!r}."
        )
    return value


def database_config() -> dict:
    """The default database from DATABASE_URL (SQLite file db.sqlite3 when unset or empty), with the
    password from DATABASE_PASSWORD when that is set: a password in a URL must have its / # ? %
    and @ percent-encoded, one in DATABASE_PASSWORD is taken as it is."""
    url = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    try:
        config = dj_database_url.parse(
            url,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),  # production: 60
        )
    except ValueError as exc:
        # The message never repeats the URL: it holds the password.
        raise ImproperlyConfigured(
            "DATABASE_URL is not a database URL. Write postgres://USER:PASSWORD@HOST:5432/NAME "
            "with the characters / # ? % @ in the password percent-encoded (/ as %2F), or leave "
            "the password out of the URL and set DATABASE_PASSWORD."
        ) from exc
    password = os.environ.get("DATABASE_PASSWORD", "")
    if password:
        config["PASSWORD"] = password
    return config


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "archive",
    "search",
    "wagtailmedia",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the /api/docs/ Swagger UI from local static files, not a CDN
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "config.middleware.ContentEncodingMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware: the API's language, HEAD and JSON errors, then the checks that
    # answer in that language (a NUL character, the rate limit: its 429 was always Swedish).
    "config.middleware.ApiMiddleware",
    "config.middleware.NulCharacterMiddleware",
    "config.middleware.RateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "config.middleware.AdminWritesAtomicMiddleware",  # last: runs the view, after the CSRF check
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "archive.context_processors.site_chrome",
            ],
        },
    },
]

DATABASES = {"default": database_config()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer imports; a busy timeout instead of instant
    # "database is locked" errors.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Swedish first, English through the /en/ prefix.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("sv", "Svenska"), ("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Upload limits: documents (slides), images and media are capped; Pillow's decompression-bomb
# guard stays on (Wagtail's default WAGTAILIMAGES_MAX_IMAGE_PIXELS).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
WAGTAILDOCS_DOCUMENT_MODEL = "archive.ArchiveDocument"
WAGTAILDOCS_EXTENSIONS = ["pdf"]
# Uploads are checked by their bytes: a real, readable PDF (see archive/forms.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "archive.forms.ArchiveDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
# Uploaded video and audio (wagtailmedia; most seminars link YouTube or Vimeo instead); the
# admin form (archive.forms.ArchiveMediaForm) and the importer refuse larger files. Keep the
# proxy's client_max_body_size (deploy/nginx/site.conf) above it.
ARCHIVE_MEDIA_MAX_UPLOAD_SIZE = 2 * 1024 * 1024 * 1024
WAGTAILMEDIA = {
    "MEDIA_MODEL": "wagtailmedia.Media",
    "MEDIA_FORM_BASE": "archive.forms.ArchiveMediaForm",
}
WAGTAILDOCS_SERVE_METHOD = "serve_view"

WAGTAIL_SITE_NAME = "Seminariearkivet"
# "Tillit" and "tillit" are one topic: without this taggit made a second tag ("tillit_1").
TAGGIT_CASE_INSENSITIVE = True
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "password_required.html"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
# Wagtail's own (admin) search always uses the database backend; public search lives in search/.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Public archive search: Elasticsearch when ELASTICSEARCH_URL is set, else the database engine.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "seminars")
SEARCH_TIMEOUT_SECONDS = env_float("SEARCH_TIMEOUT_SECONDS", 2.0)
# Worker processes that read and analyse seminars while a large index run (import, rebuild) writes
# (search/parallel.py); 0 or 1: one process does everything.
SEARCH_INDEX_WORKERS = env_int("SEARCH_INDEX_WORKERS", min(os.cpu_count() or 1, 4))

# Background work (indexing, slide text extraction) through Django's tasks framework.
# Immediate by default; production sets the database backend and runs a worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Requests per client address to /api/ (django-ratelimit syntax: 120/m, 2000/h); empty disables
# the limit. A malformed value is reported by `manage.py check` (config/checks.py).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/m").strip()
# An export (/api/search/export.csv|json) runs up to a hundred searches: it counts as this many
# requests against API_RATE_LIMIT.
API_EXPORT_WEIGHT = 10
# Requests per client address to the search pages (/sok/ and a seminar's moments, /sok/<id>/),
# which run the same searches as the API: generous, for people clicking through filters.
SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "600/m").strip()


# Reverse proxies in front of the site that add the client's address to X-Forwarded-For; the
# client address (rate limits) is read from that header only when this is more than 0.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
RATELIMIT_IP_META_KEY = "config.middleware.client_address"

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

# Level of the archive and search loggers (any case: "info" is INFO).
LOG_LEVEL = env_log_level("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "archive": {"level": LOG_LEVEL},
        "search": {"level": LOG_LEVEL},
    },
}

LANGUAGE_NAMES = {"sv": _("Swedish"), "en": _("English")}
