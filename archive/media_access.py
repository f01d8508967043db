"""Who may fetch an uploaded file that belongs to seminars.

A seminar's uploaded video (and its poster), its slide PDFs and their first-page thumbnails
are files under ``MEDIA_ROOT`` whose names show up in the page. A draft's or a private
seminar's files must not be public because someone learnt their names, so they are served only
through ``archive.media_views.serve_media``, which asks :func:`media_file_access` first (in
production nginx then sends the file, see ``deploy/nginx/site.conf``). Slide PDFs themselves go
through Wagtail's document view and the ``before_serve_document`` hook, which asks
:func:`seminars_access`.

The rule, for every kind of file: anyone may fetch it when a live seminar without a view
restriction shows it; an editor (admin access) may always; a visitor who passed the restriction
of a live seminar that shows it (its password, a login, a group) may; nobody else. A video or
thumbnail no seminar shows (uploaded, not yet used) is for editors only.
"""

from __future__ import annotations

import posixpath
from enum import Enum

from django.db.models import Q

# Folders (under MEDIA_ROOT) of files that belong to seminars: wagtailmedia's video and audio
# files and their posters, and the slide PDFs' first-page thumbnails.
MEDIA_FOLDERS = ("media/", "media_thumbnails/")
SLIDE_THUMBNAIL_FOLDER = "slide-thumbnails/"
# Wagtail's documents (slide PDFs). Production never serves this folder directly (nginx refuses
# it; PDFs go through Wagtail's document view and its hook); where Django serves media (dev,
# tests with Wagtail's "redirect" serve method) the files follow the same rule.
DOCUMENT_FOLDER = "documents/"
SEMINAR_FILE_FOLDERS = (*MEDIA_FOLDERS, SLIDE_THUMBNAIL_FOLDER, DOCUMENT_FOLDER)


class Access(Enum):
    PUBLIC = "public"  # anyone: may be cached by shared caches
    PRIVATE = "private"  # this request only (an editor, or a restriction it passed)


def is_editor(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.has_perm("wagtailadmin.access_admin"))


def seminars_access(request, seminars) -> Access | None:
    """How ``request`` may see what ``seminars`` (a SeminarPage queryset) show; None: not."""
    live = list(seminars.filter(live=True).distinct())
    restricted = []
    for page in live:
        restrictions = list(page.get_view_restrictions())
        if not restrictions:
            return Access.PUBLIC
        restricted.append(restrictions)
    if is_editor(request):
        return Access.PRIVATE
    if any(all(r.accept_request(request) for r in rs) for rs in restricted):
        return Access.PRIVATE
    return None


def collection_access(request, collection) -> Access | None:
    """Wagtail's collection privacy, for a document no seminar shows."""
    restrictions = list(collection.get_view_restrictions()) if collection else []
    if not restrictions:
        return Access.PUBLIC
    if is_editor(request) or all(r.accept_request(request) for r in restrictions):
        return Access.PRIVATE
    return None


def canonical_media_path(path: str) -> bool:
    """True when ``path`` names its file in exactly one way: no empty, ``.`` or ``..`` segment,
    no leading slash, no backslash or NUL. The storage and nginx resolve ``/media/./media/x``
    and ``/media//media/x`` to the file ``media/x``; such spellings must not slip past the
    folder rules below."""
    return (
        bool(path)
        and posixpath.normpath(path) == path
        and ".." not in path.split("/")  # normpath keeps a leading ".."
        and not path.startswith("/")
        and "\\" not in path
        and "\x00" not in path
    )


def media_file_access(request, path: str) -> Access | None:
    """How ``request`` may fetch the file at ``path`` (relative to MEDIA_ROOT); None: not.

    Files outside the seminar folders (speaker portraits and other Wagtail images) are public.
    """
    from wagtailmedia.models import get_media_model

    from archive.models import ArchiveDocument, SeminarPage

    if not canonical_media_path(path):
        return None
    if not path.startswith(SEMINAR_FILE_FOLDERS):
        return Access.PUBLIC
    if path.startswith((SLIDE_THUMBNAIL_FOLDER, DOCUMENT_FOLDER)):
        field = "thumbnail" if path.startswith(SLIDE_THUMBNAIL_FOLDER) else "file"
        documents = list(
            ArchiveDocument.objects.filter(**{field: path}).select_related("collection")
        )
        seminars = SeminarPage.objects.filter(slides__document__in=documents)
        if documents and not seminars.exists():
            # Shown on no seminar: the PDF's own rules (Wagtail's collection privacy).
            found = [collection_access(request, d.collection) for d in documents]
            return Access.PUBLIC if Access.PUBLIC in found else next(filter(None, found), None)
    else:
        media = get_media_model().objects.filter(Q(file=path) | Q(thumbnail=path))
        seminars = SeminarPage.objects.filter(video_file__in=media)
    return seminars_access(request, seminars)  # on no live seminar (yet): editors only
