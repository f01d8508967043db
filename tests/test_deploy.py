"""The production proxy: deploy/nginx/site.conf run in a real nginx in front of the live server.

docker compose runs that file in its "proxy" service; here the same file runs in Debian's nginx
with only its addresses changed (the upstream, the port it listens on, the media and page
folders). The tests skip, saying why, where nginx is not installed; CI installs it.
"""

import gzip
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import override_settings

from archive.factories import SeminarPageFactory
from tests.test_security import FrozenClock

ROOT = Path(__file__).resolve().parents[1]
SITE_CONF = ROOT / "deploy" / "nginx" / "site.conf"
NGINX = os.environ.get("NGINX_PATH") or shutil.which("nginx") or shutil.which("/usr/sbin/nginx")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx/site.conf no longer has exactly one {old!r}"
    return text.replace(old, new)


def _nginx_bytes(size: str) -> int:
    """Bytes of an nginx size ("2100m")."""
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", size.lower()).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit]


def test_proxy_accepts_the_largest_upload_the_site_does():
    """An upload the admin accepts must not be cut off by the proxy first (413)."""
    text = SITE_CONF.read_text()
    body_limit = _nginx_bytes(re.search(r"client_max_body_size\s+(\w+);", text).group(1))
    largest = max(
        settings.ARCHIVE_MEDIA_MAX_UPLOAD_SIZE,
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
        settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
    )
    assert largest < body_limit <= largest * 1.1


@contextmanager
def running_nginx(tmp_path: Path, upstream: str):
    """(port, media folder) of nginx running deploy/nginx/site.conf with the app at
    ``upstream`` (host:port)."""
    if not NGINX:
        pytest.skip("nginx not found: install Debian's `nginx-light` (CI does) to test the proxy")
    media, pages = tmp_path / "media", tmp_path / "pages"
    media.mkdir()
    pages.mkdir()
    shutil.copy(SITE_CONF.parent / "unavailable.html", pages / "unavailable.html")
    port = _free_port()
    site = SITE_CONF.read_text()
    site = _replace_once(site, "server web:8000;", f"server {upstream};")
    site = _replace_once(site, "listen 80;", f"listen 127.0.0.1:{port};")
    assert site.count("alias /app/media/;") == 2, "site.conf: /media/ and /_protected_media/"
    site = site.replace("alias /app/media/;", f"alias {media}/;")
    site = _replace_once(site, "root /usr/share/nginx/archive;", f"root {pages};")
    (tmp_path / "site.conf").write_text(site)
    mime_types = Path("/etc/nginx/mime.types")
    types = (
        f"include {mime_types};"
        if mime_types.exists()
        else "types { video/webm webm; image/png png; application/pdf pdf; text/html html; }"
    )
    temp = {name: tmp_path / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {tmp_path / 'nginx.pid'};\n"
        + f"error_log {tmp_path / 'error.log'} warn;\n"
        + "events { worker_connections 64; }\n"
        + "http {\n"
        + f"  {types}\n  default_type application/octet-stream;\n  access_log off;\n"
        + "".join(f"  {name}_temp_path {path};\n" for name, path in temp.items())
        + f"  include {tmp_path / 'site.conf'};\n}}\n"
    )
    log = tmp_path / "error.log"
    server = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(log),
            "-g",
            "daemon off;",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if server.poll() is not None:
                errors = log.read_text() if log.exists() else ""
                pytest.fail(f"nginx did not start: {server.stdout.read().decode()} {errors}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("nginx did not listen within 10 s")
                time.sleep(0.05)
        yield port, media
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def proxy(live_server, tmp_path):
    """nginx in front of the live server: (port, media folder)."""
    upstream = urlsplit(live_server.url)
    with running_nginx(tmp_path, f"{upstream.hostname}:{upstream.port}") as running:
        yield running


@pytest.fixture
def proxy_without_app(tmp_path):
    """nginx whose app does not answer (nothing listens on its port): (port, media folder)."""
    with running_nginx(tmp_path, f"127.0.0.1:{_free_port()}") as running:
        yield running


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", path, headers={"Host": "localhost", **(headers or {})})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def _video_on_disk(media: Path, name: str, data: bytes):
    """A wagtailmedia video whose file nginx finds in its media folder."""
    from wagtailmedia.models import Media

    (media / "media").mkdir(exist_ok=True)
    (media / "media" / name).write_bytes(data)
    video = Media(title=name, type="video", duration=30)
    video.file.name = f"media/{name}"
    video.save()
    return video


@pytest.mark.django_db(transaction=True)
@override_settings(MEDIA_ACCEL_REDIRECT="/_protected_media/")
def test_uploaded_video_is_served_with_range_requests_and_locked_down(
    wagtail_base_rows, archive_root, proxy
):
    """A public seminar's video: the app says yes, nginx sends it, with Range requests."""
    port, media = proxy
    video = bytes(range(256)) * 40
    SeminarPageFactory(parent=archive_root, video_file=_video_on_disk(media, "film.webm", video))

    response, body = get(port, "/media/media/film.webm", {"Range": "bytes=100-199"})
    assert response.status == 206
    assert body == video[100:200]
    assert response.getheader("Content-Range") == f"bytes 100-199/{len(video)}"
    assert response.getheader("Content-Type") == "video/webm"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Accel-Redirect") is None  # nginx's own, never shown

    response, body = get(port, "/media/media/film.webm")
    assert response.status == 200 and body == video
    assert "max-age=300" in response.getheader("Cache-Control")


@pytest.mark.django_db(transaction=True)
@override_settings(MEDIA_ACCEL_REDIRECT="/_protected_media/")
def test_private_and_draft_videos_are_not_served_by_the_proxy(
    wagtail_base_rows, archive_root, proxy
):
    """Before, nginx served every file under /media/ to anyone who knew its name."""
    from wagtail.models import PageViewRestriction

    port, media = proxy
    draft = SeminarPageFactory(
        parent=archive_root, slug="utkast", video_file=_video_on_disk(media, "utkast.webm", b"D")
    )
    draft.unpublish()
    private = SeminarPageFactory(
        parent=archive_root, slug="intern", video_file=_video_on_disk(media, "intern.webm", b"P")
    )
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    _video_on_disk(media, "oanvand.webm", b"U")  # uploaded, on no seminar yet

    for name in ("utkast.webm", "intern.webm", "oanvand.webm"):
        response, body = get(port, f"/media/media/{name}", {"Range": "bytes=0-0"})
        assert response.status == 404, name
        assert body not in (b"D", b"P", b"U")
    # nor by other spellings of the same path, which nginx resolves to the same file
    for path in (
        "/media//media/intern.webm",
        "/media/./media/intern.webm",
        "/media/%2e/media/intern.webm",
        "/media/%2fmedia/intern.webm",
        "/media/images/../media/intern.webm",
        "/media/media/./intern.webm",
    ):
        response, body = get(port, path)
        assert body != b"P", path
    # nor by asking for the internal location itself
    response, body = get(port, "/_protected_media/media/intern.webm")
    assert response.status == 404 and body != b"P"


def _image_on_disk(media: Path, name: str, data: bytes):
    """A Wagtail image and its width-800 rendition whose files nginx finds in its media folder:
    (image, rendition)."""
    from wagtail.images import get_image_model

    for folder in ("original_images", "images"):
        (media / folder).mkdir(exist_ok=True)
    stem = name.removesuffix(".png")
    (media / "original_images" / name).write_bytes(data + b"-original")
    (media / "images" / f"{stem}.width-800.png").write_bytes(data + b"-rendition")
    image = get_image_model()(title=stem, width=1600, height=900)
    image.file.name = f"original_images/{name}"
    image.save()
    rendition = image.renditions.create(
        filter_spec="width-800", file=f"images/{stem}.width-800.png", width=800, height=450
    )
    return image, rendition


def _body_showing(image) -> str:
    value = {"image": {"image": image.pk, "alt_text": "", "decorative": True}, "caption": ""}
    return json.dumps([{"type": "image", "value": value}])


@pytest.mark.django_db(transaction=True)
@override_settings(MEDIA_ACCEL_REDIRECT="/_protected_media/")
def test_images_follow_the_seminars_that_show_them(wagtail_base_rows, archive_root, proxy):
    """Before, nginx served every image and rendition to anyone who knew its name, also those
    only a private seminar's body shows."""
    from wagtail.models import PageViewRestriction

    port, media = proxy
    png = b"\x89PNG\r\n\x1a\n"
    public, public_rendition = _image_on_disk(media, "oppen.png", png + b"OPEN")
    SeminarPageFactory(parent=archive_root, slug="oppen", body=_body_showing(public))
    private, private_rendition = _image_on_disk(media, "intern.png", png + b"SECRET")
    seminar = SeminarPageFactory(parent=archive_root, slug="intern", body=_body_showing(private))
    PageViewRestriction.objects.create(page=seminar, restriction_type="login")

    response, body = get(port, "/media/" + public_rendition.file.name)
    assert response.status == 200 and body == png + b"OPEN-rendition"
    assert response.getheader("Content-Type") == "image/png"
    assert "max-age=300" in response.getheader("Cache-Control")
    assert response.getheader("X-Accel-Redirect") is None
    response, body = get(port, "/media/" + public.file.name)
    assert response.status == 200 and body == png + b"OPEN-original"

    for path in (private_rendition.file.name, private.file.name):
        response, body = get(port, "/media/" + path)
        assert response.status == 404, path
        assert b"SECRET" not in body, path
    for path in (
        "/media//images/intern.width-800.png",
        "/media/./images/intern.width-800.png",
        "/media/%2e/images/intern.width-800.png",
        "/media/%2fimages/intern.width-800.png",
        "/media/media/../images/intern.width-800.png",
        "/media/images/./intern.width-800.png",
        "/media/original_images//intern.png",
        "/_protected_media/images/intern.width-800.png",
    ):
        response, body = get(port, path)
        assert b"SECRET" not in body, path


def _document_on_disk(media: Path, name: str, data: bytes):
    """A slide PDF whose first-page thumbnail (named by its id, as archive.slides names them)
    nginx finds in its media folder."""
    from archive.models import ArchiveDocument

    (media / "documents").mkdir(exist_ok=True)
    (media / "slide-thumbnails").mkdir(exist_ok=True)
    (media / "documents" / name).write_bytes(b"%PDF-1.4 " + data)
    document = ArchiveDocument(title=name)
    document.file.name = f"documents/{name}"
    document.save()
    document.thumbnail.name = f"slide-thumbnails/slides-{document.pk}.png"
    document.save(update_fields=["thumbnail"])
    (media / document.thumbnail.name).write_bytes(b"\x89PNG\r\n\x1a\n" + data)
    return document


@pytest.mark.django_db(transaction=True)
@override_settings(MEDIA_ACCEL_REDIRECT="/_protected_media/")
def test_slide_thumbnails_follow_the_seminars_and_are_revalidated(
    wagtail_base_rows, archive_root, proxy
):
    """Before, the thumbnail of a deck added only in a draft (slides-<id>.png, a guessable name)
    was sent to anyone, and public thumbnails were cached for a week. Now: 404 until the draft
    is published, then a short max-age, and nginx answers the conditional request with 304."""
    from archive.models import SeminarSlide

    port, media = proxy
    seminar = SeminarPageFactory(parent=archive_root)
    document = _document_on_disk(media, "hemliga-bilder.pdf", b"SECRET")
    draft = seminar.get_latest_revision_as_object()
    draft.slides.add(SeminarSlide(document=document))
    revision = draft.save_revision()
    url = "/media/" + document.thumbnail.name
    assert re.fullmatch(r"/media/slide-thumbnails/slides-\d+\.png", url)

    response, body = get(port, url)
    assert response.status == 404 and b"SECRET" not in body

    revision.publish()
    response, body = get(port, url)
    assert response.status == 200 and body.endswith(b"SECRET")
    assert response.getheader("Cache-Control") == "public, max-age=300"
    etag = response.getheader("ETag")
    assert etag  # nginx's own validator for the file it sent
    response, body = get(port, url, {"If-None-Match": etag})
    assert response.status == 304 and body == b""
    assert response.getheader("Cache-Control") == "public, max-age=300"

    seminar.unpublish()  # and a cache that asks again hears that it is gone
    response, body = get(port, url, {"If-None-Match": etag})
    assert response.status == 404 and b"SECRET" not in body


@pytest.mark.django_db(transaction=True)
def test_document_files_and_paths_outside_media_are_never_served(wagtail_base_rows, proxy):
    """Slide PDFs may belong to private seminars: only Django's document view serves them."""
    port, media = proxy
    (media / "documents").mkdir()
    (media / "documents" / "hemliga-bilder.pdf").write_bytes(b"%PDF-1.4 private")
    (media.parent / "secret.txt").write_text("not for the web")

    response, body = get(port, "/media/documents/hemliga-bilder.pdf")
    assert response.status == 404 and b"private" not in body
    response, body = get(port, "/media/DOCUMENTS/../documents/hemliga-bilder.pdf")
    assert b"private" not in body
    for path in ("/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media..%2fsecret.txt"):
        response, body = get(port, path)
        assert b"not for the web" not in body, path


@pytest.mark.django_db(transaction=True)
def test_pages_go_to_the_app_with_the_client_address(wagtail_base_rows, archive_root, proxy):
    """Pages come from Django through the proxy, and the proxy adds the address it was reached
    from to X-Forwarded-For instead of replacing it, so with TRUSTED_PROXIES counting the TLS
    proxy and this one, each visitor has their own API allowance."""
    from django.core.cache import cache

    port, _media = proxy
    response, body = get(port, "/")
    assert response.status == 200
    assert "Seminarier" in body.decode()
    # Long pages travel compressed to browsers that accept it.
    seminar = SeminarPageFactory(parent=archive_root, lead="Styrning och tillit. " * 200)
    plain = get(port, seminar.url)[1]
    response, packed = get(port, seminar.url, {"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert len(packed) < len(plain) / 3
    assert b"Styrning och tillit." in gzip.decompress(packed)

    cache.clear()
    clock = FrozenClock(1_800_000_000.0)  # no window may end between the requests
    with (
        override_settings(API_RATE_LIMIT="2/m", TRUSTED_PROXIES=2),
        mock.patch("django_ratelimit.core.time", clock),
    ):
        visitor = {"X-Forwarded-For": "203.0.113.9"}  # as the TLS proxy in front writes it
        codes = [get(port, "/api/schema/", visitor)[0].status for _ in range(3)]
        assert codes == [200, 200, 429]
        other = {"X-Forwarded-For": "198.51.100.4"}
        assert get(port, "/api/schema/", other)[0].status == 200
    cache.clear()


def test_app_down_gives_a_page_saying_so_and_media_still_served(proxy_without_app):
    """gunicorn restarting or gone: visitors get a 503 page in both languages (the API a JSON
    error), with Retry-After, not nginx's own 502; uploaded media outside the folders the app
    checks is still served, and those (images included) are not served unchecked."""
    port, media = proxy_without_app
    response, body = get(port, "/seminarier/")
    assert response.status == 503
    assert response.getheader("Retry-After") == "30"
    assert response.getheader("Content-Type").startswith("text/html")
    html = body.decode()
    assert "Arkivet är tillfälligt otillgängligt" in html
    assert "The archive is temporarily unavailable" in html
    assert "Bad Gateway" not in html and "<center>nginx" not in html  # not nginx's own page

    response, body = get(port, "/api/search/?q=styrning")
    assert response.status == 503
    assert response.getheader("Retry-After") == "30"
    assert response.getheader("Content-Type") == "application/json"
    assert json.loads(body)["error"].startswith("The archive is temporarily unavailable")

    for folder in ("ovrigt", "images"):
        (media / folder).mkdir()
        (media / folder / "portratt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    response, body = get(port, "/media/ovrigt/portratt.png")
    assert response.status == 200 and body.startswith(b"\x89PNG")
    response, body = get(port, "/media/images/portratt.png")
    assert response.status == 503 and not body.startswith(b"\x89PNG")
