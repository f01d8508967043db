"""Security headers, API rate limiting and clean 503s when the database is unavailable."""

import os
import socket
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import override_settings

from archive.factories import SeminarPageFactory

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_public_pages_send_strict_security_headers(client, archive_root):
    seminar = SeminarPageFactory(parent=archive_root)
    response = client.get(seminar.url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.django_db
def test_no_inline_scripts_on_public_pages(client, archive_root):
    """The CSP forbids inline scripts, so the pages must not rely on any."""
    import re

    seminar = SeminarPageFactory(parent=archive_root)
    for url in (archive_root.url, seminar.url):
        html = client.get(url).content.decode()
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
            assert (
                "src=" in attrs
                or 'type="application/ld+json"' in attrs
                or ('type="application/json"' in attrs)
            ), f"inline script on {url}: {body[:80]!r}"
        assert not re.search(r"\son(click|load|change|submit)=", html), f"inline handler on {url}"


class FrozenClock:
    """Stands in for the ``time`` module inside django-ratelimit, so a test's requests
    cannot straddle the end of a rate window however slow the machine is."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.mark.django_db
@override_settings(API_RATE_LIMIT="5/m")
def test_api_is_rate_limited_per_client(client):
    from django.core.cache import cache
    from django_ratelimit.core import _get_window

    cache.clear()
    clock = FrozenClock(1_800_000_000.0)
    with mock.patch("django_ratelimit.core.time", clock):
        window_end = _get_window("127.0.0.1", 60)
        codes = [client.get("/api/schema/").status_code for _ in range(7)]
        assert codes[:5] == [200] * 5
        assert codes[5:] == [429, 429]
        response = client.get("/api/schema/")
        wait = window_end - int(clock.now) + 1
        assert 0 < wait <= 60
        assert response["Retry-After"] == str(wait)
        assert f" {wait} " in response.json()["error"]  # Swedish or English, the same number
        # Another client address has its own allowance.
        assert client.get("/api/schema/", REMOTE_ADDR="10.1.2.3").status_code == 200
        # Asking one second early is still refused; after Retry-After it is allowed.
        clock.now += wait - 1
        assert client.get("/api/schema/").status_code == 429
        clock.now += 1
        assert client.get("/api/schema/").status_code == 200


@pytest.mark.django_db
@override_settings(API_RATE_LIMIT="2/m")
def test_the_rate_limit_answers_in_the_clients_language(client):
    """The 429 was always Swedish, without Content-Language or Vary: the limit ran before the
    API's language was chosen."""
    from django.core.cache import cache

    cache.clear()
    with mock.patch("django_ratelimit.core.time", FrozenClock(1_800_000_000.0)):
        for _ in range(2):
            assert client.get("/api/series/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
        english = client.get("/api/series/", HTTP_ACCEPT_LANGUAGE="en")
        assert english.status_code == 429
        assert english.json()["error"].startswith("Too many requests")
        assert english["Content-Language"] == "en"
        assert "Accept-Language" in english["Vary"]
        swedish = client.get("/api/series/?hl=sv", HTTP_ACCEPT_LANGUAGE="en")
        assert swedish.status_code == 429 and swedish["Content-Language"] == "sv"
        head = client.head("/api/series/")
        assert head.status_code == 429 and head.content == b""


@pytest.mark.django_db
@override_settings(API_RATE_LIMIT="5/m")
def test_a_cache_that_cannot_count_limits_no_one(client, monkeypatch):
    """With the database cache locked (SQLite under a write lock), django-ratelimit cannot
    count and says "limit": every API client was told 429 "too many requests, wait 60 s"
    instead of the 503 the locked database gives. No client is at fault: the request goes on."""
    from django.core.cache import cache

    # As Django's database cache answers when its table is locked: nothing added, no count.
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    monkeypatch.setattr(cache, "incr", lambda *args, **kwargs: None)
    codes = {client.get("/api/schema/").status_code for _ in range(8)}
    assert codes == {200}


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.9", "198.51.100.1", "198.51.100.1"),  # no proxy: the header is ignored
        (1, "203.0.113.9", "172.18.0.1", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "172.18.0.1", "203.0.113.9"),  # a forged entry on the left
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "172.18.0.1", "203.0.113.9"),
        (2, "203.0.113.9", "172.18.0.1", "203.0.113.9"),  # passed only one proxy: the leftmost
        (1, "", "172.18.0.1", "172.18.0.1"),
        (1, "not-an-address", "172.18.0.1", "172.18.0.1"),
        (1, "203.0.113.9:51234", "172.18.0.1", "203.0.113.9"),
        (1, "[2001:db8::7]:443", "172.18.0.1", "2001:db8::7"),
        (1, "2001:DB8::7", "172.18.0.1", "2001:db8::7"),
    ],
)
def test_client_address_behind_trusted_proxies(rf, proxies, forwarded, remote, expected):
    from config.middleware import client_address

    request = rf.get("/api/search/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXIES=proxies):
        assert client_address(request) == expected


def test_whole_number_settings_refuse_other_values(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.settings.base import env_int

    monkeypatch.setenv("TRUSTED_PROXIES", "")
    assert env_int("TRUSTED_PROXIES", 0) == 0
    monkeypatch.setenv("TRUSTED_PROXIES", " 2 ")
    assert env_int("TRUSTED_PROXIES", 0) == 2
    monkeypatch.setenv("TRUSTED_PROXIES", "yes")
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXIES must be a whole number"):
        env_int("TRUSTED_PROXIES", 0)


@pytest.mark.django_db
@override_settings(API_RATE_LIMIT="2/m", TRUSTED_PROXIES=1)
def test_clients_behind_a_proxy_have_their_own_api_allowance(client):
    """Behind a reverse proxy every request comes from the proxy's address; the limit must still
    count each client on its own, and a client cannot escape it by forging the header."""
    from django.core.cache import cache

    cache.clear()
    proxy = {"REMOTE_ADDR": "172.18.0.1"}

    def get(forwarded):
        return client.get("/api/schema/", HTTP_X_FORWARDED_FOR=forwarded, **proxy).status_code

    with mock.patch("django_ratelimit.core.time", FrozenClock(1_800_000_000.0)):
        assert [get("203.0.113.9") for _ in range(3)] == [200, 200, 429]
        assert get("6.6.6.6, 203.0.113.9") == 429  # forged left part: still the same client
        assert get("198.51.100.4") == 200  # another client behind the same proxy
    with (
        override_settings(TRUSTED_PROXIES=0),
        mock.patch("django_ratelimit.core.time", FrozenClock(1_800_000_100.0)),
    ):
        # Without a trusted proxy the header is the client's own word and is ignored.
        cache.clear()
        assert [get(f"203.0.113.{n}") for n in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_locked_database_in_a_view_gives_503_page(client, archive_root):
    with mock.patch(
        "archive.models.pages.SeminarIndexPage.get_context",
        side_effect=OperationalError("database is locked"),
    ):
        response = client.get(archive_root.url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "tillfälligt otillgängligt" in body
    assert "Traceback" not in body


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("path", ["/", "/en/", "/api/schema/"])
def test_unreachable_database_gives_clean_503(path):
    """A real outage: the whole stack in a fresh process whose database cannot be reached."""
    script = (
        "import django, json\n"
        "django.setup()\n"
        "from django.test import Client\n"
        f"r = Client(raise_request_exception=False).get({path!r})\n"
        "print(json.dumps({'status': r.status_code, 'body': r.content.decode()[:2000]}))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_closed_port()}/nowhere",
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    import json

    result = json.loads(out.stdout.strip().splitlines()[-1])
    if path == "/api/schema/":
        # The schema needs no database: it keeps answering during an outage.
        assert result["status"] == 200
    else:
        assert result["status"] == 503, result["body"]
        assert "Traceback" not in result["body"]
        assert "otillgängligt" in result["body"]


def test_every_environment_variable_is_documented_in_env_example():
    """An operator learns the settings from .env.example: each variable the settings read is in
    it (API_RATE_LIMIT once was not)."""
    import re

    read = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        read |= set(
            re.findall(
                r"(?:os\.environ\.get\(|os\.environ\[|env_\w+\()\"([A-Z0-9_]+)\"", path.read_text()
            )
        )
    documented = set(re.findall(r"^([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert {"SECRET_KEY", "TRUSTED_PROXIES", "DATABASE_CONN_MAX_AGE", "HTTPS", "LOG_LEVEL"} <= read
    assert read - documented == set()


@pytest.mark.parametrize(("value", "expected"), [(None, 60), ("", 60), ("0", 0), ("300", 300)])
def test_production_keeps_database_connections_open(value, expected):
    """Production reuses database connections (checked before reuse) unless told otherwise:
    a new PostgreSQL connection per request cost 40 % of the throughput under load."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-secret-key-for-this-test-only-0123456789",
        "ALLOWED_HOSTS": "archive.example.org",
    }
    if value is not None:
        env["DATABASE_CONN_MAX_AGE"] = value
    script = (
        "from django.conf import settings\n"
        "db = settings.DATABASES['default']\n"
        "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(expected), "True"]


@pytest.mark.django_db
def test_documents_are_served_without_a_content_encoding_of_none(admin_client, settings, tmp_path):
    """Wagtail's document view sent "Content-Encoding: None" with every PDF (the coding it
    guessed for a .pdf is None), which a client may try to undo."""
    from archive.factories import make_document

    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"  # the base settings' (test: redirect)
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        }
    }
    document = make_document(["Sida ett"])
    response = admin_client.get(document.url)  # on no seminar: for editors only
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Content-Encoding" not in response


def test_a_real_content_encoding_is_kept(rf):
    from django.http import HttpResponse

    from config.middleware import ContentEncodingMiddleware

    def view(encoding):
        def get_response(request):
            response = HttpResponse(b"x")
            response["Content-Encoding"] = encoding
            return response

        return ContentEncodingMiddleware(get_response)(rf.get("/"))

    assert view("gzip")["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in view(None)


@pytest.mark.django_db
def test_a_mistake_in_the_sql_is_a_500_not_an_outage(client, archive_root):
    """SQLite raises OperationalError for wrong SQL too ("no such column"): that is a bug, and an
    editor told "the archive is unavailable, try again in a minute" (and monitoring seeing an
    outage) would wait for nothing. Only a real outage is a 503."""
    from django.db import connection

    def wrong_sql(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM wagtailcore_page")

    client.raise_request_exception = False
    with mock.patch("archive.models.pages.SeminarIndexPage.get_context", side_effect=wrong_sql):
        response = client.get(archive_root.url)
    assert response.status_code == 500
    assert "otillgängligt" not in response.content.decode()


@pytest.mark.parametrize(
    "exc, down",
    [
        (OperationalError("database is locked"), True),
        (OperationalError("could not connect to server: Connection refused"), True),
        (InterfaceError("connection already closed"), True),
    ],
)
def test_outages_are_recognised(exc, down):
    from config.middleware import is_database_down

    assert is_database_down(exc) is down


def test_sqlite_errors_are_outages_only_when_the_database_is_unavailable():
    import sqlite3

    from config.middleware import is_database_down

    def wrapped(message):
        exc = OperationalError(message)
        exc.__cause__ = sqlite3.OperationalError(message)
        return exc

    assert is_database_down(wrapped("database is locked"))
    assert is_database_down(wrapped("unable to open database file"))
    assert is_database_down(wrapped("disk I/O error"))
    assert not is_database_down(wrapped("no such column: name"))
    assert not is_database_down(wrapped('near "SELEC": syntax error'))
