"""When Elasticsearch is configured but down or hanging, the site answers from the database."""

import socket
import threading

import pytest

from tests.search.conftest import SeminarMaker


@pytest.fixture
def refused_url():
    """A loopback URL where nothing listens (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def hanging_url():
    """A loopback server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    server.close()


@pytest.fixture
def published(archive_root, settings, refused_url):
    """A seminar published while Elasticsearch is down: publishing must still work."""
    settings.ELASTICSEARCH_URL = refused_url
    page = SeminarMaker(archive_root)("Tillit i staten", lead="Om tillitsbaserad styrning.")
    return page


def test_publishing_with_elasticsearch_down_still_indexes_the_database(published, client):
    response = client.get("/api/search/", {"q": "tillit"})
    assert response.status_code == 200
    data = response.json()
    assert data["engine"] == "database"
    assert data["fallback_reason"]
    assert [r["title"] for r in data["results"]] == ["Tillit i staten"]


def test_search_page_says_the_backup_answered(published, client):
    response = client.get("/sok/", {"q": "tillit"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tillit i staten" in html
    assert 'class="search-notice"' in html


def test_hanging_elasticsearch_falls_back_within_the_timeout(
    published, client, settings, hanging_url
):
    import time

    settings.ELASTICSEARCH_URL = hanging_url
    settings.SEARCH_TIMEOUT_SECONDS = 0.5
    started = time.monotonic()
    response = client.get("/api/search/", {"q": "tillit"})
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert response.json()["engine"] == "database"
    assert response.json()["total"] == 1


def test_autocomplete_falls_back_too(published, client):
    response = client.get("/api/autocomplete/", {"q": "till"})
    assert response.status_code == 200
    assert [s["label"] for s in response.json()["suggestions"]] == ["Tillit i staten"]


def test_the_fallback_never_shows_the_clusters_address_or_password(
    archive_root, settings, refused_url, client, caplog
):
    """The public API returned the engine's error, which named the cluster's URL with its
    password ("http://elastic:S3cretPass@…"). It says only what happened; the log keeps the
    details, without the password."""
    settings.ELASTICSEARCH_URL = refused_url.replace("http://", "http://elastic:S3cretPass@")
    SeminarMaker(archive_root)("Tillit i staten", lead="Om tillit.")
    with caplog.at_level("WARNING"):
        response = client.get("/api/search/", {"q": "tillit"})
    data = response.json()
    assert data["fallback_reason"] == "elasticsearch_unavailable"
    assert "S3cretPass" not in response.content.decode()
    assert "S3cretPass" not in caplog.text and "127.0.0.1" in caplog.text


def test_a_search_that_cannot_be_logged_is_still_answered(
    archive_root, settings, client, monkeypatch
):
    """SQLite answered 500 from the search API while a rebuild held the write lock: the results
    were ready, only the anonymous search log's insert failed."""
    from django.db import OperationalError

    from search.models import SearchLog

    settings.ELASTICSEARCH_URL = ""
    SeminarMaker(archive_root)("Tillit i staten", lead="Om tillit.")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(SearchLog.objects, "create", locked)
    response = client.get("/api/search/", {"q": "tillit"})
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]] == ["Tillit i staten"]
    assert client.get("/sok/", {"q": "tillit"}).status_code == 200
