"""Serving uploaded media from Django itself, for tests and local development only.

Browsers seek in video with HTTP Range requests, which ``django.views.static.serve`` does not
answer; this view does, and reads through ``default_storage`` so it also works with the
``InMemoryStorage`` the tests use. It is routed only when ``settings.SERVE_MEDIA`` is true
(test and dev settings); production serves media from the web server or object storage.
"""

import mimetypes
import re

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@require_safe
def serve_media(request, path: str):
    if ".." in path.split("/") or not default_storage.exists(path):
        raise Http404("No such media file")
    with default_storage.open(path, "rb") as fh:
        data = fh.read()
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    size = len(data)
    match = _RANGE.match(request.headers.get("Range", ""))
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
        response = HttpResponse(data[start : end + 1], status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = HttpResponse(data, content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    return response
