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
            return len(PdfReader(fileobj, strict=False).pages)
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
            raise ValidationError(
                _("The PDF could not be read (%(error)s). Re-export it and upload it again."),
                params={"error": exc},
                code="broken_pdf",
            ) from exc
    finally:
        fileobj.seek(pos)
