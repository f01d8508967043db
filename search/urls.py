"""Public search pages (filled by the search work)."""

urlpatterns: list = []
