"""Slide text as search reads it: typographic ligatures ("ﬁ") as their letters, and words broken
at a line end ("förvalt-" + "ningens") joined, so that `finansiering` and `förvaltningens` find
the slide page (Swedish search review, defects 3 and 4)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from archive.factories import SeminarPageFactory
from archive.models import ArchiveDocument, DocumentPage, SeminarSlide
from archive.slides import _clean_text, extract_document_text, read_pdf_pages

# Codes 1-5 of the slide font are the ligature glyphs, as in PDFs from Word or InDesign.
FI, FL, FF, FFI, FFL = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"


def w(text: str) -> bytes:
    return text.encode("cp1252")


def ligature_pdf(pages: list[list[bytes]]) -> bytes:
    """A real PDF, one page per list of lines (WinAnsi bytes, one text line each), in Helvetica
    whose codes 1-5 are the glyphs /fi /fl /ff /ffi /ffl: pypdf reads them as U+FB01 ... (the
    Adobe glyph list), as it reads such PDFs from typesetting programs."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        b"/BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl /ff /ffi /ffl] >> >>"
    )
    contents = []
    for lines in pages:
        ops = [b"BT /F1 20 Tf 24 TL 50 500 Td"]
        ops += [b"<" + line.hex().encode() + b"> Tj T*" for line in lines]
        stream = b"\n".join([*ops, b"ET"])
        contents.append(add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)))
    pages_id = len(objects) + len(pages) + 1
    kids = [
        add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 842 595] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)
        )
        for content in contents
    ]
    refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, xref)
    )
    return out.getvalue()


SLIDES = [
    [w("Tillitsdelegationen")],
    [w("Från detaljstyrning till tillit: förvalt-"), w("ningens nya roll")],
    [w("Sveriges Kommuner och Regioner om ") + FI + w("nansiering och styrningen")],
]


def test_the_test_pdf_really_carries_ligatures_and_a_broken_word():
    """pypdf itself gives "ﬁ" and "förvalt-\\n": what the cleaning below has to undo."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(ligature_pdf(SLIDES)))
    assert "förvalt-\nningens" in reader.pages[1].extract_text()
    assert "\ufb01nansiering" in reader.pages[2].extract_text()


def test_ligatures_are_read_as_their_letters():
    parts = [w("e"), FF, w("ektiv o"), FFI, w("ciell "), FL, w("ödet a"), FFL, w("uent "), FI]
    [page] = read_pdf_pages(ligature_pdf([[b"".join(parts) + w("nns")]]))
    assert page == "effektiv officiell flödet affluent finns"


def test_a_word_broken_at_the_line_end_is_one_word():
    [_, page, _] = read_pdf_pages(ligature_pdf(SLIDES))
    assert page == "Från detaljstyrning till tillit: förvaltningens nya roll"


@pytest.mark.parametrize(
    "extracted, stored",
    [
        ("förvalt-\r\nningens nya roll", "förvaltningens nya roll"),
        ("förvalt- \nningens", "förvaltningens"),
        ("förvalt-  \r\n  ningens", "förvaltningens"),
        ("förvalt\u2010\nningens", "förvaltningens"),  # U+2010 HYPHEN
        ("Förvalt-\nningens roll", "Förvaltningens roll"),  # at the start of a sentence
        # soft hyphens: where a word may be broken, so never part of it
        ("förvalt\u00adningens", "förvaltningens"),
        ("förvalt\u00ad\nningens", "förvaltningens"),
        ("förvalt\u00ad \r\nningens", "förvaltningens"),
        # real hyphens of compounds are kept, written on one line or broken after the hyphen
        ("Klarspråk i e-tjänsten", "Klarspråk i e-tjänsten"),
        ("Klarspråk i e-\ntjänsten", "Klarspråk i e-tjänsten"),
        ("Fler EU-\nländer", "Fler EU-länder"),
        ("Under 2020-\ntalet", "Under 2020-talet"),
        ("Region Skåne-\nBlekinge", "Region Skåne-Blekinge"),
        ("Åren 1995-\n2025", "Åren 1995-2025"),
        # a hanging hyphen, a dash after a space, a bullet: the lines stay apart
        ("stats-\noch kommunbidrag", "stats-\noch kommunbidrag"),
        ("för-\neller nackdelar", "för-\neller nackdelar"),
        ("Budget -\nvad kostar det?", "Budget -\nvad kostar det?"),
        ("Mål-\n• delmål", "Mål-\n• delmål"),
        ("Åtgärder\nförslag", "Åtgärder\nförslag"),
    ],
)
def test_line_end_hyphens(extracted, stored):
    assert _clean_text(extracted) == stored


def test_only_the_ligature_block_is_folded():
    """No blanket NFKC: fractions, superscripts, the trade mark sign and full-width letters stay
    as the slide has them (NFC composes "ö" as before)."""
    text = "½ m² ™ Ｋ 3⁄4 ﬁ ﬂ ﬆ o\u0308"
    assert _clean_text(text) == "½ m² ™ Ｋ 3⁄4 fi fl st ö"


def make_seminar(archive_root, data: bytes):
    document = ArchiveDocument(title="Bilder")
    document.file.save("bilder.pdf", ContentFile(data), save=False)
    document.save()
    extract_document_text(document)
    page = SeminarPageFactory.build(title="Tillit i förvaltningen", slug="tillit", live=False)
    archive_root.add_child(instance=page)
    SeminarSlide.objects.create(page=page, document=document, label="Presentation")
    page.save_revision().publish()
    return page, document


def slide_pages(q: str) -> list[int]:
    """The slide pages the database engine gives for ``q``, over all hits."""
    from search.engines.base import SearchQuery
    from search.engines.database import DatabaseEngine

    hits = DatabaseEngine().search(SearchQuery(q=q)).hits
    return [slide.page for hit in hits for slide in hit.slides]


def test_search_finds_the_ligature_and_the_broken_word(archive_root, settings):
    settings.ELASTICSEARCH_URL = ""
    make_seminar(archive_root, ligature_pdf(SLIDES))
    assert slide_pages("finansiering") == [3]
    assert slide_pages("förvaltningens") == [2]
    assert slide_pages('"förvaltningens nya roll"') == [2]


def test_text_stored_before_is_redone_and_reindexed(archive_root, settings):
    """Slide text extracted with the old rules keeps "ﬁ" and "förvalt-" until it is extracted
    again: ``manage.py extract_slide_text`` (README's upgrade note) does it, and search finds it."""
    settings.ELASTICSEARCH_URL = ""
    page, document = make_seminar(archive_root, ligature_pdf(SLIDES))
    DocumentPage.objects.filter(document=document, number=2).update(
        text="Från detaljstyrning till tillit: förvalt-\nningens nya roll"
    )
    DocumentPage.objects.filter(document=document, number=3).update(
        text="Sveriges Kommuner och Regioner om \ufb01nansiering och styrningen"
    )
    page.save_revision().publish()  # indexed with the old text
    assert slide_pages("finansiering") == []
    assert slide_pages("förvaltningens") == []

    out = io.StringIO()
    call_command("extract_slide_text", stdout=out, verbosity=0)
    assert "Read 1 of 1 document(s)" in out.getvalue()

    assert "om finansiering och" in document.pages.get(number=3).text
    assert slide_pages("finansiering") == [3]
    assert slide_pages("förvaltningens") == [2]


def test_a_document_whose_file_is_missing_keeps_its_text(archive_root, settings):
    """Run with MEDIA_ROOT pointing elsewhere, the command deleted every document's stored text
    and reindexed the seminars without it, and exited 0 (fresh-features review 1). A missing
    file now keeps its text, and the command says which files it could not find and fails."""
    from django.core.management.base import CommandError

    settings.ELASTICSEARCH_URL = ""
    page, document = make_seminar(archive_root, ligature_pdf(SLIDES))
    stored = list(document.pages.order_by("number").values_list("text", flat=True))
    assert slide_pages("finansiering") == [3]
    document.file.storage.delete(document.file.name)

    out = io.StringIO()
    with pytest.raises(CommandError, match="1 document file"):
        call_command("extract_slide_text", stdout=out, verbosity=0)
    assert "Read 0 of 1 document(s)" in out.getvalue()
    assert list(document.pages.order_by("number").values_list("text", flat=True)) == stored
    document.refresh_from_db()
    assert document.text_status == ArchiveDocument.TextStatus.OK
    assert slide_pages("finansiering") == [3]
