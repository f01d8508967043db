"""System checks for public search: an ``ELASTICSEARCH_URL`` the client cannot use is reported
at startup (``manage.py check``, ``runserver``, ``migrate``), with what to set, instead of
surfacing as a fallback to the database on every search."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register("search")
def check_elasticsearch_url(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        return []  # the database engine searches
    from search.engines.elasticsearch import url_problem

    problem = url_problem(url)
    if problem is None:
        return []
    return [
        checks.Error(
            problem,
            hint=(
                "Set ELASTICSEARCH_URL to the cluster's address with its port (user and "
                "password may go before the host: https://user:password@host:9200), or leave "
                "it empty to search with the database engine."
            ),
            id="search.E001",
        )
    ]
