"""Public archive URLs other than pages (transcript downloads and the like live here)."""

urlpatterns: list = []
