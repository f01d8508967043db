"""Public transcript downloads: WebVTT (also the captions track), SRT and plain text."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from archive.feeds import validated
from archive.models import SeminarPage, Transcript
from archive.models.pages import routable
from archive.transcript_formats import to_srt, to_txt, to_vtt
from archive.transcript_store import transcript_cues

#: format -> (writer, content type)
DOWNLOADS = {
    "vtt": (to_vtt, "text/vtt; charset=utf-8"),
    "srt": (to_srt, "application/x-subrip; charset=utf-8"),
    "txt": (to_txt, "text/plain; charset=utf-8"),
}


@require_safe
@validated  # players and caption tools fetch the same file again: 304 while it is unchanged
def transcript_download(request, page_id: int, slug: str, fmt: str):
    """The transcript of a live seminar that a site serves in ``fmt`` for whoever may see the
    seminar: anyone, or for a restricted one whoever passed its restriction (its password, a
    login, a group). 404 for drafts, seminars no site serves, and for everyone else."""
    if fmt not in DOWNLOADS:
        raise Http404("Unknown transcript format")
    # A seminar no site serves (``routable``) is not public, as everywhere (public_seminars).
    seminar = get_object_or_404(routable(SeminarPage.objects.live()), pk=page_id, slug=slug)
    restrictions = seminar.get_view_restrictions()
    if not all(r.accept_request(request) for r in restrictions):
        raise Http404("No public seminar with this id")
    transcript = Transcript.objects.filter(seminar=seminar).first()
    cues = transcript_cues(transcript) if transcript else []
    if not cues:
        raise Http404("This seminar has no transcript")
    writer, content_type = DOWNLOADS[fmt]
    response = HttpResponse(writer(cues).encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{seminar.slug}.{fmt}")
    if restrictions:
        patch_cache_control(response, private=True)
    else:
        response["Access-Control-Allow-Origin"] = "*"  # captions may be used by embedded players
    response["Last-Modified"] = http_date(transcript.updated_at.timestamp())
    return response
