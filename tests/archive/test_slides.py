"""Slide PDFs: text page by page after upload, thumbnails, and failures recorded, not raised."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from archive.factories import make_document, make_pdf, make_png
from archive.models import ArchiveDocument
from archive.slides import extract_document_text, render_thumbnail

pytestmark = pytest.mark.django_db


def image_only_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(make_png(400, 300, text="")), x=10, y=10, w=180)
    return bytes(pdf.output())


def upload(data: bytes, name: str, capture) -> ArchiveDocument:
    """Save a document as the admin does, letting the on-commit task run (immediate backend)."""
    with capture(execute=True):
        doc = ArchiveDocument(title=name)
        doc.file.save(name, ContentFile(data), save=False)
        doc.save()
    doc.refresh_from_db()
    return doc


def test_upload_extracts_text_page_by_page(django_capture_on_commit_callbacks):
    pages = ["Tillitsbaserad styrning i kommunerna", "Åtgärder och förslag", "Frågor?"]
    doc = upload(make_pdf(pages), "styrning.pdf", django_capture_on_commit_callbacks)
    assert doc.text_status == ArchiveDocument.TextStatus.OK
    assert doc.page_count == 3
    assert doc.text_error == ""
    assert doc.text_extracted_at is not None
    stored = list(doc.pages.values_list("number", "text"))
    assert [n for n, _ in stored] == [1, 2, 3]
    assert "Tillitsbaserad styrning" in stored[0][1]
    assert "Åtgärder och förslag" in stored[1][1]


def test_upload_renders_a_first_page_thumbnail(django_capture_on_commit_callbacks):
    doc = upload(make_pdf(["Första sidan", "Andra"]), "t.pdf", django_capture_on_commit_callbacks)
    assert doc.thumbnail
    with doc.thumbnail.open("rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        assert image.format == "PNG"
        assert image.width == 480 and image.height < image.width  # landscape slide


def test_replacing_the_file_extracts_again(django_capture_on_commit_callbacks):
    doc = upload(make_pdf(["Gammal"]), "a.pdf", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        doc.file.save("b.pdf", ContentFile(make_pdf(["Ny version", "två"])), save=False)
        doc.save()
    doc.refresh_from_db()
    assert doc.page_count == 2
    assert "Ny version" in doc.pages.get(number=1).text


def test_saving_other_fields_does_not_reextract(django_capture_on_commit_callbacks):
    doc = upload(make_pdf(["Text"]), "a.pdf", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks() as callbacks:
        doc.title = "Nytt namn"
        doc.save()
    assert callbacks == []


def test_corrupt_pdf_is_recorded_as_failed(django_capture_on_commit_callbacks):
    data = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage garbage\n%%EOF"
    doc = upload(data, "trasig.pdf", django_capture_on_commit_callbacks)
    assert doc.text_status == ArchiveDocument.TextStatus.FAILED
    assert "Re-export" in doc.text_error
    assert doc.text_problem == doc.text_error
    assert doc.pages.count() == 0
    assert not doc.thumbnail  # the page shows a placeholder instead


def test_not_a_pdf_is_recorded_as_failed(db):
    doc = make_document(["x"])
    doc.file.save("fake.pdf", ContentFile(b"just text, not a pdf"), save=False)
    ArchiveDocument.objects.filter(pk=doc.pk).update(file=doc.file.name)
    extract_document_text(doc)
    doc.refresh_from_db()
    assert doc.text_status == "failed" and "not a PDF" in doc.text_error
    assert render_thumbnail(doc) is False


def test_image_only_pdf_is_recorded_as_no_text(django_capture_on_commit_callbacks):
    doc = upload(image_only_pdf(), "bilder.pdf", django_capture_on_commit_callbacks)
    assert doc.text_status == ArchiveDocument.TextStatus.NO_TEXT
    assert doc.page_count == 1
    assert "images only" in doc.text_problem
    assert doc.thumbnail  # an image-only slide still has a picture


def test_slide_pdfs_are_served_to_those_who_may_see_their_seminar(
    client, archive_root, django_user_model
):
    """A private or unpublished seminar's slides were served to anyone with the file's URL."""
    from django.test import Client
    from django.urls import reverse
    from wagtail.models import PageViewRestriction

    from archive.factories import SeminarPageFactory, SeminarSlideFactory

    seminar = SeminarPageFactory(parent=archive_root, slug="med-bilder")
    document = make_document(["Sida ett"], title="Bilder")
    SeminarSlideFactory(page=seminar, document=document)
    loose = make_document(["Ingen seminarie"], title="Lös")
    url = document.url
    assert url.startswith("/documents/")

    def status(who=client):
        return who.get(url).status_code

    assert status() == 302  # public seminar: served (test settings redirect to the file)
    assert Client().get(loose.url).status_code == 302  # on no seminar: Wagtail's own rules
    restriction = PageViewRestriction.objects.create(
        page=seminar, restriction_type="password", password="hemligt"
    )
    assert status() == 404
    client.post(
        reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, seminar.pk]),
        {"password": "hemligt", "return_url": seminar.url},
    )
    assert status() == 302  # the visitor who gave the password
    assert status(Client()) == 404
    restriction.delete()
    seminar.unpublish()
    assert status(Client()) == 404
    editor = Client()
    editor.force_login(django_user_model.objects.create_superuser("redaktor", password="x"))
    assert status(editor) == 302  # editors preview drafts with their slides


def test_generated_slides_keep_swedish_dashes_and_quotes():
    """The PDFs the tests and the demo generate wrote "–" and ”…” as "?" (Latin-1), which then
    showed up in slide search snippets ("regleringsbrev ? vad läser")."""
    from archive.slides import read_pdf_pages

    text = "Styrning genom regleringsbrev – vad läser ”myndigheterna”? 1995–2025"
    [page] = read_pdf_pages(make_pdf([text]))
    assert page == text
