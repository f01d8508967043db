"""JSON API (filled by the search work)."""

urlpatterns: list = []
