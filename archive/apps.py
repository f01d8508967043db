from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Seminar archive")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Transcript review follows Wagtail's moderation workflow (see archive.transcript_signals).
        from archive import transcript_signals  # noqa: F401
