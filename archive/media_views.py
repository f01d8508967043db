"""Serving uploaded media: who may fetch a seminar's files, and the files themselves.

Routed when ``settings.SERVE_MEDIA`` is true (test and dev settings: Django sends the file) or
``settings.MEDIA_ACCEL_REDIRECT`` is set (production behind nginx: Django only decides, and
answers with ``X-Accel-Redirect`` to nginx's internal location, which sends the file with Range
support; see ``deploy/nginx/site.conf``). In production nginx serves files outside the checked
folders (``archive.media_access.CHECKED_FOLDERS``: seminars' files and Wagtail's images) itself,
without asking.

Browsers seek in video with HTTP Range requests, which ``django.views.static.serve`` does not
answer; this view does, reading only the requested bytes through ``default_storage`` (so it also
works with the ``InMemoryStorage`` the tests use). It also answers conditional requests
(``If-None-Match``, ``If-Modified-Since``: 304 without the file; ``If-Range``), as nginx does
for the files it sends.

Slide PDFs go through Wagtail's document view (``serve_document``), which has validators of its
own; it gets the same cache headers.
"""

import logging
import mimetypes
import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.utils.file import hash_filelike

from archive.media_access import DOCUMENT_ACCESS_ATTRIBUTE, Access, media_file_access

log = logging.getLogger("archive")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024
# How long a browser or a shared cache (a CDN) may reuse a file anyone may fetch before asking
# again. Short: a public file stops being public when its seminar is unpublished or made
# private, or an editor takes it off the page, and a copy cached before that goes on being
# served for as long as it is fresh (it was a week). Asking again is cheap: every answer has
# validators (ETag, Last-Modified), so an unchanged file costs a 304 without its bytes, from
# this view or from nginx (which sends the file after X-Accel-Redirect and answers conditional
# requests itself); a file that is no longer public answers 404 instead.
PUBLIC_MAX_AGE = 5 * 60


@require_safe
def serve_media(request, path: str):
    access = media_file_access(request, path)  # None also for a non-canonical path
    if access is None:  # the same answer as for a file that does not exist
        raise Http404("No such media file")
    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    if accel:
        response = HttpResponse()
        # nginx sends the file (and answers Range) from its internal location; it sets the
        # type from the file name.
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(path)
        del response["Content-Type"]
    else:
        if not default_storage.exists(path):
            raise Http404("No such media file")
        size = default_storage.size(path)
        modified = int(default_storage.get_modified_time(path).timestamp())
        etag = f'"{modified:x}-{size:x}"'  # as nginx makes them: changes with the file
        response = get_conditional_response(request, etag=etag, last_modified=modified)
        if response is None:
            response = _file_response(request, path, size, etag, modified)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified)
    set_cache_headers(response, access)
    return response


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (slide PDFs; its ``before_serve_document`` hooks decide who may
    have the file, ``archive.wagtail_hooks``), with the cache headers ``serve_media`` gives:
    Wagtail sets none, which let browsers and shared caches keep a PDF as long as they saw fit
    (heuristic freshness, from its Last-Modified), also after its seminar was made private.
    A document without a file hash (Wagtail's ETag) gets one first (``remember_file_hash``)."""
    if not remember_file_hash(document_id):
        # No validator to compare with: ask Wagtail for the whole file, and send no empty ETag.
        request.META.pop("HTTP_IF_NONE_MATCH", None)
    response = wagtail_serve_document(request, document_id, document_filename)
    if response.get("ETag") in ('""', 'W/""'):
        del response["ETag"]
    access = getattr(request, DOCUMENT_ACCESS_ATTRIBUTE, None)
    if access is not None and (200 <= response.status_code < 300 or response.status_code == 304):
        set_cache_headers(response, access)
    return response


def remember_file_hash(document_id) -> bool:
    """Whether the document has its file hash, computing and storing it (and the size) when it
    has none. Wagtail's document view sends the hash as the ETag and answers If-None-Match by
    it: documents saved without one (the demo's slide decks, made by code) all went out with
    ``ETag: ""``, so ``If-None-Match: ""`` got a 304 for any of them. False when the file
    cannot be read or the hash not stored (Wagtail's view then answers as it does)."""
    documents = get_document_model().objects.filter(pk=document_id)
    document = documents.filter(file_hash="").only("pk", "file", "file_size").first()
    if document is None:
        return True  # it has one (or there is no such document: Wagtail's 404)
    try:
        with document.open_file() as handle:
            digest = hash_filelike(handle)
        size = document.file_size if document.file_size is not None else document.file.size
    except (OSError, ValueError):
        return False
    try:
        # An update, not save(): the file is the same, nothing to extract, index or log.
        documents.filter(file_hash="").update(file_hash=digest, file_size=size)
    except DatabaseError:
        log.warning("Could not store the file hash of document %s", document_id)
        return False
    return True


def set_cache_headers(response, access: Access) -> None:
    """Public files: cached for ``PUBLIC_MAX_AGE`` by anyone. Files for this request only (an
    editor, or a restriction it passed): never by shared caches, and asked for again each time
    by the browser."""
    if access is Access.PUBLIC:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])


def _file_response(request, path: str, size: int, etag: str, modified: int):
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    match = _RANGE.match(request.headers.get("Range", ""))
    if_range = request.headers.get("If-Range")
    if if_range and if_range not in (etag, http_date(modified)):
        match = None  # the client's part is of another version: the whole file (RFC 9110 13.1.5)
    start, end, status = 0, size - 1, 200
    if match and (match.group(1) or match.group(2)):
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:  # suffix range: the last N bytes
            start, end = max(0, size - int(last)), size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        status = 206
    response = StreamingHttpResponse(
        _read(path, start, end - start + 1), status=status, content_type=content_type
    )
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response


def _read(path: str, start: int, length: int):
    with default_storage.open(path, "rb") as fh:
        fh.seek(start)
        while length > 0:
            chunk = fh.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
