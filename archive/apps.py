from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Seminar archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Signal handlers: transcript review follows Wagtail's moderation workflow
        # (archive.transcript_signals); a renamed speaker's or series' old addresses redirect
        # (archive.slug_redirects).
        from archive import slug_redirects, transcript_signals  # noqa: F401

        # System checks of the settings read from the environment (API_RATE_LIMIT, e-mail).
        from config import checks  # noqa: F401
