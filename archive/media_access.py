"""Who may fetch an uploaded file that belongs to seminars.

A seminar's uploaded video (and its poster), its slide PDFs and their first-page thumbnails,
and the Wagtail images its body shows (originals and renditions) are files under ``MEDIA_ROOT``
whose names show up in the page. A draft's or a private seminar's files must not be public
because someone learnt their names, so they are served only through
``archive.media_views.serve_media``, which asks :func:`media_file_access` first (in production
nginx then sends the file, see ``deploy/nginx/site.conf``). Slide PDFs themselves go through
Wagtail's document view and the ``before_serve_document`` hook, which asks
:func:`document_access`.

The rule, for every kind of file: anyone may fetch it when a live seminar that a site serves
(``archive.models.pages.routable``) and without a view restriction shows it; an editor (admin
access) may always; a visitor who passed the restriction of such a seminar (its password, a
login, a group) may; nobody else. A video,
thumbnail, document or image no seminar shows (uploaded, not yet used) is for editors only.

Which seminars show an image, or link to a document from their body, comes from Wagtail's
reference index (:func:`used_by_seminars`); slide decks come from the seminars' slide rows.
Both hold what the page rows hold, i.e. a live seminar's published version: an image or a slide
deck only added in an unpublished draft is for editors until the draft is published. Images
are also used outside seminars: a speaker's portrait, or any other page type or snippet that
chooses one; an image anything but a seminar uses is public, as every image was before
(:func:`image_access`). Only seminars make a document public (:func:`document_access`).
"""

from __future__ import annotations

import posixpath
from enum import Enum

from django.db.models import CharField, Q
from django.db.models.functions import Cast

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


# The request attribute on which the ``before_serve_document`` hook leaves its answer for
# Wagtail's document view (``archive.media_views.serve_document`` sets the cache headers by it).
DOCUMENT_ACCESS_ATTRIBUTE = "archive_document_access"


def is_editor(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.has_perm("wagtailadmin.access_admin"))


def seminars_access(request, seminars) -> Access | None:
    """How ``request`` may see what ``seminars`` (a SeminarPage queryset) show; None: not.
    Only live seminars that a site serves count (``routable``, as in ``public_seminars``): an
    archive outside every site's root (one being prepared) keeps its files to editors."""
    from archive.models.pages import routable

    live = list(routable(seminars.filter(live=True)).distinct())
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
        return document_access(request, ArchiveDocument.objects.filter(**{field: path}))
    media = get_media_model().objects.filter(Q(file=path) | Q(thumbnail=path))
    seminars = SeminarPage.objects.filter(video_file__in=media)
    return seminars_access(request, seminars)  # on no live seminar (yet): editors only


def _ids_as_text(objects, id_field: str = "pk"):
    """The ids of ``objects`` (a queryset) as the text the reference index keeps object ids
    as, for a subquery."""
    return objects.values_list(Cast(id_field, output_field=CharField()))


def used_by_seminars(model, object_ids, *, except_path: str = "") -> tuple[set[str], bool]:
    """Who uses the objects of ``model`` whose ids are ``object_ids`` (text: a list, or a
    subquery from :func:`_ids_as_text`), from Wagtail's reference index in one query: the ids
    of the seminars that use them, and whether anything but a seminar does. References whose
    model path starts with ``except_path`` (a child relation the caller reads itself) are left
    out."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    from archive.models import SeminarPage

    references = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(model), to_object_id__in=object_ids
    )
    if except_path:
        references = references.exclude(model_path__startswith=except_path)
    users = references.values_list("content_type_id", "object_id").distinct()
    seminar_type = ContentType.objects.get_for_model(SeminarPage)
    seminar_ids, others = set(), False
    for content_type_id, object_id in users:
        if content_type_id == seminar_type.pk:
            seminar_ids.add(object_id)
        else:
            others = True
    return seminar_ids, others


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
    from wagtail.images import get_image_model

    from archive.models import SeminarPage

    image_model = get_image_model()
    if path.startswith(ORIGINAL_IMAGE_FOLDER):
        files, image_id = image_model.objects, "pk"
    else:
        files, image_id = image_model.get_rendition_model().objects, "image_id"
    seminar_ids, others = used_by_seminars(
        image_model, _ids_as_text(files.filter(file=path), image_id)
    )
    if others:
        return Access.PUBLIC
    # No user at all: seminars_access of no seminar, editors only (and no query).
    return seminars_access(request, SeminarPage.objects.filter(pk__in=seminar_ids))


def document_access(request, documents) -> Access | None:
    """How ``request`` may fetch a Wagtail document (a slide PDF) or its first-page thumbnail
    (``documents``: a queryset of the document, or none when no document has that file).

    The seminars that show it decide alone (:func:`seminars_access`): those whose slides it is
    and those whose body links to it (from the reference index, as for images). A document that
    only an unpublished draft shows, or that nothing shows (uploaded to the library, not yet
    used), is for editors only, whatever its collection's privacy; thumbnails are named by the
    document's id (``slide-thumbnails/slides-<id>.png``), so anyone can guess them. (Nothing
    else in the archive shows documents; Wagtail's document view also applies the collection's
    privacy to the PDF.)

    Slides are read from the seminars' slide rows, not from the index: Wagtail indexes a page
    when the page row is saved, before its child rows are, so with the immediate task backend
    (development) a deck taken off a seminar would stay listed, and with the database backend
    (production) a newly published deck would be missing until the worker ran.
    """
    from archive.models import ArchiveDocument, SeminarPage

    linked, _others = used_by_seminars(
        ArchiveDocument, _ids_as_text(documents), except_path="slides."
    )
    seminars = SeminarPage.objects.filter(Q(slides__document__in=documents) | Q(pk__in=linked))
    return seminars_access(request, seminars)  # on no live seminar (yet): editors only
