"""A down or silent Elasticsearch never breaks search: the engine fails fast, the database answers.

Real sockets on loopback stand in for the cluster: one that accepts connections and never
answers (a hung node), and a port where nothing listens (a stopped node).
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from search.engines.base import EngineUnavailable, SearchQuery
from search.engines.elasticsearch import ElasticsearchEngine, alias_actions, versioned_name


@pytest.fixture
def silent_server():
    """``http://127.0.0.1:<port>`` that accepts connections and never sends a byte."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept_forever():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            held.append(conn)  # keep it open, say nothing

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def refused_url():
    """A loopback port where nothing listens (connections are refused at once)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


def timed(func):
    started = time.monotonic()
    with pytest.raises(EngineUnavailable) as excinfo:
        func()
    return time.monotonic() - started, excinfo.value


def test_a_silent_cluster_gives_up_within_the_search_timeout(silent_server, settings):
    settings.SEARCH_TIMEOUT_SECONDS = 2
    engine = ElasticsearchEngine(url=silent_server, prefix="test_seminars_silent")
    elapsed, error = timed(lambda: engine.search(SearchQuery(q="tillit")))
    # Within the timeout plus slack for a loaded CI machine; a hang would be unbounded.
    assert elapsed < 3.5, f"search waited {elapsed:.2f}s for a silent cluster"
    assert "searching" in str(error) and silent_server in str(error)


def test_autocomplete_against_a_silent_cluster_also_gives_up_fast(silent_server):
    engine = ElasticsearchEngine(url=silent_server, prefix="test_seminars_silent", timeout=1)
    elapsed, _error = timed(lambda: engine.autocomplete("till"))
    assert elapsed < 2.5


def test_a_refused_connection_is_unavailable_at_once(refused_url):
    engine = ElasticsearchEngine(url=refused_url, prefix="test_seminars_refused")
    elapsed, error = timed(lambda: engine.search(SearchQuery(q="tillit")))
    assert elapsed < 1.5  # no waiting for a timeout (the default is several seconds)
    assert refused_url in str(error)


def test_writes_to_a_down_cluster_raise_engine_unavailable(refused_url, archive_root):
    from archive.factories import SeminarPageFactory

    page = SeminarPageFactory(parent=archive_root)
    engine = ElasticsearchEngine(url=refused_url, prefix="test_seminars_refused")
    for action in (
        lambda: engine.index(page),
        lambda: engine.remove(page.pk),
        lambda: engine.index_many([page]),
        engine.ensure_index,
        engine.rebuild,
        engine.status,
        engine.refresh,
    ):
        with pytest.raises(EngineUnavailable, match=refused_url):
            action()


def test_without_a_url_the_engine_says_what_to_set():
    engine = ElasticsearchEngine(url="", prefix="test_seminars_none")
    _elapsed, error = timed(lambda: engine.search(SearchQuery(q="tillit")))
    assert "ELASTICSEARCH_URL" in str(error)


def test_the_search_page_answers_from_the_database_when_the_cluster_hangs(
    silent_server, seminar, settings
):
    from search.engines import search_with_fallback

    settings.ELASTICSEARCH_URL = ""
    seminar("Tillit i styrningen", lead="Om tillitsbaserad styrning i kommuner.")
    settings.ELASTICSEARCH_URL = silent_server
    settings.SEARCH_TIMEOUT_SECONDS = 1
    started = time.monotonic()
    results = search_with_fallback(SearchQuery(q="tillit"))
    assert time.monotonic() - started < 3
    assert results.engine == "database"
    assert results.fallback_reason
    assert [hit.title for hit in results.hits] == ["Tillit i styrningen"]


BAD_URL = "http://elastic:secret@search"  # no port: the client cannot use it


def test_a_url_without_a_port_is_unavailable_and_says_what_to_fix_without_the_password():
    engine = ElasticsearchEngine(url=BAD_URL, prefix="test_seminars_bad")
    for action in (
        lambda: engine.search(SearchQuery(q="tillit")),
        lambda: engine.autocomplete("till"),
        engine.ensure_index,
    ):
        _elapsed, error = timed(action)
        message = str(error)
        assert "ELASTICSEARCH_URL 'http://search'" in message and "no port" in message
        assert "http://localhost:9200" in message and "secret" not in message


def test_searches_autocomplete_and_publishing_go_on_with_a_url_without_a_port(
    seminar, settings, caplog
):
    from search.engines import autocomplete_with_fallback, search_with_fallback

    settings.ELASTICSEARCH_URL = BAD_URL
    # Publishing indexes in every engine: Elasticsearch cannot, the database still does.
    seminar("Tillit i styrningen", lead="Om tillitsbaserad styrning i kommuner.")
    results = search_with_fallback(SearchQuery(q="tillit"))
    assert results.engine == "database" and results.fallback_reason
    assert [hit.title for hit in results.hits] == ["Tillit i styrningen"]
    suggestions, engine = autocomplete_with_fallback("till")
    assert engine == "database"
    assert "Tillit i styrningen" in [s["label"] for s in suggestions]
    assert "secret" not in caplog.text


def test_the_system_check_names_an_unusable_url_and_what_to_set(settings):
    from django.core import checks

    from search.checks import check_elasticsearch_url

    settings.ELASTICSEARCH_URL = BAD_URL
    (error,) = check_elasticsearch_url()
    assert (error.id, error.level) == ("search.E001", checks.ERROR)
    assert "'http://search'" in error.msg and "no port" in error.msg
    assert "port" in error.hint and "secret" not in error.msg + error.hint
    assert "search.E001" in [m.id for m in checks.run_checks()]  # registered: runs at startup
    settings.ELASTICSEARCH_URL = "search:9200"
    (error,) = check_elasticsearch_url()
    assert "http:// or https://" in error.msg
    for fine in ("http://localhost:9200", "https://elastic:secret@search", ""):
        settings.ELASTICSEARCH_URL = fine
        assert check_elasticsearch_url() == [], fine


# --- the alias swap, as data ---------------------------------------------------------------------


def test_versioned_names_sort_by_creation_time():
    import datetime as dt

    earlier = versioned_name("seminars", dt.datetime(2025, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC))
    later = versioned_name("seminars", dt.datetime(2025, 1, 2, 3, 4, 5, 7, tzinfo=dt.UTC))
    assert earlier == "seminars-20250102030405000006"
    assert earlier < later


def test_alias_swap_is_one_atomic_list_of_actions():
    actions = alias_actions("seminars", "seminars-2", ["seminars-1"])
    assert actions == [
        {"remove": {"index": "seminars-1", "alias": "seminars"}},
        {"add": {"index": "seminars-2", "alias": "seminars", "is_write_index": True}},
    ]
    # A plain index squatting on the alias name is dropped in the same step.
    squatted = alias_actions("seminars", "seminars-2", [], concrete_index="seminars")
    assert squatted == [
        {"remove_index": {"index": "seminars"}},
        {"add": {"index": "seminars-2", "alias": "seminars", "is_write_index": True}},
    ]
