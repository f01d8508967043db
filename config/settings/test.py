from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SEARCH_INDEX_PREFIX = "test_seminars"
MEDIA_ROOT = BASE_DIR / "media-test"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILEMBEDS_FINDERS = [{"class": "archive.embeds.OfflineEmbedFinder"}]
# The API rate limit is exercised by its own test with override_settings.
API_RATE_LIMIT = ""
SEARCH_RATE_LIMIT = ""
# Uploaded media served by Django (with Range requests) so the browser tests can play video.
SERVE_MEDIA = True
# InMemoryStorage reports a filesystem path that does not exist, so Wagtail's document view cannot
# stream slide PDFs; in tests it redirects to the media URL (served above) instead.
WAGTAILDOCS_SERVE_METHOD = "redirect"
