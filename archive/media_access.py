"""Who may fetch an uploaded file that belongs to seminars.

A seminar's uploaded video (and its poster), its slide PDFs and their first-page thumbnails,
and the Wagtail images its body shows (originals and renditions) are files under ``MEDIA_ROOT``
whose names show up in the page. A draft's or a private seminar's files must not be public
because someone learnt their names, so they are served only through
``archive.media_views.serve_media``, which asks :func:`media_file_access` first (in production
nginx then sends the file, see ``deploy/nginx/site.conf``). Slide PDFs themselves go through
Wagtail's document view and the ``before_serve_document`` hook, which asks
:func:`seminars_access`.

The rule, for every kind of file: anyone may fetch it when a live seminar without a view
restriction shows it; an editor (admin access) may always; a visitor who passed the restriction
of a live seminar that shows it (its password, a login, a group) may; nobody else. A video,
thumbnail or image no seminar shows (uploaded, not yet used) is for editors only.

Images are also used outside seminars: a speaker's portrait, or any other page type or snippet
that chooses one. Which objects use an image comes from Wagtail's reference index
(:func:`image_access`); an image anything but a seminar uses is public, as every image was
before. The index holds what the page rows hold, i.e. a live seminar's published version: an
image only added in an unpublished draft is for editors until the draft is published.
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
# Wagtail's images: the uploaded originals and their renditions (each size a template or the
# admin asked for). Wagtail's own folder names (``AbstractImage.get_upload_to`` and
# ``AbstractRendition.get_upload_to``).
ORIGINAL_IMAGE_FOLDER = "original_images/"
RENDITION_FOLDER = "images/"
IMAGE_FOLDERS = (ORIGINAL_IMAGE_FOLDER, RENDITION_FOLDER)
# Every folder whose files are served only after media_file_access has said yes; nginx passes
# these to the app (deploy/nginx/site.conf) and serves any other file under /media/ itself.
CHECKED_FOLDERS = (*SEMINAR_FILE_FOLDERS, *IMAGE_FOLDERS)


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

    Files outside the checked folders (``CHECKED_FOLDERS``; no model of the archive puts any
    there) are public.
    """
    from wagtailmedia.models import get_media_model

    from archive.models import ArchiveDocument, SeminarPage

    if not canonical_media_path(path):
        return None
    if not path.startswith(CHECKED_FOLDERS):
        return Access.PUBLIC
    if path.startswith(IMAGE_FOLDERS):
        return image_access(request, path)
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


def image_access(request, path: str) -> Access | None:
    """How ``request`` may fetch the Wagtail image file at ``path``: an original
    (``original_images/``, an image's ``file``) or a rendition (``images/``, a rendition's
    ``file``, which belongs to its image).

    Who uses the image comes from Wagtail's reference index, in one query that also finds the
    image from the path (the ``file`` columns are indexed by migration
    ``archive.0005_image_file_indexes``). Used by anything but a seminar (a speaker's portrait,
    another page type, a snippet): public. Used by seminars only: :func:`seminars_access`. Used
    by nothing, or no image has that file: editors only.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast
    from wagtail.images import get_image_model
    from wagtail.models import ReferenceIndex

    from archive.models import SeminarPage

    image_model = get_image_model()
    if path.startswith(ORIGINAL_IMAGE_FOLDER):
        files, image_id = image_model.objects, "pk"
    else:
        files, image_id = image_model.get_rendition_model().objects, "image_id"
    users = (
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(image_model),
            # The index keeps object ids as text.
            to_object_id__in=files.filter(file=path).values_list(
                Cast(image_id, output_field=CharField())
            ),
        )
        .values_list("content_type_id", "object_id")
        .distinct()
    )
    seminar_type = ContentType.objects.get_for_model(SeminarPage)
    seminar_ids = set()
    for content_type_id, object_id in users:
        if content_type_id != seminar_type.pk:
            return Access.PUBLIC
        seminar_ids.add(object_id)
    # No user at all: seminars_access of no seminar, editors only (and no query).
    return seminars_access(request, SeminarPage.objects.filter(pk__in=seminar_ids))
