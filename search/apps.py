from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Public search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import checks  # noqa: F401 (registers the system checks)
        from search.indexing import connect_signals

        connect_signals()
