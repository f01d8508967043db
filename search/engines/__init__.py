"""Which engine answers: Elasticsearch when ``ELASTICSEARCH_URL`` is set, else the database.

``search_with_fallback`` is what pages and the API call: if Elasticsearch is down or slow, the
database engine answers (``fallback_reason`` says why) instead of an error page.
"""

from __future__ import annotations

import logging
import unicodedata

from django.conf import settings

from search.engines.base import EngineUnavailable, SearchQuery, SearchResults
from search.engines.database import DatabaseEngine

logger = logging.getLogger(__name__)


def elasticsearch_enabled() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def get_engine():
    """The configured primary engine (a new, cheap object per call)."""
    if elasticsearch_enabled():
        from search.engines.elasticsearch import ElasticsearchEngine

        return ElasticsearchEngine()
    return DatabaseEngine()


def database_engine() -> DatabaseEngine:
    return DatabaseEngine()


def engine_errors() -> tuple[type[BaseException], ...]:
    """Exceptions meaning "this engine cannot answer now, let the database answer". A query
    Elasticsearch refuses (``BadRequestError``, an ``ApiError``) is a bug rather than an outage;
    the engine logs it at ERROR level before raising it as ``EngineUnavailable``."""
    errors: list[type[BaseException]] = [EngineUnavailable, ConnectionError, TimeoutError, OSError]
    try:
        import elastic_transport
        import elasticsearch

        errors += [
            elasticsearch.TransportError,
            elasticsearch.ApiError,
            elastic_transport.TransportError,
        ]
    except ImportError:  # pragma: no cover - elasticsearch is a pinned dependency
        pass
    return tuple(errors)


FALLBACK_REASON = "elasticsearch_unavailable"


def search_with_fallback(query: SearchQuery) -> SearchResults:
    """Search with the primary engine; on an engine failure answer from the database."""
    if not elasticsearch_enabled():
        return name_selected_people(DatabaseEngine().search(query))
    try:
        return name_selected_people(get_engine().search(query))
    except engine_errors() + (ImportError,) as exc:
        logger.warning(
            "Search engine unavailable, the database engine answers: %s: %s",
            type(exc).__name__,
            str(exc)[:300],
        )
        results = DatabaseEngine().search(query)
        # Public (the API returns it): what happened, never the error, which names the
        # cluster's address (and its password, when the URL holds one).
        results.fallback_reason = FALLBACK_REASON
        return name_selected_people(results)


def name_selected_people(results: SearchResults) -> SearchResults:
    """A selected speaker whom no indexed seminar has speak (a moderator chosen in the archive
    listing's menu, whose ``?speaker=`` is anyone on the programme) has no label from the
    index: name them when they have a public page, in one query, instead of showing the slug."""
    unnamed = [v for v in results.facets.get("speaker", ()) if v.selected and v.label == v.value]
    if unnamed:
        from archive.models import public_speakers

        names = dict(
            public_speakers()
            .filter(slug__in=[v.value for v in unnamed])
            .values_list("slug", "name")
        )
        for value in unnamed:
            value.label = names.get(value.value, value.label)
    return results


def autocomplete_with_fallback(prefix: str, limit: int = 8) -> tuple[list[dict], str]:
    """Suggestions and the name of the engine that gave them; ``prefix`` composed (NFC) first,
    as ``search.params`` composes a search's text."""
    prefix = unicodedata.normalize("NFC", prefix or "")
    if elasticsearch_enabled():
        try:
            return get_engine().autocomplete(prefix, limit), "elasticsearch"
        except engine_errors() + (ImportError,) as exc:
            logger.warning("Autocomplete falls back to the database: %s", exc)
    return DatabaseEngine().autocomplete(prefix, limit), "database"


def write_engines():
    """Every engine that must hear about index changes: the database always, plus ES if set."""
    engines = [DatabaseEngine()]
    if elasticsearch_enabled():
        try:
            engines.append(get_engine())
        except engine_errors() + (ImportError,) as exc:
            logger.warning("Elasticsearch engine not usable for writes: %s", exc)
    return engines
