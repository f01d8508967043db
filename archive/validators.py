"""Checks on uploaded files, by their bytes rather than their names."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"


def pdf_page_count(fileobj) -> int:
    """Number of pages of a real PDF; ValidationError saying what to fix otherwise."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    pos = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        fileobj.seek(0)
        head = fileobj.read(1024)
        if PDF_MAGIC not in head[:1024]:
            raise ValidationError(
                _(
                    "The file is not a PDF: its content does not start with %(magic)s. "
                    "Export the slides as PDF and upload that file."
                ),
                params={"magic": "%PDF-"},
                code="not_pdf",
            )
        fileobj.seek(0)
        try:
            pages = len(PdfReader(fileobj, strict=False).pages)
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
            raise ValidationError(
                _("The PDF could not be read (%(error)s). Re-export it and upload it again."),
                params={"error": exc},
                code="broken_pdf",
            ) from exc
        if not pages:
            raise ValidationError(
                _("The PDF has no pages. Export the slides again and upload that file."),
                code="empty_pdf",
            )
        return pages
    finally:
        fileobj.seek(pos)


# nginx's internal location from which it sends checked media (MEDIA_ACCEL_REDIRECT in
# production; deploy/nginx/site.conf): no page can be reached under it either.
PROTECTED_MEDIA_LOCATION = "/_protected_media/"


def slug_route_conflict(parent, slug: str) -> str | None:
    """The address a page with ``slug`` under ``parent`` would have, when one of the site's own
    views (search, feeds, the API, the admin, ...) answers that address instead of the page, in
    any of the site's languages (/sok/, /en/search/); None when the page would be reachable."""
    from django.conf import settings
    from django.urls import Resolver404, resolve
    from django.utils import translation

    site = parent.get_site() if parent is not None else None
    if site is None or not slug:
        return None
    root_path = site.root_page.url_path
    path = f"{parent.url_path}{slug}/"
    if not path.startswith(root_path):
        return None
    relative = "/" + path[len(root_path) :]
    prefixes = [
        "" if code == settings.LANGUAGE_CODE else f"/{code}" for code, _ in settings.LANGUAGES
    ]
    # Addresses the web server answers before Django sees them (deploy/nginx/site.conf): the
    # uploaded and static files and the internal location of checked media.
    served_by_nginx = [settings.MEDIA_URL, settings.STATIC_URL, PROTECTED_MEDIA_LOCATION]
    for address in (prefix + relative for prefix in prefixes):
        if any(address.startswith(location) for location in served_by_nginx):
            return address
        # As LocaleMiddleware does: the language named by the path's prefix, else the default.
        language = translation.get_language_from_path(address) or settings.LANGUAGE_CODE
        try:
            with translation.override(language):
                match = resolve(address)
        except Resolver404:
            continue
        served = match.kwargs.get("path", match.args[0] if match.args else None)
        if match.url_name != "wagtail_serve" or served != relative.lstrip("/"):
            return address  # another view, or another page (/en/ is the English home page)
    return None
