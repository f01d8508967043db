"""The engine's index management against a small in-memory Elasticsearch over real HTTP.

The fake speaks just enough of the REST API the engine uses (indices, aliases, mappings,
documents, bulk, scroll, refresh) with Elasticsearch's status codes, and records every request, so
tests can check what the engine asked for (e.g. that an alias swap is ONE ``_aliases`` call). Like
Elasticsearch it refuses a document with more nested objects than its index allows
(``index.mapping.nested_objects.limit``, 10,000 unless set). It does not rank: ``_search``
returns every document of the index (or ``search_error`` when that is set). Ranking, analysis
and mappings are tested against a real cluster (``test_es_live.py``).
"""

from __future__ import annotations

import fnmatch
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from wagtail.models import PageViewRestriction

from search.engines.base import EngineUnavailable, SearchQuery
from search.engines.elasticsearch import ElasticsearchEngine


@dataclass
class Cluster:
    indices: dict[str, dict] = field(default_factory=dict)  # name -> {"body", "docs"}
    aliases: dict[str, set[str]] = field(default_factory=dict)  # alias -> index names
    requests: list[tuple[str, str, object]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    search_error: tuple[int, str, str] | None = None  # (status, type, reason) for _search

    def nested_limit(self, name: str) -> int:
        settings = self.indices[name]["body"].get("settings", {})
        return int(settings.get("mapping", {}).get("nested_objects", {}).get("limit", 10_000))

    def resolve(self, name: str) -> list[str]:
        if name in self.aliases:
            return sorted(self.aliases[name])
        if any(ch in name for ch in "*?"):
            return sorted(n for n in self.indices if fnmatch.fnmatch(n, name))
        return [name] if name in self.indices else []

    def write_index(self, name: str) -> str | None:
        names = self.resolve(name)
        return names[0] if len(names) == 1 else None


SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


def _error(status: int, kind: str, reason: str) -> tuple[int, dict]:
    return status, {"error": {"type": kind, "reason": reason}, "status": status}


class Handler(BaseHTTPRequestHandler):
    cluster: Cluster

    def log_message(self, *args):  # keep test output quiet
        pass

    def _reply(self, status: int, body: object = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        if "ndjson" in (self.headers.get("Content-Type") or "") or self.path.split("?")[0].endswith(
            "_bulk"
        ):
            return [json.loads(line) for line in raw.splitlines() if line.strip()]
        return json.loads(raw) if raw else None

    def _handle(self):
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        body = self._body()
        c = self.cluster
        with c.lock:
            c.requests.append((self.command, url.path, body))
            status, reply = self.route(c, self.command, parts, params, body)
        self._reply(status, reply)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

    # -- routing --------------------------------------------------------------------------------

    def route(self, c: Cluster, method: str, parts: list[str], params: dict, body):
        if parts[:1] == ["_alias"]:
            name = parts[1]
            if name not in c.aliases:
                return _error(404, "aliases_not_found_exception", f"alias [{name}] missing")
            return 200, {i: {"aliases": {name: {}}} for i in sorted(c.aliases[name])}
        if parts == ["_aliases"]:
            return self.update_aliases(c, body["actions"])
        if parts == ["_bulk"]:
            return self.bulk(c, body)
        if parts[:2] == ["_search", "scroll"]:
            if method == "DELETE":
                return 200, {"succeeded": True, "num_freed": 1}
            return 200, {
                "_scroll_id": "done",
                "_shards": SHARDS,
                "hits": {"total": {"value": 0, "relation": "eq"}, "hits": []},
            }
        target = parts[0]
        if len(parts) == 1:
            return self.index_level(c, method, target, params, body)
        if parts[1] == "_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if parts[1] == "_search":
            if c.search_error:
                return _error(*c.search_error)
            return self.search(c, target, params, body)
        if parts[1] == "_mapping":
            names = c.resolve(target)
            if not names:
                return _error(404, "index_not_found_exception", f"no such index [{target}]")
            return 200, {n: {"mappings": c.indices[n]["body"].get("mappings", {})} for n in names}
        if parts[1] == "_doc":
            return self.document(c, method, target, parts[2], body)
        return _error(400, "unsupported", f"{method} {'/'.join(parts)} is not faked")

    def index_level(self, c, method, name, params, body):
        if method == "HEAD":
            return (200, None) if c.resolve(name) else (404, None)
        if method == "PUT":
            if name in c.indices or name in c.aliases:
                return _error(400, "resource_already_exists_exception", f"[{name}] exists")
            c.indices[name] = {"body": body or {}, "docs": {}}
            for alias in (body or {}).get("aliases", {}):
                c.aliases.setdefault(alias, set()).add(name)
            return 200, {"acknowledged": True, "index": name}
        names = [n for part in name.split(",") for n in c.resolve(part)]
        if method == "GET":
            if not names and params.get("allow_no_indices") != "true":
                return _error(404, "index_not_found_exception", f"no such index [{name}]")
            return 200, {n: {"settings": {}, "mappings": {}} for n in names}
        if method == "DELETE":
            if any(ch in name for ch in "*?"):
                return _error(
                    400,
                    "illegal_argument_exception",
                    "Wildcard expressions or all indices are not allowed",
                )  # action.destructive_requires_name
            if not names:
                return _error(404, "index_not_found_exception", f"no such index [{name}]")
            for n in names:
                del c.indices[n]
                for members in c.aliases.values():
                    members.discard(n)
            c.aliases = {a: m for a, m in c.aliases.items() if m}
            return 200, {"acknowledged": True}
        return _error(405, "method_not_allowed", method)

    def update_aliases(self, c, actions):
        for action in actions:  # validate everything first: all or nothing
            ((kind, spec),) = action.items()
            if spec["index"] not in c.indices:
                return _error(404, "index_not_found_exception", spec["index"])
            if kind == "remove" and spec["index"] not in c.aliases.get(spec["alias"], set()):
                return _error(404, "aliases_not_found_exception", spec["alias"])
            if (
                kind == "add"
                and spec["alias"] in c.indices
                and not any(
                    a.get("remove_index", {}).get("index") == spec["alias"] for a in actions
                )
            ):
                return _error(
                    400,
                    "invalid_alias_name_exception",
                    "an index exists with the same name as the alias",
                )
        for action in actions:
            ((kind, spec),) = action.items()
            if kind == "remove":
                c.aliases[spec["alias"]].discard(spec["index"])
            elif kind == "remove_index":
                del c.indices[spec["index"]]
            elif kind == "add":
                c.aliases.setdefault(spec["alias"], set()).add(spec["index"])
        c.aliases = {a: m for a, m in c.aliases.items() if m}
        return 200, {"acknowledged": True}

    def document(self, c, method, name, doc_id, body):
        index = c.write_index(name)
        if index is None:
            if method == "PUT":  # Elasticsearch would auto-create a dynamic index here
                return _error(400, "fake_refuses_auto_create", f"no index or alias [{name}]")
            return _error(404, "index_not_found_exception", name)
        docs = c.indices[index]["docs"]
        if method == "PUT":
            created = doc_id not in docs
            docs[doc_id] = body
            return (201 if created else 200), {
                "_index": index,
                "_id": doc_id,
                "result": "created" if created else "updated",
            }
        if method == "DELETE":
            if docs.pop(doc_id, None) is None:
                return 404, {"_index": index, "_id": doc_id, "result": "not_found"}
            return 200, {"_index": index, "_id": doc_id, "result": "deleted"}
        return _error(405, "method_not_allowed", method)

    def bulk(self, c, lines):
        items, errors, i = [], False, 0
        while i < len(lines):
            ((op, meta),) = lines[i].items()
            index = c.write_index(meta["_index"])
            if op == "delete":
                i += 1
                found = index is not None and c.indices[index]["docs"].pop(meta["_id"], None)
                items.append(
                    {
                        op: {
                            "_index": meta["_index"],
                            "_id": meta["_id"],
                            "status": 200 if found else 404,
                            "result": "deleted" if found else "not_found",
                        }
                    }
                )
                continue
            source, i = lines[i + 1], i + 2
            if index is None:
                errors = True
                items.append(
                    {
                        op: {
                            "_index": meta["_index"],
                            "_id": meta.get("_id"),
                            "status": 404,
                            "error": {"type": "index_not_found_exception"},
                        }
                    }
                )
                continue
            nested = len(source.get("transcript") or []) + len(source.get("slides") or [])
            if nested > c.nested_limit(index):
                errors = True
                items.append(
                    {
                        op: {
                            "_index": index,
                            "_id": meta["_id"],
                            "status": 400,
                            "error": {
                                "type": "document_parsing_exception",
                                "reason": "The number of nested documents has exceeded the "
                                f"allowed limit of [{c.nested_limit(index)}]. This limit can "
                                "be set by changing the [index.mapping.nested_objects.limit] "
                                "index level setting.",
                            },
                        }
                    }
                )
                continue
            c.indices[index]["docs"][meta["_id"]] = source
            items.append(
                {op: {"_index": index, "_id": meta["_id"], "status": 201, "result": "created"}}
            )
        return 200, {"took": 1, "errors": errors, "items": items}

    def search(self, c, name, params, body):
        names = c.resolve(name)
        if not names:
            return _error(404, "index_not_found_exception", f"no such index [{name}]")
        wanted = (body or {}).get("_source")
        hits = []
        for n in names:
            for doc_id, source in sorted(c.indices[n]["docs"].items()):
                if isinstance(wanted, list):
                    source = {k: v for k, v in source.items() if k in wanted}
                hits.append({"_index": n, "_id": doc_id, "_score": 1.0, "_source": source})
        reply = {
            "took": 1,
            "timed_out": False,
            "_shards": SHARDS,
            "hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits},
        }
        if "scroll" in params:
            reply["_scroll_id"] = "scroll-1"
        return 200, reply


class FakeElasticsearch:
    """``with FakeElasticsearch() as fake: fake.url ...``; ``fake.cluster`` holds the state."""

    def __init__(self):
        self.cluster = Cluster()
        handler = type("BoundHandler", (Handler,), {"cluster": self.cluster})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def calls(self, method: str, path: str) -> list:
        return [body for m, p, body in self.cluster.requests if m == method and p == path]


# --- tests ---------------------------------------------------------------------------------------

PREFIX = "test_seminars_fake"


@pytest.fixture
def fake():
    with FakeElasticsearch() as server:
        yield server


@pytest.fixture
def es(fake, settings, archive_root):
    settings.ELASTICSEARCH_URL = ""  # publish signals stay away; the tests index explicitly
    return ElasticsearchEngine(url=fake.url, prefix=PREFIX, timeout=5)


@pytest.fixture
def pages(seminar):
    public = [
        seminar("Tillit i styrningen", lead="Om tillit."),
        seminar("Digitalisering", lead="Om myndigheter."),
    ]
    draft = seminar("Utkast", publish=False)
    private = seminar("Internt möte")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    return {"public": public, "draft": draft, "private": private}


def docs(fake, index=None) -> dict:
    c = fake.cluster
    (name,) = [index] if index else sorted(c.aliases[PREFIX])
    return c.indices[name]["docs"]


def test_ensure_index_creates_a_versioned_index_with_its_alias_in_one_request(es, fake):
    name = es.ensure_index()
    assert name.startswith(f"{PREFIX}-") and name[len(PREFIX) + 1 :].isdigit()
    (created,) = fake.calls("PUT", f"/{name}")
    assert created["aliases"] == {PREFIX: {"is_write_index": True}}
    assert created["mappings"]["properties"]["transcript"]["type"] == "nested"
    assert "sv_index" in created["settings"]["analysis"]["analyzer"]
    assert es.ensure_index() == name  # idempotent
    assert list(fake.cluster.indices) == [name]


def test_index_many_indexes_public_seminars_only(es, fake, pages):
    everything = [*pages["public"], pages["draft"], pages["private"]]
    assert es.index_many(everything) == 2
    indexed = docs(fake)
    assert sorted(indexed) == sorted(str(p.pk) for p in pages["public"])
    assert {d["title"] for d in indexed.values()} == {"Tillit i styrningen", "Digitalisering"}
    # Ids work as well as pages, and progress is told about every seminar handled.
    seen = []
    assert es.index_many([p.pk for p in everything], progress=seen.append) == 2
    assert seen == [1, 1, 1, 1]


def test_index_removes_a_seminar_that_stopped_being_public(es, fake, pages):
    page = pages["public"][0]
    es.index(page)
    assert str(page.pk) in docs(fake)
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    es.index(page)
    assert str(page.pk) not in docs(fake)
    es.remove(page.pk)  # removing what is not there is fine


def test_rebuild_swaps_the_alias_in_one_atomic_call_and_drops_the_old_index(es, fake, pages):
    old = es.ensure_index()
    es.index_many(pages["public"][:1])
    assert es.rebuild() == 2
    (new,) = fake.cluster.aliases[PREFIX]
    assert new != old and new > old
    (swap,) = fake.calls("POST", "/_aliases")
    assert swap["actions"] == [
        {"remove": {"index": old, "alias": PREFIX}},
        {"add": {"index": new, "alias": PREFIX, "is_write_index": True}},
    ]
    assert list(fake.cluster.indices) == [new]
    assert sorted(docs(fake)) == sorted(str(p.pk) for p in pages["public"])


def test_an_interrupted_rebuild_leaves_the_old_index_serving(es, fake, pages):
    old = es.ensure_index()
    es.index_many(pages["public"])

    class Killed(Exception):
        pass

    def die(_n):
        raise Killed

    with pytest.raises(Killed):
        es.rebuild(progress=die)
    assert fake.cluster.aliases[PREFIX] == {old}
    assert len(fake.cluster.indices) == 2  # the half-built one is left over...
    assert es.search(SearchQuery()).total == 2  # ...and searches still see every seminar
    assert fake.calls("POST", "/_aliases") == []
    es.rebuild()
    (new,) = fake.cluster.aliases[PREFIX]
    assert list(fake.cluster.indices) == [new]  # the next rebuild clears the left-over too


def test_rebuild_replaces_a_plain_index_squatting_on_the_alias_name(es, fake, pages):
    fake.cluster.indices[PREFIX] = {"body": {}, "docs": {"999": {"title": "junk"}}}
    with pytest.raises(EngineUnavailable, match="rebuild"):
        es.ensure_index()
    assert es.rebuild() == 2
    (swap,) = fake.calls("POST", "/_aliases")
    assert {"remove_index": {"index": PREFIX}} in swap["actions"]
    assert PREFIX not in fake.cluster.indices and PREFIX in fake.cluster.aliases


def test_status_reports_missing_and_stale_seminars(es, fake, pages):
    es.index_many(pages["public"])
    assert es.status()["ok"] is True
    first, second = pages["public"]
    es.remove(second.pk)
    first.lead = "Om tillit och förtroende."
    first.save_revision().publish()
    docs(fake)["424242"] = {"fingerprint": "x"}  # a seminar that no longer exists
    status = es.status()
    assert status["ok"] is False
    assert status["missing"] == [second.pk]
    assert status["stale"] == [first.pk]
    assert status["extra"] == [424242]
    assert status["titles"][first.pk] == first.title
    assert (status["documents"], status["published"]) == (2, 2)
    es.rebuild()
    assert es.status()["ok"] is True


def test_status_sees_content_drift_that_time_stamps_miss(es, fake, pages):
    """A speaker renamed after indexing changes no seminar's time stamps, only its document."""
    from archive.factories import SpeakerFactory
    from archive.models import SeminarSpeaker

    page = pages["public"][0]
    speaker = SpeakerFactory(name="Anna Svensson")
    SeminarSpeaker.objects.create(page=page, speaker=speaker, sort_order=0)
    es.index_many(pages["public"])
    assert es.status()["ok"] is True
    speaker.name = "Anna Svensson Berg"
    speaker.save()
    status = es.status()
    assert status["stale"] == [page.pk] and status["ok"] is False


def test_status_before_the_first_index_lists_everything_as_missing(es, pages):
    status = es.status()
    assert status["ok"] is False and status["index"] is None
    assert sorted(status["missing"]) == sorted(p.pk for p in pages["public"])
    assert "rebuild" in status["error"]


def test_searching_before_anything_was_indexed_is_unavailable_not_an_error_page(es):
    with pytest.raises(EngineUnavailable, match="searching"):
        es.search(SearchQuery(q="tillit"))


def test_delete_all_removes_every_index_of_the_prefix(es, fake, pages):
    es.ensure_index()
    with pytest.raises(RuntimeError):
        es.rebuild(progress=lambda _n: (_ for _ in ()).throw(RuntimeError("stop")))
    fake.cluster.indices["other-index"] = {"body": {}, "docs": {}}
    es.delete_all()
    assert list(fake.cluster.indices) == ["other-index"]
    assert PREFIX not in fake.cluster.aliases


# --- refusals, long transcripts, query bugs, analysis drift ------------------------------------


def test_a_day_long_transcript_is_indexed_and_a_rebuild_completes(es, fake, pages, seminar):
    """12,000 cues are more nested objects than an index takes (10,000): the document holds
    merged segments instead, so neither the seminar nor the whole rebuild is refused."""
    cues = [(2.0 * i, 2.0 * i + 2, "Anna Svensson", f"Ord nummer {i}.") for i in range(12_000)]
    long = seminar("Heldagskonferens", transcript=cues)
    assert es.rebuild() == 3
    (doc,) = [d for key, d in docs(fake).items() if key == str(long.pk)]
    assert 6_000 <= len(doc["transcript"]) <= 10_000
    assert doc["transcript"][1]["start"] == cues[len(cues) // len(doc["transcript"])][0]


def test_a_refused_seminar_stops_the_swap_and_the_error_says_which_and_why(
    es, fake, pages, seminar, monkeypatch
):
    old = es.ensure_index()
    es.index_many(pages["public"])
    long = seminar("Heldagskonferens", transcript=[(i, i + 1, "", f"Ord {i}.") for i in range(8)])
    # New indices take fewer nested objects than documents are built with: refused.
    monkeypatch.setattr("search.es_analysis.NESTED_OBJECTS_LIMIT", 5)
    with pytest.raises(EngineUnavailable) as refused:
        es.rebuild()
    message = str(refused.value)
    assert f"seminar {long.pk} 'Heldagskonferens': HTTP 400, document_parsing_exception" in message
    assert "nested documents has exceeded the allowed limit of [5]" in message
    assert "not swapped in" in message and "old one keeps serving" in message
    assert message.startswith("Elasticsearch refused 1 seminar(s), so the new index")
    # The complete old index still serves; the refused build is gone.
    assert fake.cluster.aliases[PREFIX] == {old} and list(fake.cluster.indices) == [old]
    assert es.search(SearchQuery()).total == 2


def test_index_many_indexes_the_others_and_names_a_refused_seminar(es, fake, pages, seminar):
    es.ensure_index()
    long = seminar("Heldagskonferens", transcript=[(i, i + 1, "", f"Ord {i}.") for i in range(8)])
    (index,) = fake.cluster.indices
    fake.cluster.indices[index]["body"]["settings"]["mapping"]["nested_objects"]["limit"] = 5
    with pytest.raises(EngineUnavailable, match=f"seminar {long.pk} 'Heldagskonferens'"):
        es.index_many([long, *pages["public"]])
    assert sorted(docs(fake)) == sorted(str(p.pk) for p in pages["public"])


def test_a_query_elasticsearch_refuses_is_logged_as_an_error_and_the_database_answers(
    es, fake, pages, settings, caplog
):
    """HTTP 400 is a bug in the query (too many clauses, a malformed body), not an outage:
    monitoring must see it, while the visitor still gets the database's results."""
    import logging

    from search.engines import search_with_fallback

    es.index_many(pages["public"])
    fake.cluster.search_error = (400, "search_phase_execution_exception", "too_many_nested_clauses")
    with caplog.at_level(logging.WARNING):
        with pytest.raises(EngineUnavailable):
            es.search(SearchQuery(q="tillit"))
        with pytest.raises(EngineUnavailable):
            es.autocomplete("till")
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage().split(" (")[0] for r in errors] == [
        "Elasticsearch refused the request while searching",
        "Elasticsearch refused the request while autocompleting",
    ]
    assert "HTTP 400, search_phase_execution_exception" in errors[0].getMessage()
    assert "too_many_nested_clauses" in errors[0].getMessage()

    settings.ELASTICSEARCH_URL = fake.url
    settings.SEARCH_INDEX_PREFIX = PREFIX
    results = search_with_fallback(SearchQuery(q="tillit"))
    assert results.engine == "database" and results.fallback_reason
    assert [hit.title for hit in results.hits] == ["Tillit i styrningen"]

    caplog.clear()
    fake.cluster.search_error = (503, "cluster_block_exception", "blocked")  # an outage
    with caplog.at_level(logging.WARNING), pytest.raises(EngineUnavailable):
        es.search(SearchQuery(q="tillit"))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_status_says_when_the_index_was_built_with_other_synonyms_or_analysis(es, fake, pages):
    name = es.ensure_index()
    es.index_many(pages["public"])
    status = es.status()
    assert status["ok"] is True and "rebuild" not in status
    mapping = fake.cluster.indices[name]["body"]["mappings"]
    mapping["_meta"]["synonyms"] = "0" * 16  # synonyms_sv.txt edited since the index was built
    status = es.status()
    assert status["ok"] is False and status["missing"] == [] and status["stale"] == []
    assert "synonyms differ from search/data/synonyms_sv.txt" in status["rebuild"]
    assert "search_index rebuild" in status["rebuild"]
    mapping["_meta"] = {**mapping["_meta"], "synonyms": es_meta()["synonyms"], "analysis": "x"}
    assert "analysis" in es.status()["rebuild"]
    del mapping["_meta"]  # an index built before the record was kept
    assert "built before" in es.status()["rebuild"]
    es.rebuild()
    assert es.status()["ok"] is True


def es_meta():
    from search.es_analysis import analysis_meta

    return analysis_meta()


def test_the_status_command_tells_to_rebuild_after_a_synonym_change(es, fake, pages, settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    name = es.ensure_index()
    es.index_many(pages["public"])
    fake.cluster.indices[name]["body"]["mappings"]["_meta"]["synonyms"] = "changed"
    settings.ELASTICSEARCH_URL = fake.url
    settings.SEARCH_INDEX_PREFIX = PREFIX
    out = StringIO()
    call_command("search_index", "status", "--engine", "elasticsearch", stdout=out)
    assert "synonyms differ" in out.getvalue() and "search_index rebuild" in out.getvalue()
    with pytest.raises(CommandError, match="rebuild"):
        call_command("search_index", "status", "--check", stdout=StringIO())


def test_test_runs_sharing_a_cluster_keep_to_their_own_indices(fake, settings, archive_root):
    """The shared suite's Elasticsearch engine (tests/search/conftest.py): two runs on one
    cluster (CI jobs, developers) neither rebuild over nor delete each other's indices, and
    each leaves nothing behind."""
    from tests.search.conftest import isolated_elasticsearch

    with isolated_elasticsearch(settings, fake.url) as first:
        assert first.alias == settings.SEARCH_INDEX_PREFIX  # the publish signals' engine too
        (first_index,) = first._alias_indices()
        with isolated_elasticsearch(settings, fake.url) as second:
            assert second.alias != first.alias
            assert first._alias_indices() == [first_index]  # not deleted by the other rebuild
        assert set(fake.cluster.aliases) == {first.alias}
        assert list(fake.cluster.indices) == [first_index]
    assert fake.cluster.indices == {} and fake.cluster.aliases == {}
