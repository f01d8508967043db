"""Slide PDFs: text page by page after upload, thumbnails, and failures recorded, not raised."""

import io

import pytest
from django.core.files.base import ContentFile
from django.utils import translation
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
    assert doc.text_error == "broken_pdf"  # a code: the worker has no request language
    with translation.override("en"):
        assert doc.text_problem == (
            "The PDF could not be read: the file is damaged or incomplete. Export the slides "
            "as PDF again and upload that file."
        )  # and not pypdf's "startxref not found"
    assert doc.pages.count() == 0
    assert not doc.thumbnail  # the page shows a placeholder instead


def test_not_a_pdf_is_recorded_as_failed(db):
    doc = make_document(["x"])
    doc.file.save("fake.pdf", ContentFile(b"just text, not a pdf"), save=False)
    ArchiveDocument.objects.filter(pk=doc.pk).update(file=doc.file.name)
    extract_document_text(doc)
    doc.refresh_from_db()
    assert doc.text_status == "failed" and doc.text_error == "not_pdf"
    # shown in the editor's language (Swedish here), though the worker stored it
    assert doc.text_problem == (
        "Filen är ingen PDF: innehållet börjar inte med %PDF-. Exportera bildspelet som PDF "
        "och ladda upp den filen."
    )
    assert render_thumbnail(doc) is False


def test_image_only_pdf_is_recorded_as_no_text(django_capture_on_commit_callbacks):
    doc = upload(image_only_pdf(), "bilder.pdf", django_capture_on_commit_callbacks)
    assert doc.text_status == ArchiveDocument.TextStatus.NO_TEXT
    assert doc.page_count == 1
    assert doc.text_error == "no_text"
    with translation.override("en"):
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
    assert Client().get(loose.url).status_code == 404  # on no seminar (yet): editors only
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
    assert editor.get(loose.url).status_code == 302  # and see every document in the admin


def test_generated_slides_keep_swedish_dashes_and_quotes():
    """The PDFs the tests and the demo generate wrote "–" and ”…” as "?" (Latin-1), which then
    showed up in slide search snippets ("regleringsbrev ? vad läser")."""
    from archive.slides import read_pdf_pages

    text = "Styrning genom regleringsbrev – vad läser ”myndigheterna”? 1995–2025"
    [page] = read_pdf_pages(make_pdf([text]))
    assert page == text


def test_a_missing_file_is_reported_in_the_editors_language(db):
    """The worker stored "The file is missing. Upload it again." in English, and the Swedish
    admin showed it so (QA D2)."""
    doc = make_document(["x"])
    doc.file.storage.delete(doc.file.name)
    extract_document_text(doc)
    doc.refresh_from_db()
    assert doc.text_status == "failed" and doc.text_error == "missing"
    assert doc.text_problem == "Dokumentets fil saknas. Ladda upp den igen."
    with translation.override("en"):
        assert doc.text_problem == "The document's file is missing. Upload it again."


@pytest.mark.parametrize(
    "stored, english",
    [
        (
            "The file is missing. Upload it again.",
            "The document's file is missing. Upload it again.",
        ),
        (
            "The file is not a PDF. Export the slides as PDF and upload them again.",
            "The file is not a PDF: its content does not start with %PDF-. Export the slides "
            "as PDF and upload that file.",
        ),
        (
            "The PDF could not be read (startxref not found). Re-export it and upload it again.",
            "The PDF could not be read: the file is damaged or incomplete. Export the slides as "
            "PDF again and upload that file.",
        ),
        (
            "The PDF could not be read (File has not been decrypted). Re-export it and upload "
            "it again.",
            "The PDF is password protected. Save a copy without a password and upload that file.",
        ),
        (
            "The PDF has no pages. Re-export it and upload it again.",
            "The PDF has no pages. Export the slides again and upload that file.",
        ),
        ("Something a later version wrote.", "Something a later version wrote."),
    ],
)
def test_english_texts_stored_before_codes_are_still_shown(db, stored, english):
    """Databases hold the English sentences the worker stored before it stored codes: they are
    recognised and shown translated; a text not recognised is shown as it is."""
    doc = make_document(["x"])
    ArchiveDocument.objects.filter(pk=doc.pk).update(text_status="failed", text_error=stored)
    doc.refresh_from_db()
    with translation.override("en"):
        assert doc.text_problem == english


def test_an_old_english_warning_is_shown_in_swedish(db):
    doc = make_document(["x"])
    ArchiveDocument.objects.filter(pk=doc.pk).update(
        text_status="failed", text_error="The file is missing. Upload it again."
    )
    doc.refresh_from_db()
    assert doc.text_problem == "Dokumentets fil saknas. Ladda upp den igen."


def test_slide_text_warning_in_the_seminar_editor_is_in_swedish(admin_client, archive_root):
    """The editor's warning about a slide PDF whose file is gone was English (QA D2)."""
    from django.urls import reverse

    from archive.factories import SeminarPageFactory, SeminarSlideFactory

    seminar = SeminarPageFactory(parent=archive_root, slug="bilder")
    document = make_document(["Sida"], title="Skannat")
    SeminarSlideFactory(page=seminar, document=document)
    document.file.storage.delete(document.file.name)
    extract_document_text(document)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[seminar.pk]))
    html = response.content.decode()
    assert "Dokumentets fil saknas. Ladda upp den igen." in html
    assert "The file is missing" not in html
