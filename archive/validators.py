"""Checks on uploaded files, by their bytes rather than their names."""

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"

#: What is wrong with a file that should be a slide PDF, by code: the code of the upload's
#: ValidationError and what the text worker stores in ``ArchiveDocument.text_error``.
PDF_PROBLEMS = {
    "not_pdf": _(
        "The file is not a PDF: its content does not start with %(magic)s. "
        "Export the slides as PDF and upload that file."
    ),
    "encrypted_pdf": _(
        "The PDF is password protected. Save a copy without a password and upload that file."
    ),
    "broken_pdf": _(
        "The PDF could not be read: the file is damaged or incomplete. Export the slides as "
        "PDF again and upload that file."
    ),
    "empty_pdf": _("The PDF has no pages. Export the slides again and upload that file."),
}


def pdf_problem_message(code: str) -> str:
    """What to tell the editor about ``code`` (a key of :data:`PDF_PROBLEMS`), in the active
    language."""
    return str(PDF_PROBLEMS[code]) % {"magic": PDF_MAGIC.decode()}


class PdfProblem(ValueError):
    """A file is no usable PDF: ``code`` is a key of :data:`PDF_PROBLEMS`; ``str()`` is the
    technical detail (pypdf's own words, in English) for logs."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


def pdf_pages(fileobj) -> list:
    """The pages (pypdf ``PageObject``) of a real PDF read from the start of ``fileobj``;
    :class:`PdfProblem` otherwise. A PDF protected only against editing opens (pypdf tries the
    empty password); one that needs a password to open is ``encrypted_pdf``."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    fileobj.seek(0)
    if PDF_MAGIC not in fileobj.read(1024):
        raise PdfProblem("not_pdf")
    fileobj.seek(0)
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise PdfProblem("encrypted_pdf", "needs a password to open")
        pages = list(reader.pages)
    except DependencyError as exc:
        # pypdf needs the optional "cryptography" package only to decrypt AES: the file is
        # encrypted, and a copy without a password is what the archive can read.
        raise PdfProblem("encrypted_pdf", str(exc)) from exc
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        if isinstance(exc, PdfProblem):
            raise
        logger.info("Unreadable PDF: %s", exc)
        raise PdfProblem("broken_pdf", str(exc)) from exc
    if not pages:
        raise PdfProblem("empty_pdf")
    return pages


def pdf_page_count(fileobj) -> int:
    """Number of pages of a real PDF; ValidationError saying what to fix otherwise."""
    pos = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        return len(pdf_pages(fileobj))
    except PdfProblem as exc:
        raise ValidationError(pdf_problem_message(exc.code), code=exc.code) from exc
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


def site_address_error(parent, slug: str) -> str | None:
    """The message refusing ``slug`` under ``parent`` when the site's own views answer that
    address (:func:`slug_route_conflict`), for the page form, the copy form and a move."""
    from django.utils.translation import gettext

    taken = slug_route_conflict(parent, slug)
    if not taken:
        return None
    return gettext(
        "The address %(address)s belongs to the site itself (search, feeds, the API or the "
        "admin): the seminar could not be reached there. Choose another slug."
    ) % {"address": taken}
