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
