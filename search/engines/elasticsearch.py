"""The Elasticsearch 8 engine for public search (used when ``ELASTICSEARCH_URL`` is set).

Seminars live in a versioned index ``<prefix>-<timestamp>`` behind the alias ``<prefix>``; all
reads and writes go through the alias. ``rebuild()`` fills a NEW index and then moves the alias in
one atomic ``update_aliases`` call (the pattern of elasticsearch-dsl-py's
``examples/alias_migration.py``), so a rebuild that dies half-way leaves the old index serving.

Every transport failure (refused connection, timeout, cluster error) is raised as
``EngineUnavailable``, and so is an ``ELASTICSEARCH_URL`` the client cannot use (no port, say;
``search.checks`` reports that at startup too); the search page then answers from the database
engine. A search or autocomplete request that Elasticsearch refuses as malformed (HTTP 400) is a
bug in the query, not an outage: it is logged at ERROR level with its status before the
database answers. Searches use a short timeout (``settings.SEARCH_TIMEOUT_SECONDS``) and no
retries, so a slow cluster falls back fast.

A rebuild indexes every public seminar before it swaps the alias; a seminar Elasticsearch
refuses stops the swap (the old index keeps serving, complete) and the error names every refused
seminar and why. ``status()`` also compares the synonyms and analysis the index was built with
(its mapping's ``_meta``) with the files and code now: they only change with a rebuild.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils import timezone
from elastic_transport import TransportError
from elastic_transport.client_utils import url_to_node_config
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError, helpers

from search.engines.base import EngineUnavailable, SearchQuery, SearchResults
from search.es_analysis import analysis_meta
from search.es_documents import SeminarDocument, from_search_document, seminar_index
from search.es_queries import (
    ENGINE_NAME,
    build_autocomplete,
    build_search,
    parse_autocomplete,
    parse_response,
)

WRITE_TIMEOUT_SECONDS = 60  # bulk loads and index creation during a rebuild
BULK_CHUNK_SIZE = 100
AUTOCOMPLETE_MIN_LENGTH = 2
REFUSALS_SHOWN = 10  # refused seminars named in one error message

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=8)
def shared_client(url: str, timeout: float) -> Elasticsearch:
    """One client per URL and timeout, shared by the short-lived engine objects, so requests
    reuse its keep-alive (and TLS) connections. No retries: a failed search falls back at once."""
    return Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False)


def versioned_name(prefix: str, now: dt.datetime | None = None) -> str:
    """``<prefix>-<UTC timestamp with microseconds>``: sorts by creation time."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{prefix}-{now.strftime('%Y%m%d%H%M%S%f')}"


def alias_actions(
    alias: str, new_index: str, old_indices: Iterable[str], concrete_index: str | None = None
) -> list[dict]:
    """The single ``update_aliases`` body that moves ``alias`` to ``new_index`` atomically.

    ``concrete_index`` is a plain index that squats on the alias's name (created by a write that
    arrived before any alias existed); it is removed in the same atomic step.
    """
    actions: list[dict] = [{"remove": {"index": name, "alias": alias}} for name in old_indices]
    if concrete_index:
        actions.append({"remove_index": {"index": concrete_index}})
    actions.append({"add": {"index": new_index, "alias": alias, "is_write_index": True}})
    return actions


def without_credentials(url: str) -> str:
    """``url`` without a user name and password ("http://elastic:secret@es:9200" →
    "http://es:9200"), for messages and logs; also when ``url`` is malformed."""
    try:
        parts = urlsplit(url or "")
    except ValueError:  # e.g. an unclosed "[" of an IPv6 address
        return re.sub(r"(//)[^/]*@", r"\1", url or "")
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as the cluster's address (None when the client can use it),
    in words that say what to set; never with the password."""
    shown = without_credentials(url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        detail = "it cannot be read as scheme://host:port"
    else:
        if parts.scheme not in ("http", "https"):
            detail = "it must start with http:// or https://"
        elif not parts.hostname:
            detail = "it names no host"
        elif port is None and parts.scheme == "http":
            detail = "it names no port (http:// needs one; Elasticsearch listens on 9200)"
        else:
            try:
                url_to_node_config(url)  # what the client itself does with it
                return None
            except ValueError as exc:
                detail = str(exc)
    return (
        f"ELASTICSEARCH_URL {shown!r} is not a usable address: {detail}. Set it like "
        "http://localhost:9200 (https:// alone means port 443)."
    )


class ElasticsearchEngine:
    """Public search on Elasticsearch 8; see the module docstring for the index layout."""

    name = ENGINE_NAME

    def __init__(
        self,
        url: str | None = None,
        prefix: str | None = None,
        timeout: float | None = None,
        client: Elasticsearch | None = None,
    ):
        self.url = url if url is not None else settings.ELASTICSEARCH_URL
        self.alias = (prefix or settings.SEARCH_INDEX_PREFIX).lower()
        self.timeout = float(timeout if timeout is not None else settings.SEARCH_TIMEOUT_SECONDS)
        self._client = client
        self._ensured = False

    # --- plumbing ------------------------------------------------------------------------------

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            if not self.url:
                raise EngineUnavailable(
                    "ELASTICSEARCH_URL is empty: set it (e.g. http://localhost:9200) to search "
                    "with Elasticsearch, or leave it empty to use the database engine."
                )
            problem = url_problem(self.url)
            if problem:
                raise EngineUnavailable(problem)
            try:
                self._client = shared_client(self.url, self.timeout)
            except ValueError as exc:  # anything else the client refuses in the address
                raise EngineUnavailable(
                    f"ELASTICSEARCH_URL {without_credentials(self.url)!r} is not a usable "
                    f"address: {exc}"
                ) from None
        return self._client

    @property
    def writer(self) -> Elasticsearch:
        """The client with the longer timeout that bulk loads need."""
        return self.client.options(request_timeout=WRITE_TIMEOUT_SECONDS)

    def _unavailable(self, exc: Exception, doing: str) -> EngineUnavailable:
        return EngineUnavailable(
            f"Elasticsearch at {without_credentials(self.url)} failed while {doing}: {exc}"
        )

    def _call(self, doing: str, func: Callable, **kwargs):
        try:
            return func(**kwargs)
        except (TransportError, ApiError) as exc:
            raise self._unavailable(exc, doing) from exc

    def _read(self, doing: str, body: dict):
        """A search request. One Elasticsearch refuses (HTTP 400: a malformed query, too many
        clauses) is a bug to fix: logged at ERROR with its status, then unavailable like any
        failure, so the database still answers."""
        try:
            return self.client.search(index=self.alias, body=body)
        except BadRequestError as exc:
            logger.error(
                "Elasticsearch refused the request while %s (HTTP %s, %s): %s",
                doing,
                exc.status_code,
                exc.error,
                str(exc.info)[:1000],
            )
            raise self._unavailable(exc, doing) from exc
        except (TransportError, ApiError) as exc:
            raise self._unavailable(exc, doing) from exc

    # --- reading -------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        response = self._read("searching", build_search(query).to_dict())
        return parse_response(query, response.body)

    def autocomplete(self, prefix: str, limit: int = 8) -> list[dict]:
        if len((prefix or "").strip()) < AUTOCOMPLETE_MIN_LENGTH:
            return []
        response = self._read("autocompleting", build_autocomplete(prefix, limit).to_dict())
        return parse_autocomplete(prefix, response.body, limit)

    # --- index management ----------------------------------------------------------------------

    def _alias_indices(self) -> list[str]:
        """The concrete indices the alias points to now ([] when there is no alias)."""
        try:
            response = self.client.indices.get_alias(name=self.alias)
        except NotFoundError:
            return []
        return sorted(response.body)

    def _own_indices(self) -> list[str]:
        """Every ``<prefix>-*`` index, alias or not (left-overs of interrupted rebuilds too)."""
        response = self.client.indices.get(
            index=f"{self.alias}-*", allow_no_indices=True, expand_wildcards="open,closed"
        )
        return sorted(response.body)

    def _squatting_index(self) -> str | None:
        """A plain index named like the alias (an early write auto-created it), if any."""
        if self.client.indices.exists_alias(name=self.alias):
            return None
        return self.alias if self.client.indices.exists(index=self.alias) else None

    def _create_index(self, name: str, aliases: dict | None = None) -> None:
        body = seminar_index(name).to_dict()
        if aliases:
            body["aliases"] = aliases
        self.writer.indices.create(index=name, **body)

    def ensure_index(self) -> str:
        """The index behind the alias, creating the first versioned index + alias if none."""
        try:
            current = self._alias_indices()
            if current:
                self._ensured = True
                return current[-1]
            if self._squatting_index():
                raise EngineUnavailable(
                    f"An index named {self.alias!r} exists where the search alias should be. "
                    "Run `manage.py search_index --rebuild` to replace it."
                )
            name = versioned_name(self.alias)
            # Created together with its alias: no moment where the index exists unaliased.
            self._create_index(name, aliases={self.alias: {"is_write_index": True}})
        except (TransportError, ApiError) as exc:
            raise self._unavailable(exc, "creating the index") from exc
        self._ensured = True
        return name

    def refresh(self) -> None:
        """Make everything indexed so far searchable now (tests; ES refreshes every second)."""
        self._call("refreshing", self.client.indices.refresh, index=self.alias)

    def delete_all(self) -> None:
        """Delete the alias's indices and every ``<prefix>-*`` index (tests, teardown)."""
        try:
            names = set(self._own_indices()) | set(self._alias_indices())
            squatter = self._squatting_index()
            if squatter:
                names.add(squatter)
            if names:
                # Explicit names: ES 8 refuses wildcard deletes (action.destructive_requires_name).
                self.client.indices.delete(index=",".join(sorted(names)))
        except (TransportError, ApiError) as exc:
            raise self._unavailable(exc, "deleting indices") from exc
        self._ensured = False

    # --- writing -------------------------------------------------------------------------------

    @staticmethod
    def document_for(page) -> SeminarDocument:
        doc = from_search_document(page.search_document())
        doc.indexed_at = timezone.now()
        return doc

    @staticmethod
    def _public_ids(ids: Iterable[int]) -> set[int]:
        from archive.models import public_seminars

        return set(public_seminars().filter(pk__in=list(ids)).values_list("pk", flat=True))

    def index(self, page) -> None:
        """Index ``page`` if it is public (live, not view-restricted); otherwise remove it."""
        from archive.models import public_seminars

        live = public_seminars().filter(pk=page.pk).first()
        if live is None:
            self.remove(page.pk)
            return
        if not self._ensured:
            self.ensure_index()
        doc = self.document_for(live)
        self._call(
            "indexing", self.client.index, index=self.alias, id=str(page.pk), document=doc.to_dict()
        )

    def remove(self, page_id: int) -> None:
        try:
            self.client.delete(index=self.alias, id=str(page_id))
        except NotFoundError:
            pass  # not indexed (or no index yet): nothing to remove
        except (TransportError, ApiError) as exc:
            raise self._unavailable(exc, "removing a seminar") from exc

    def _actions(self, pages: Iterable, index_name: str, progress=None) -> Iterator[dict]:
        """Bulk actions for ``pages`` (pages or page ids): index the public ones as they are in
        the database now, delete the others. Works through the input in batches."""
        from archive.models import SeminarPage

        batch: list[int] = []

        def flush() -> Iterator[dict]:
            public = self._public_ids(batch)
            live = SeminarPage.objects.filter(pk__in=public).select_related("series", "venue")
            for page in live:
                action = self.document_for(page).to_dict(include_meta=True)
                action["_index"] = index_name
                yield action
            for page_id in batch:
                if page_id not in public:
                    yield {"_op_type": "delete", "_index": index_name, "_id": str(page_id)}
            if progress:
                for _ in batch:
                    progress(1)
            batch.clear()

        for page in pages:
            batch.append(getattr(page, "pk", page))
            if len(batch) >= BULK_CHUNK_SIZE:
                yield from flush()
        yield from flush()

    def _send(self, pages: Iterable, index_name: str, progress=None) -> tuple[int, dict]:
        """Send the actions for ``pages``, all of them even when some are refused: the number
        of seminars indexed (deletes not counted) and ``{page id: why}`` of those refused."""
        indexed, refused = 0, {}
        try:
            for ok, item in helpers.streaming_bulk(
                self.writer,
                self._actions(pages, index_name, progress),
                chunk_size=BULK_CHUNK_SIZE,
                raise_on_error=False,
            ):
                ((op, result),) = item.items()
                if ok:
                    indexed += op == "index"
                elif not (op == "delete" and result.get("status") == 404):  # already gone
                    refused[int(result.get("_id") or 0)] = _refusal_reason(result)
        except (TransportError, ApiError) as exc:
            raise self._unavailable(exc, "bulk indexing") from exc
        return indexed, refused

    def _bulk(self, pages: Iterable, index_name: str, progress=None) -> int:
        """Send the actions for ``pages``; the number of seminars indexed. Raises
        ``EngineUnavailable`` naming every refused seminar (after sending the others)."""
        indexed, refused = self._send(pages, index_name, progress)
        if refused:
            raise EngineUnavailable(refusal_message(refused))
        return indexed

    def index_many(self, pages, progress=None) -> int:
        """Index the public pages among ``pages``, remove the others; returns how many indexed."""
        if not self._ensured:
            self.ensure_index()
        return self._bulk(pages, self.alias, progress)

    def rebuild(self, progress=None) -> int:
        """Index every public seminar into a new index, then swap the alias to it atomically.

        Until the swap the old index keeps answering searches. Edits published while the
        rebuild runs went to the old index; they are replayed into the new one after the swap.
        ``progress`` (optional) is called with 1 for each seminar handled, e.g. ``tqdm.update``.
        """
        from archive.models import public_seminars

        started = timezone.now()
        new_index = versioned_name(self.alias)
        try:
            self._create_index(new_index)
            ids = list(public_seminars().order_by("pk").values_list("pk", flat=True))
            count, refused = self._send(ids, new_index, progress)
            if refused:
                # Swapping would silently drop these seminars from search: keep the old index.
                with contextlib.suppress(TransportError, ApiError):  # else the next rebuild
                    self.writer.indices.delete(index=new_index)
                raise EngineUnavailable(
                    refusal_message(
                        refused,
                        "so the new index was not swapped in (the old one "
                        "keeps serving); fix or unpublish them, then rebuild again.",
                    )
                )
            self.writer.indices.refresh(index=new_index)
            old = [name for name in self._alias_indices() if name != new_index]
            self.writer.indices.update_aliases(
                actions=alias_actions(self.alias, new_index, old, self._squatting_index())
            )
            self._ensured = True
            # Older indices: the one just replaced and any left by interrupted rebuilds.
            leftovers = [name for name in self._own_indices() if name < new_index]
            if leftovers:
                self.writer.indices.delete(index=",".join(leftovers))
        except (TransportError, ApiError) as exc:
            raise self._unavailable(exc, f"rebuilding into {new_index}") from exc
        self._catch_up(since=started)
        return count

    def _catch_up(self, since: dt.datetime) -> None:
        """Replay what changed during a rebuild: re-index recent publications, drop non-public."""
        from archive.models import public_seminars

        recent = list(
            public_seminars().filter(last_published_at__gte=since).values_list("pk", flat=True)
        )
        if recent:
            self._bulk(recent, self.alias)
        indexed = self._indexed_state()
        for page_id in set(indexed) - self._public_ids(indexed):
            self.remove(page_id)
        self.refresh()

    # --- health --------------------------------------------------------------------------------

    def _indexed_state(self) -> dict[int, tuple[str, dt.datetime | None]]:
        """``{page id: (fingerprint, indexed at)}`` of every indexed seminar."""
        body = {"query": {"match_all": {}}, "_source": ["fingerprint", "indexed_at"]}
        try:
            hits = helpers.scan(self.client, index=self.alias, query=body, size=500)
            return {int(hit["_id"]): _state(hit.get("_source", {})) for hit in hits}
        except (TransportError, ApiError) as exc:
            raise self._unavailable(exc, "listing indexed seminars") from exc

    def status(self) -> dict:
        """How the index compares with the published seminars (``search.indexing.index_drift``).

        ``missing``: public but not indexed; ``extra``: indexed but not public; ``stale``: changed
        since it was indexed, by time stamps or because the indexed content (fingerprint) differs
        from what the page gives now. Raises ``EngineUnavailable`` if the cluster cannot answer.
        """
        from archive.models import public_seminars
        from search.indexing import index_drift

        current = self._call("reading the alias", self._alias_indices)
        indexed = self._indexed_state() if current else {}
        result = index_drift(self.name, {pk: at for pk, (_fp, at) in indexed.items()})
        candidates = [pk for pk in indexed if pk not in result["extra"]]
        outdated = {
            page.pk
            for page in public_seminars().filter(pk__in=candidates)
            if page.search_document().get("fingerprint") != indexed[page.pk][0]
        }
        stale = sorted(set(result["stale"]) | outdated)
        titles = dict(public_seminars().filter(pk__in=stale).values_list("pk", "title"))
        rebuild = self._analysis_drift(current[-1]) if current else None
        result.update(
            index=current[-1] if current else None,
            stale=stale,
            titles={**result.get("titles", {}), **titles},
            ok=not (result["missing"] or stale or result["extra"] or rebuild),
        )
        if rebuild:
            result["rebuild"] = rebuild
        if not current:
            result["error"] = f"No index behind the alias {self.alias!r} yet: rebuild it."
        return result

    def _analysis_drift(self, index: str) -> str | None:
        """Why ``index`` must be rebuilt to search as this release and its word lists do (its
        mapping's ``_meta`` against ``analysis_meta()``), or None."""
        response = self._call("reading the mapping", self.client.indices.get_mapping, index=index)
        built = response.body.get(index, {}).get("mappings", {}).get("_meta") or {}
        now = analysis_meta()
        if not built:
            why = "it was built before indexes recorded their synonyms and analysis"
        elif built.get("synonyms") != now["synonyms"]:
            why = "its synonyms differ from search/data/synonyms_sv.txt"
        elif built.get("analysis") != now["analysis"]:
            why = "its analysis (word lists in search/data/, analyzers) differs from this release's"
        else:
            return None
        return (
            f"The index {index} searches as it was built: {why}. "
            "Run `manage.py search_index rebuild`."
        )


def _refusal_reason(result: dict) -> str:
    """Why Elasticsearch refused one bulk item: "HTTP 400, <type>: <reason>"."""
    error = result.get("error") or {}
    if isinstance(error, dict):
        cause = error.get("caused_by") or {}
        detail = f"{error.get('type', 'error')}: {error.get('reason', '')}".rstrip(": ")
        if cause.get("reason"):
            detail += f" ({cause.get('type', '')}: {cause['reason']})"
    else:
        detail = str(error)
    return f"HTTP {result.get('status', '?')}, {detail}"[:500]


def refusal_message(refused: dict, outcome: str = "") -> str:
    """``refused`` (``{page id: why}``) as one message naming each seminar (id and title)."""
    from archive.models import SeminarPage

    titles = dict(SeminarPage.objects.filter(pk__in=list(refused)).values_list("pk", "title"))
    lines = [
        f"seminar {page_id} {titles.get(page_id, '')!r}: {why}"
        for page_id, why in sorted(refused.items())[:REFUSALS_SHOWN]
    ]
    if len(refused) > REFUSALS_SHOWN:
        lines.append(f"… and {len(refused) - REFUSALS_SHOWN} more")
    head = f"Elasticsearch refused {len(refused)} seminar(s)"
    return f"{head}{', ' + outcome if outcome else ''}\n  " + "\n  ".join(lines)


def _state(source: dict) -> tuple[str, dt.datetime | None]:
    indexed_at = source.get("indexed_at")
    return source.get("fingerprint", ""), (
        dt.datetime.fromisoformat(indexed_at) if indexed_at else None
    )
