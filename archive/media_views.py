"""Serving uploaded media: who may fetch a seminar's files, and the files themselves.

Routed when ``settings.SERVE_MEDIA`` is true (test and dev settings: Django sends the file) or
``settings.MEDIA_ACCEL_REDIRECT`` is set (production behind nginx: Django only decides, and
answers with ``X-Accel-Redirect`` to nginx's internal location, which sends the file with Range
support; see ``deploy/nginx/site.conf``). In production nginx serves files outside the checked
folders (``archive.media_access.CHECKED_FOLDERS``: seminars' files and Wagtail's images) itself,
without asking.

Browsers seek in video with HTTP Range requests, which ``django.views.static.serve`` does not
answer; this view does, reading only the requested bytes through ``default_storage`` (so it also
works with the ``InMemoryStorage`` the tests use).
"""

import mimetypes
import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from archive.media_access import Access, media_file_access

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024
# Public uploads get new names when replaced, so they may be cached for a while.
PUBLIC_MAX_AGE = 7 * 24 * 3600


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
        response = _file_response(request, path)
    if access is Access.PUBLIC:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
    return response


def _file_response(request, path: str):
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    size = default_storage.size(path)
    match = _RANGE.match(request.headers.get("Range", ""))
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
