"""Citations of a seminar: BibTeX with the day and a note in the reader's language, keys that
tell one speaker's talks apart, and RIS and CSL-JSON for reference managers."""

import json

import pytest
from django.utils import timezone, translation

from archive.citation import CitationData, bibtex_key, to_bibtex, to_csl_json, to_ris
from archive.factories import SeminarSpeakerFactory, SpeakerFactory
from tests.archive.foundation import in_days, seminar


def data(**changes) -> CitationData:
    values = {
        "title": "Tillit i styrningen",
        "authors": ("Anna-Karin von Berg", "Erik Lind"),
        "year": 2026,
        "month": 5,
        "day": 31,
        "url": "https://example.org/tillit/",
        "slug": "chefsfrukost-tillit",
        "series": "Chefsfrukost",
        "publisher": "Seminariearkivet",
        "has_video": True,
        "language": "en",
        "page_id": 57,
    }
    return CitationData(**(values | changes))


def test_bibtex_gives_the_day_the_talks_language_and_a_note_in_the_readers_language():
    with translation.override("sv"):
        swedish = to_bibtex(data())
        assert "note = {Seminarium}" in to_bibtex(data(has_video=False))
    with translation.override("en"):
        english = to_bibtex(data())
    for bib in (swedish, english):
        assert "date = {2026-05-31}" in bib
        assert "year = {2026}" in bib and "month = may" in bib
        assert "language = {english}" in bib
        assert bib.count("{") == bib.count("}")
    assert "note = {Videoinspelning}" in swedish and "Video recording" not in swedish
    assert "note = {Video recording}" in english
    assert "language = {swedish}" in to_bibtex(data(language="sv"))


def test_bibtex_keys_tell_one_speakers_talks_in_a_year_apart():
    one, other = data(page_id=57), data(page_id=58, slug="chefsfrukost-budget", day=2)
    assert bibtex_key(one) == "vonberg2026chefsfrukost-57"
    assert bibtex_key(one) != bibtex_key(other)
    assert to_bibtex(one).startswith("@misc{vonberg2026chefsfrukost-57,\n")


@pytest.mark.django_db
def test_the_downloaded_bibtex_of_two_talks_have_different_keys(client, archive_root):
    speaker = SpeakerFactory(name="Maria Lindqvist")
    keys = []
    for n in (1, 2):
        page = seminar(
            archive_root, slug=f"chefsfrukost-{n}", start=in_days(-10 * n), end=in_days(-10 * n)
        )
        SeminarSpeakerFactory(page=page, speaker=speaker, role="speaker", sort_order=0)
        bib = client.get(f"/api/seminars/chefsfrukost-{n}/cite.bib?hl=sv").content.decode()
        assert f"date = {{{timezone.localtime(page.start).date().isoformat()}}}" in bib
        assert "note = {Seminarium}" in bib
        keys.append(bib.split("{", 1)[1].split(",", 1)[0])
        assert keys[-1].endswith(f"-{page.pk}")
    assert keys[0] != keys[1]


def test_ris_names_each_author_and_the_day_in_the_readers_language():
    with translation.override("sv"):
        ris = to_ris(data())
    lines = ris.split("\r\n")
    assert lines[0] == "TY  - VIDEO"
    assert "AU  - von Berg, Anna-Karin" in lines and "AU  - Lind, Erik" in lines
    assert "TI  - Tillit i styrningen" in lines
    assert "DA  - 2026/05/31/" in lines and "PY  - 2026" in lines
    assert "UR  - https://example.org/tillit/" in lines
    assert "T3  - Chefsfrukost" in lines and "LA  - en" in lines
    assert "N1  - Videoinspelning" in lines
    assert lines[-2:] == ["ER  - ", ""]
    assert to_ris(data(has_video=False, title="Två\nrader")).startswith("TY  - SLIDE\r\n")
    assert "TI  - Två rader\r\n" in to_ris(data(title="Två\nrader"))


def test_csl_json_is_one_item_with_structured_names_and_date():
    with translation.override("en"):
        [item] = json.loads(to_csl_json(data()))
    assert item["id"] == "vonberg2026chefsfrukost-57"
    assert item["type"] == "motion_picture"
    assert item["author"] == [
        {"family": "von Berg", "given": "Anna-Karin"},
        {"family": "Lind", "given": "Erik"},
    ]
    assert item["issued"] == {"date-parts": [[2026, 5, 31]]}
    assert item["URL"] == "https://example.org/tillit/" and item["language"] == "en"
    assert item["collection-title"] == "Chefsfrukost" and item["genre"] == "Video recording"
    [talk] = json.loads(to_csl_json(data(has_video=False, authors=("Platon",))))
    assert talk["type"] == "speech" and talk["author"] == [{"literal": "Platon"}]
