"""``manage.py import_seminars``: the documented example, every error message, atomic lines,
``--update``, ``--dry-run``, idempotence, the bulk search signal and exit codes."""

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone, translation
from wagtail.models import ReferenceIndex, Revision
from wagtailmedia.models import Media

from archive.factories import SeminarIndexPageFactory, SeminarPageFactory, make_pdf
from archive.importers.seminars import validate_record
from archive.management.commands.import_seminars import Command
from archive.models import (
    ArchiveDocument,
    SeminarPage,
    Series,
    Speaker,
    TranscriptSegment,
    Venue,
)
from archive.signals import seminars_changed

EXAMPLE_DIR = Path(settings.BASE_DIR) / "docs" / "examples" / "import"
STOCKHOLM = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def english():
    """Messages from Django and the models are asserted in English (their msgids)."""
    with translation.override("en"):
        yield


def run(*args):
    """(stdout, stderr, CommandError or None) of one import run."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_seminars", *[str(a) for a in args], stdout=out, stderr=err)
        error = None
    except CommandError as exc:
        error = exc
    return out.getvalue(), err.getvalue(), error


def write_jsonl(directory: Path, *records, name="seminars.jsonl") -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts() -> dict:
    return {
        "pages": SeminarPage.objects.count(),
        "speakers": Speaker.objects.count(),
        "series": Series.objects.count(),
        "venues": Venue.objects.count(),
        "documents": ArchiveDocument.objects.count(),
        "segments": TranscriptSegment.objects.count(),
        "media": Media.objects.count(),
        "revisions": Revision.objects.count(),
    }


def good(n: int, **extra) -> dict:
    return {
        "id": f"seminarium-{n}",
        "title": f"Seminarium {n}",
        "start": f"2019-03-{n:02d}T09:00",
        **extra,
    }


@pytest.fixture
def example(tmp_path):
    """A copy of the documented example, so tests may add files next to it."""
    target = tmp_path / "import"
    shutil.copytree(EXAMPLE_DIR, target)
    return target


@pytest.fixture
def vtt(tmp_path):
    path = tmp_path / "talk.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:00.000 --> 00:00:03.000\n<v Anna Ek>Hej och välkomna.\n\n"
        "00:00:03.000 --> 00:00:07.500\n<v Anna Ek>Vi börjar med styrningen.\n",
        encoding="utf-8",
    )
    return path


def make_video(path: Path, seconds: int = 2, fps: int = 10) -> Path:
    """A real (tiny) MPEG-4 video of ``seconds`` seconds."""
    import av
    from PIL import Image

    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(seconds * fps):
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48), (i * 10 % 255, 80, 120)))
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


# --------------------------------------------------------------------------- the example


@pytest.mark.django_db
def test_documented_example_round_trip(archive_root, client):
    out, err, error = run(EXAMPLE_DIR / "seminars.jsonl")
    assert error is None, err
    assert "3 created, 0 updated, 0 skipped (unchanged), 0 failed" in out

    a3 = SeminarPage.objects.get(slug="a3-tillitsbaserad-styrning-2017")
    assert a3.live and a3.get_parent().specific == archive_root
    assert (a3.title, a3.code, a3.room) == (
        "Tillitsbaserad styrning av offentlig sektor",
        "A3",
        "Sal 1",
    )
    assert a3.series.name == "Förvaltningsdagarna 2017" and a3.venue.name == "Folkets hus"
    assert timezone.localtime(a3.start) == dt.datetime(2017, 5, 31, 14, 0, tzinfo=STOCKHOLM)
    assert timezone.localtime(a3.end).time() == dt.time(14, 45) and a3.time_known
    assert a3.lead.startswith("Hur styr man offentlig verksamhet")
    assert [b.block_type for b in a3.body] == ["paragraph", "paragraph"]
    assert "tid för frågor" in a3.body[1].value.source
    links = [(s.speaker.name, s.role, s.title) for s in a3.seminar_speakers.all()]
    assert links == [
        ("Eva Lindqvist", "speaker", "ordförande i delegationen"),
        ("Omar Haddad", "moderator", "utredare"),
    ]
    assert Speaker.find_by_name("eva  LINDQVIST").bio.startswith("Eva Lindqvist är nationalekonom")
    assert sorted(t.name for t in a3.topics.all()) == ["styrning", "tillit"]
    assert a3.video_url == "https://www.youtube.com/watch?v=abcdefghijk"
    assert a3.source_url == "https://example.org/seminarier/2017/a3"
    assert a3.registration_url == "https://example.org/anmalan/a3"
    assert timezone.localtime(a3.registration_deadline).date() == dt.date(2017, 5, 20)
    assert (a3.contact_name, a3.contact_email, a3.contact_phone) == (
        "Karin Sjöberg",
        "karin.sjoberg@example.org",
        "08-123 456 78",
    )
    slide = a3.slides.get()
    with slide.document.open_file() as fh:
        assert fh.read(5) == b"%PDF-"
    segments = list(a3.transcript.segments.order_by("position"))
    assert len(segments) == 5
    assert segments[0].chapter == "Inledning" and segments[2].chapter == "Från mätning till lärande"
    assert segments[3].speaker.name == "Omar Haddad"  # linked to the seminar's speaker
    assert a3.transcript.source_name == "tillitsbaserad-styrning.vtt"

    breakfast = SeminarPage.objects.get(slug="frukost-ledarskap-2016")
    assert not breakfast.time_known
    assert timezone.localtime(breakfast.start) == dt.datetime(2016, 3, 9, 0, 0, tzinfo=STOCKHOLM)
    assert [s.role for s in breakfast.seminar_speakers.all()] == ["host", "panelist"]
    assert Speaker.objects.filter(name="Omar Haddad").count() == 1  # matched, not duplicated
    assert breakfast.transcript.segments.count() == 2

    untitled_id = SeminarPage.objects.get(title="Öppet seminarium om arkivering")
    assert untitled_id.slug == "oppet-seminarium-om-arkivering"

    response = client.get(a3.url)
    assert response.status_code == 200
    assert "Tillitsbaserad styrning av offentlig sektor" in response.content.decode()


@pytest.mark.parametrize(
    "times, says",
    [
        ('"start": NaN, "end": 1', "NaN is not a number JSON allows"),
        ('"start": 0, "end": Infinity', "Infinity is not a number JSON allows"),
        ('"start": -Infinity, "end": 1', "-Infinity is not a number JSON allows"),
        ('"start": 0, "end": 1e400', "1e400 is too large a number"),
        ('"start": 0, "end": 1' + "0" * 400, "key “transcript[0].end”: 1000000000"),
        ('"start": 0, "end": 1' + "0" * 5000, "invalid JSON"),
        ('"start": 0, "end": 1e300', "key “transcript[0].end”: 1e+300 is not a time"),
    ],
)
@pytest.mark.parametrize("shape", ["lines", "array"])
def test_times_that_are_no_numbers_or_too_large_are_refused_clearly(
    archive_root, tmp_path, times, says, shape
):
    """Python's JSON reader takes NaN, Infinity and 1e400; they crashed the whole run (also the
    dry run) or were stored and broke every download of the transcript (robustness review)."""
    record = (
        '{"id": "tider", "title": "Tider", "start": "2019-03-01T09:00", '
        f'"transcript": [{{{times}, "text": "Hej."}}]}}'
    )
    path = write_jsonl(tmp_path, "[" + record + "]" if shape == "array" else record)
    before = counts()
    for extra in (["--dry-run"], []):
        out, err, error = run(path, *extra)
        assert error is not None, extra
        assert "line 1" in err and says in err, err
        assert counts() == before


@pytest.mark.django_db
def test_json_array_is_read_with_element_line_numbers(archive_root, tmp_path):
    path = tmp_path / "seminars.json"
    path.write_text(
        "[\n" + json.dumps(good(1)) + ",\n" + json.dumps(good(2, start="igår")) + "\n]\n",
        encoding="utf-8",
    )
    out, err, error = run(path)
    assert error is not None
    assert "1 created" in out
    assert "line 3, key “start”: bad date" in err


@pytest.mark.django_db
def test_json_array_of_indented_seminars_numbers_each_from_its_first_line(archive_root, tmp_path):
    """Line numbers are counted as the array is read (not from the top for each seminar)."""
    seminars = [good(n) for n in range(1, 6)]
    seminars[3]["start"] = "den fjärde"
    text = "[\n" + ",\n".join(json.dumps(s, indent=2) for s in seminars) + "\n]\n"
    path = tmp_path / "seminars.json"
    path.write_text(text, encoding="utf-8")
    fourth = 1 + 1 + 3 * (len(json.dumps(good(1), indent=2).splitlines()))  # "[" + three before
    out, err, error = run(path)
    assert error is not None and "4 created" in out
    assert f"line {fourth}, key “start”: bad date" in err

    path.write_text(text.rstrip().rstrip("]") + ",\n" + json.dumps(good(6)), encoding="utf-8")
    out, err, error = run(path, "--dry-run")
    last = text.count("\n") + 1  # good(6): after the line holding the added comma
    assert f"line {last}: invalid JSON" in err and "the array is not closed with ]" in err


@pytest.mark.django_db
def test_json_lines_with_crlf_and_a_line_separator_inside_a_string(archive_root, tmp_path):
    """JSON allows U+2028 unescaped in a string: it must not end the line (str.splitlines
    would split there). Windows line ends number the same as Unix ones."""
    lead = "Första stycket\u2028andra raden"
    path = tmp_path / "seminars.jsonl"
    path.write_text(
        "\r\n".join(
            [
                json.dumps(good(1, summary=lead), ensure_ascii=False),
                json.dumps(good(2, start="igår")),
            ]
        )
        + "\r\n",
        encoding="utf-8",
    )
    out, err, error = run(path)
    assert "1 created" in out
    assert "line 2, key “start”: bad date" in err
    assert SeminarPage.objects.get(slug="seminarium-1").lead == lead


def test_control_characters_are_dropped_from_texts_and_transcripts(archive_root, tmp_path):
    """NUL and other invisible control characters (PostgreSQL refuses NUL in text) are dropped
    wherever the file puts them; a segment with nothing else is reported as empty."""
    path = write_jsonl(
        tmp_path,
        good(
            1,
            title="Till\x00it\x07",
            summary="Rad\x1b ett",
            speakers=[{"name": "Eva\x00 Lind", "bio": "Forskar\x0c om styrning."}],
            transcript=[{"start": 0, "end": 2, "speaker": "Eva Lind", "text": "Hej\x00 då"}],
        ),
        good(2, transcript=[{"start": 0, "end": 2, "text": "\x00\x01"}]),
    )
    out, err, error = run(path)
    assert "1 created" in out
    assert "line 2, key “transcript[0].text”: missing" in err
    page = SeminarPage.objects.get(slug="seminarium-1")
    assert (page.title, page.lead) == ("Tillit", "Rad ett")
    speaker = Speaker.objects.get()
    assert (speaker.name, speaker.bio) == ("Eva Lind", "Forskar om styrning.")
    assert list(TranscriptSegment.objects.values_list("text", flat=True)) == ["Hej då"]


@pytest.mark.django_db
def test_attachment_gone_between_the_check_and_the_write_is_reported(
    archive_root, tmp_path, monkeypatch
):
    """Records are read again when written (so a large file is never all in memory); the same
    checks run then, and a seminar whose slides vanished meanwhile is reported, not written."""
    (tmp_path / "bilder.pdf").write_bytes(make_pdf(["Bild ett"]))
    path = write_jsonl(tmp_path, good(1), good(2, slides=["bilder.pdf"]), good(3))
    checked = Command.validate

    def check_then_remove(self, *args):
        result = checked(self, *args)
        assert result[0] == [1, 2, 3] and result[1] == []  # all valid when checked
        (tmp_path / "bilder.pdf").unlink()
        return result

    monkeypatch.setattr(Command, "validate", check_then_remove)
    out, err, error = run(path)
    assert error is not None and "2 created" in out
    assert "line 2, key “slides[0]”: attachment not found" in err
    assert sorted(SeminarPage.objects.values_list("slug", flat=True)) == [
        "seminarium-1",
        "seminarium-3",
    ]
    assert not ArchiveDocument.objects.exists()


@pytest.mark.django_db
def test_existing_snippets_are_matched_by_name_ignoring_case_and_spaces(archive_root, tmp_path):
    Series.objects.create(name="Förvaltningsdagarna 2017")
    Venue.objects.create(name="Folkets hus")
    Speaker.objects.create(name="Eva Lindqvist", bio="Finns redan.")
    path = write_jsonl(
        tmp_path,
        good(
            1,
            event="förvaltningsdagarna  2017",
            venue=" FOLKETS HUS ",
            speakers=[{"name": "eva lindqvist", "bio": "Ny text."}],
        ),
    )
    out, err, error = run(path)
    assert error is None, err
    assert (Series.objects.count(), Venue.objects.count(), Speaker.objects.count()) == (1, 1, 1)
    assert Speaker.objects.get().bio == "Finns redan."  # never overwritten by an import


@pytest.mark.django_db
def test_parent_by_path_and_id_and_unknown_parent(archive_root, tmp_path):
    other = SeminarIndexPageFactory(
        parent=archive_root.get_parent(), title="Konferens", slug="konferens"
    )
    path = write_jsonl(tmp_path, good(1))
    assert run(path, "--parent", "/konferens/")[2] is None
    assert SeminarPage.objects.get(slug="seminarium-1").get_parent().pk == other.pk
    path = write_jsonl(tmp_path, good(2))
    assert run(path, "--parent", str(archive_root.pk))[2] is None
    assert SeminarPage.objects.get(slug="seminarium-2").get_parent().pk == archive_root.pk
    error = run(path, "--parent", "/finns-inte/")[2]
    assert "No seminar archive “/finns-inte/”" in str(error) and "/seminarier/" in str(error)


@pytest.mark.django_db
def test_draft_flag_creates_unpublished_pages(archive_root, tmp_path, client):
    path = write_jsonl(tmp_path, good(1))
    assert run(path, "--draft")[2] is None
    page = SeminarPage.objects.get(slug="seminarium-1")
    assert not page.live and page.has_unpublished_changes
    # The archive is the site's root: the seminar's address is /seminarium-1/.
    assert client.get("/seminarium-1/").status_code == 404
    page.save_revision().publish()
    assert client.get("/seminarium-1/").status_code == 200  # (the address is the right one)


@pytest.mark.django_db
def test_video_file_becomes_a_media_item_with_its_duration(archive_root, tmp_path, vtt):
    make_video(tmp_path / "film.mp4", seconds=2)
    path = write_jsonl(tmp_path, good(1, video_file="film.mp4"))
    out, err, error = run(path)
    assert error is None, err
    page = SeminarPage.objects.get(slug="seminarium-1")
    assert page.video_file.type == "video" and page.video_file.duration == pytest.approx(2.0)
    assert page.duration == 2
    # The transcript is checked against the video's length: 7.5 s is past its end.
    path = write_jsonl(tmp_path, good(2, video_file="film.mp4", transcript="talk.vtt"))
    _out, err, error = run(path)
    assert error is not None
    assert "line 1, key “transcript”: invalid transcript times" in err
    assert "after the end of the video" in err


@pytest.mark.django_db
def test_update_refuses_a_video_shorter_than_the_transcript_it_keeps(archive_root, tmp_path, vtt):
    """The video was swapped and the 7.5 s transcript kept: the segment editor then refused
    every save ("ends after the end of the video") until the whole transcript was replaced."""
    assert run(write_jsonl(tmp_path, good(1, transcript="talk.vtt")))[2] is None
    make_video(tmp_path / "film.mp4", seconds=2)
    path = write_jsonl(tmp_path, {"id": "seminarium-1", "video_file": "film.mp4"})
    _out, err, error = run(path, "--update")
    assert error is not None
    assert "line 1, key “video_file”: the video would last 0:02, but the seminar's transcript " in (
        err
    )
    page = SeminarPage.objects.get(slug="seminarium-1")
    assert page.video_file is None and not page.has_unpublished_changes
    assert Media.objects.count() == 0  # the stored file went with the refused record


@pytest.mark.django_db
def test_what_the_database_cannot_store_is_refused_already_in_the_dry_run(archive_root, tmp_path):
    """The dry run passed these, and the real run then failed with "could not be saved:
    date value out of range" or a codec error, naming no key (robustness review)."""
    path = write_jsonl(
        tmp_path,
        good(1, start="9999-12-31T23:59:59-12:00"),
        good(2, start="0001-01-01T00:00+14:00"),
        '{"id": "seminarium-3", "title": "a\\ud800b", "start": "2019-03-03"}',
        '{"id": "seminarium-4", "title": "T", "start": "2019-03-04", '
        '"transcript": [{"start": 0, "end": 1, "text": "Hej \\ud800"}]}',
    )
    for extra in (["--dry-run"], []):
        _out, err, error = run(path, *extra)
        assert error is not None
        assert 'line 1, key “start”: date "9999-12-31T23:59:59-12:00" is outside the years' in err
        assert "line 2, key “start”: date" in err
        assert "line 3, key “title”: contains a broken character" in err
        assert "line 4, key “transcript[0].text”: contains a broken character" in err
        assert "could not be saved" not in err
    assert not SeminarPage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("content", ["", "\n\n  \n", "[]", "[ ]\n"])
def test_a_file_without_seminars_is_an_error_not_a_success(archive_root, tmp_path, content):
    path = tmp_path / "tom.jsonl"
    path.write_text(content, encoding="utf-8")
    _out, _err, error = run(path)
    assert error is not None and "holds no seminars" in str(error)


@pytest.mark.django_db
def test_capital_ids_and_times_the_clocks_skip_are_refused_with_the_fix(archive_root, tmp_path):
    path = write_jsonl(
        tmp_path,
        good(1, id="A3-2017"),
        good(2, start="2017-03-26T02:30"),  # Stockholm jumps from 02:00 to 03:00
        good(3, start="2017-03-26T02:30+01:00"),  # an explicit offset names one instant
        good(4, start="2017-10-29T02:30"),  # the autumn hour that comes twice exists
    )
    _out, err, error = run(path, "--dry-run")
    assert error is not None
    assert "line 1, key “id”: “A3-2017” has capital letters: ids are lower case (“a3-2017”)" in err
    assert 'line 2, key “start”: "2017-03-26T02:30" does not exist in Swedish time' in err
    assert "line 3" not in err and "line 4" not in err


@pytest.mark.django_db
def test_a_picture_named_like_a_video_is_refused(archive_root, tmp_path):
    from archive.demo.media import portrait_png

    (tmp_path / "film.webm").write_bytes(portrait_png("A B", (30, 60, 100), size=64))
    _out, err, error = run(write_jsonl(tmp_path, good(1, video_file="film.webm")), "--dry-run")
    assert error is not None
    assert "key “video_file”: “film.webm” is not a video that can be read (it is a picture" in err


@pytest.mark.django_db
def test_null_among_the_slides_and_pdfs_without_pages_are_refused(archive_root, tmp_path):
    from pypdf import PdfWriter

    with (tmp_path / "tom.pdf").open("wb") as fh:
        PdfWriter().write(fh)
    path = write_jsonl(tmp_path, good(1, slides=[None]), good(2, slides=["tom.pdf"]))
    _out, err, error = run(path, "--dry-run")
    assert error is not None
    assert "line 1, key “slides[0]”: expected the path of a PDF, got null" in err
    assert "line 2, key “slides[0]”: “tom.pdf” is not a usable PDF: The PDF has no pages" in err


# --------------------------------------------------------------------------- error messages


def _pdf(tmp_path):
    (tmp_path / "ok.pdf").write_bytes(make_pdf(["Bild ett"]))
    (tmp_path / "fake.pdf").write_bytes(b"This is a Word file, honestly")
    (tmp_path / "backwards.vtt").write_text(
        "WEBVTT\n\n00:00:05.000 --> 00:00:08.000\nFörst.\n\n"
        "00:00:02.000 --> 00:00:04.000\nSedan.\n",
        encoding="utf-8",
    )


ERROR_CASES = [
    pytest.param(
        '{"title": "Trasig", "start": "2019-01-01",}',
        ["line 2", "invalid JSON at column 43"],
        id="invalid-json",
    ),
    pytest.param(
        {"id": "x", "titel": "Stavfel", "title": "T", "start": "2019-01-01"},
        ["line 2, key “titel”: unknown key", "Allowed keys: id, source_url, title"],
        id="unknown-key",
    ),
    pytest.param(
        good(9, start="31 maj 2017"),
        ['line 2, key “start”: bad date "31 maj 2017"', "ISO 8601"],
        id="bad-date",
    ),
    pytest.param(
        {"id": "utan-titel", "start": "2019-01-01"},
        ["line 2, key “title”: missing"],
        id="missing-title",
    ),
    pytest.param(
        good(9, slides=["finns-inte.pdf"]),
        ["line 2, key “slides[0]”: attachment not found: {tmp}/finns-inte.pdf"],
        id="attachment-not-found",
    ),
    pytest.param(
        good(9, slides=["ok.pdf", "fake.pdf"]),
        ["line 2, key “slides[1]”: “fake.pdf” is not a usable PDF", "not a PDF"],
        id="not-a-pdf",
    ),
    pytest.param(
        good(9, transcript="backwards.vtt"),
        [
            "line 2, key “transcript”: invalid transcript times: backwards.vtt line 6:",
            "starts before the previous segment",
        ],
        id="transcript-times",
    ),
    pytest.param(
        good(9, transcript=[{"start": 3, "end": 1, "text": "Baklänges."}]),
        ["line 2, key “transcript”: invalid transcript times", "before it starts"],
        id="inline-transcript-times",
    ),
    pytest.param(
        good(1),
        ["line 2, key “id”: duplicate id “seminarium-1”: line 1 already"],
        id="duplicate-id",
    ),
    pytest.param(
        good(9, code="A" * 21),
        ["line 2, key “code”: text too long for the field: 21 characters, at most 20"],
        id="too-long",
    ),
    pytest.param(
        good(9, speakers=[{"name": "Anna Ek", "role": "keynote"}]),
        [
            'line 2, key “speakers[0].role”: bad role "keynote"',
            "speaker, moderator, panelist, host",
        ],
        id="bad-role",
    ),
    pytest.param(
        good(9, video_url="youtube.com/watch"),
        ["line 2, key “video_url”: bad URL “youtube.com/watch”"],
        id="bad-url",
    ),
    pytest.param(
        good(9, contact={"email": "karin(at)example.org"}),
        ["line 2, key “contact.email”: bad e-mail address"],
        id="bad-email",
    ),
    pytest.param(
        good(9, language="fi"),
        ['line 2, key “language”: unknown language "fi": expected one of sv, en'],
        id="bad-language",
    ),
    pytest.param(
        good(9, end="2019-03-09T08:00"),
        ["line 2, key “end”: the seminar cannot end before it starts"],
        id="end-first",
    ),
    pytest.param(
        good(9, registration={"deadline": "2019-03-10"}),
        ["line 2, key “registration.deadline”: the registration deadline is after"],
        id="late-deadline",
    ),
    pytest.param(
        good(9, speakers="Anna Ek"),
        ["line 2, key “speakers”: expected a list"],
        id="speakers-not-list",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("bad", "expected"), ERROR_CASES)
def test_each_error_names_line_key_and_what_was_expected(archive_root, tmp_path, bad, expected):
    _pdf(tmp_path)
    path = write_jsonl(tmp_path, good(1), bad)
    before = counts()
    out, err, error = run(path)
    assert error is not None and "1 seminar(s) failed" in str(error)
    for text in expected:
        assert text.format(tmp=tmp_path.resolve()) in err, err
    assert "1 created" in out and "1 failed" in out and "Failed lines: 2" in err
    assert SeminarPage.objects.count() == before["pages"] + 1


@pytest.mark.django_db
def test_video_file_and_video_url_together_is_an_error(archive_root, tmp_path):
    make_video(tmp_path / "film.mp4")
    path = write_jsonl(
        tmp_path, good(1, video_file="film.mp4", video_url="https://vimeo.com/123456")
    )
    _out, err, error = run(path)
    assert error is not None
    assert "line 1, key “video_file”: give either video_file or video_url, not both" in err
    assert Media.objects.count() == 0


@pytest.mark.django_db
def test_not_a_video_is_reported(archive_root, tmp_path):
    (tmp_path / "film.mp4").write_bytes(b"not a video at all")
    _out, err, error = run(write_jsonl(tmp_path, good(1, video_file="film.mp4")))
    assert error is not None and "key “video_file”: “film.mp4” is not a video" in err


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["video_file", "slides", "transcript"])
def test_attachments_larger_than_an_admin_upload_are_refused(archive_root, tmp_path, vtt, kind):
    """The importer holds attachments to the admin's upload limits: nothing is written for a
    seminar whose file is too large, and a file of exactly the limit is accepted."""
    make_video(tmp_path / "film.mp4")
    (tmp_path / "bilder.pdf").write_bytes(make_pdf(["Bild ett"]))
    files = {"video_file": "film.mp4", "slides": "bilder.pdf", "transcript": "talk.vtt"}
    setting = {
        "video_file": "ARCHIVE_MEDIA_MAX_UPLOAD_SIZE",
        "slides": "WAGTAILDOCS_MAX_UPLOAD_SIZE",
        "transcript": None,  # a constant: 20 MB
    }[kind]
    size = (tmp_path / files[kind]).stat().st_size
    value = [files[kind]] if kind == "slides" else files[kind]
    record = good(1, **{kind: value})
    if kind == "transcript":
        (tmp_path / "talk.vtt").write_text(
            vtt.read_text(encoding="utf-8") + "\nNOTE " + "x" * (20 * 1024 * 1024), "utf-8"
        )
        limits = {}
    else:
        limits = {setting: size - 1}
    with override_settings(**limits):
        _out, err, error = run(write_jsonl(tmp_path, record))
    assert error is not None
    key = "slides[0]" if kind == "slides" else kind
    assert f"line 1, key “{key}”: “{files[kind]}” is " in err
    assert "the largest accepted is" in err
    assert counts()["pages"] == 0 and counts()["media"] == 0 and counts()["documents"] == 0
    if setting:
        with override_settings(**{setting: size}):
            _out, err, error = run(write_jsonl(tmp_path, record))
        assert error is None, err
        assert counts()["pages"] == 1


@pytest.mark.django_db
def test_existing_id_is_an_error_without_update(archive_root, tmp_path):
    SeminarPageFactory(parent=archive_root, slug="seminarium-1", title="Finns redan")
    _out, err, error = run(write_jsonl(tmp_path, good(1)))
    assert error is not None
    assert "line 1, key “id”: a seminar with the address “seminarium-1” already exists" in err
    assert "--update" in err
    assert SeminarPage.objects.get(slug="seminarium-1").title == "Finns redan"


# "media", "static", "_protected_media": nginx answers those addresses itself in production.
@pytest.mark.parametrize("slug", ["sok", "api", "en", "media", "static", "_protected_media"])
def test_an_id_whose_address_the_site_itself_answers_is_an_error(archive_root, tmp_path, slug):
    _out, err, error = run(write_jsonl(tmp_path, {**good(1), "id": slug}, good(2)))
    assert error is not None and "1 seminar(s) failed" in str(error)
    assert f"line 1, key “id”: the address /{slug}/ belongs to the site itself" in err
    assert not SeminarPage.objects.filter(slug=slug).exists()
    assert SeminarPage.objects.filter(slug="seminarium-2").exists()


def test_failures_are_counted_in_seminars_not_problems(archive_root, tmp_path):
    bad = {**good(1), "start": "i morgon", "end": "sen", "format": "dans"}
    _out, err, error = run(write_jsonl(tmp_path, bad, good(2)))
    assert err.count("line 1,") >= 3
    assert "1 seminar(s) failed (" in str(error)


def test_topics_differing_only_in_case_are_one_topic_and_commas_are_refused(archive_root, tmp_path):
    from taggit.models import Tag

    _out, err, error = run(
        write_jsonl(
            tmp_path,
            good(1, topics=["Tillit", "styrning"]),
            good(2, topics=["tillit"]),
            good(3, topics=["styrning, tillit"]),
        )
    )
    assert "line 3, key “topics[0]”: a topic cannot contain a comma: give “styrning”, " in err
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Tillit", "styrning"]
    second = SeminarPage.objects.get(slug="seminarium-2")
    assert [t.name for t in second.topics.all()] == ["Tillit"]
    assert not SeminarPage.objects.filter(slug="seminarium-3").exists()
    assert error is not None


def test_validate_record_is_pure_and_reports_every_problem(tmp_path):
    """No database needed: dry runs and tests share this function."""
    record, problems = validate_record(
        {"title": "", "start": "snart", "speakers": [{"role": "host"}], "extra": 1},
        7,
        tmp_path,
    )
    keys = {p.key for p in problems}
    assert {"title", "start", "speakers[0].name", "extra"} <= keys
    assert all(p.line == 7 for p in problems)
    record, problems = validate_record(good(1, topics=["tillit", "Tillit"]), 3, tmp_path)
    assert problems == [] and record.slug == "seminarium-1" and record.topics == ["tillit"]


# --------------------------------------------------------------------------- atomic lines


@pytest.mark.django_db
def test_a_line_failing_while_written_leaves_nothing_behind(archive_root, tmp_path, vtt):
    """The bad line passes validation but the page refuses it after speakers, a PDF and a
    transcript were prepared: everything of that line is rolled back, files included."""
    SeminarPageFactory(
        parent=archive_root,
        slug="befintligt",
        title="Befintligt",
        start=timezone.make_aware(dt.datetime(2019, 5, 1, 10, 0)),
        end=None,
    )
    (tmp_path / "ny.pdf").write_bytes(make_pdf(["Helt nya bilder"]))
    bad = {
        "id": "befintligt",
        "end": "2019-04-01T10:00",
        "event": "Ny serie",
        "venue": "Ny lokal",
        "speakers": [{"name": "Helt Ny Talare"}],
        "slides": ["ny.pdf"],
        "transcript": "talk.vtt",
    }
    path = write_jsonl(tmp_path, good(1), bad, good(3, speakers=[{"name": "Anna Ek"}]))
    before = counts()
    files_before = (
        set(default_storage.listdir("documents")[1])
        if default_storage.exists("documents")
        else set()
    )

    out, err, error = run(path, "--update")

    assert error is not None
    assert "line 2, key “end”: The seminar cannot end before it starts" in err
    assert "2 created" in out and "1 failed" in out
    after = counts()
    assert after["pages"] == before["pages"] + 2
    assert after["speakers"] == before["speakers"] + 1  # only Anna Ek from line 3
    assert after["series"] == before["series"] and after["venues"] == before["venues"]
    assert after["documents"] == before["documents"]
    assert after["segments"] == before["segments"]
    assert not Speaker.find_by_name("Helt Ny Talare") and not Series.find_by_name("Ny serie")
    files_after = (
        set(default_storage.listdir("documents")[1])
        if default_storage.exists("documents")
        else set()
    )
    assert files_after == files_before  # the stored PDF was deleted again
    page = SeminarPage.objects.get(slug="befintligt")
    assert page.end is None and not hasattr(page, "transcript")


@pytest.mark.django_db
def test_bad_lines_among_good_ones(archive_root, tmp_path, vtt):
    path = write_jsonl(
        tmp_path,
        good(1, transcript="talk.vtt", speakers=[{"name": "Anna Ek"}]),
        good(2, speakers=[{"name": "Bo Ek", "role": "boss"}]),
        "not json",
        good(4, slides=["saknas.pdf"]),
        good(5),
    )
    before = counts()
    out, err, error = run(path)
    assert "Failed lines: 2, 3, 4" in err
    assert "2 created" in out and "3 failed" in out
    after = counts()
    assert after["pages"] - before["pages"] == 2
    assert after["speakers"] - before["speakers"] == 1
    assert after["segments"] - before["segments"] == 2
    assert after["documents"] == before["documents"]
    assert not Speaker.find_by_name("Bo Ek")


# --------------------------------------------------------------------------- update, dry run


@pytest.mark.django_db
def test_update_keeps_what_the_file_does_not_mention(archive_root, tmp_path):
    assert run(EXAMPLE_DIR / "seminars.jsonl")[2] is None
    page = SeminarPage.objects.get(slug="a3-tillitsbaserad-styrning-2017")
    revisions = page.revisions.count()
    path = write_jsonl(
        tmp_path,
        {
            "id": "a3-tillitsbaserad-styrning-2017",
            "room": "Sal 2",
            "summary": None,
            "contact": {"phone": "08-999 99 99"},
        },
    )
    out, err, error = run(path, "--update")
    assert error is None, err
    assert "1 updated" in out
    page.refresh_from_db()
    assert page.room == "Sal 2" and page.contact_phone == "08-999 99 99"
    assert page.lead.startswith("Hur styr man")  # null: untouched
    assert page.contact_email == "karin.sjoberg@example.org"
    assert page.code == "A3" and page.series.name == "Förvaltningsdagarna 2017"
    assert [s.speaker.name for s in page.seminar_speakers.all()] == ["Eva Lindqvist", "Omar Haddad"]
    assert page.slides.count() == 1 and page.transcript.segments.count() == 5
    assert page.revisions.count() == revisions + 1 and page.live
    assert not page.has_unpublished_changes


@pytest.mark.django_db
def test_update_as_draft_keeps_the_live_version(archive_root, tmp_path, client):
    assert run(write_jsonl(tmp_path, good(1)))[2] is None
    path = write_jsonl(tmp_path, {"id": "seminarium-1", "title": "Nytt namn"})
    assert run(path, "--update", "--draft")[2] is None
    page = SeminarPage.objects.get(slug="seminarium-1")
    assert page.title == "Seminarium 1" and page.has_unpublished_changes
    assert page.get_latest_revision_as_object().title == "Nytt namn"


@pytest.mark.django_db
def test_update_as_draft_leaves_the_reference_index_to_the_live_version(archive_root, tmp_path):
    """The reference index says which seminars show an image or name a speaker (and so who may
    fetch the image); --update --draft indexed the draft in memory instead of the live page."""
    from wagtail.models import ReferenceIndex

    def referenced_speakers(page):
        refs = ReferenceIndex.get_references_for_object(page)
        return {r.to_object_id for r in refs if r.model_path.endswith(".speaker")}

    record = good(1, speakers=[{"name": "Anna Ek"}])
    assert run(write_jsonl(tmp_path, record))[2] is None
    page = SeminarPage.objects.get(slug="seminarium-1")
    before = referenced_speakers(page)
    assert before == {str(Speaker.objects.get(name="Anna Ek").pk)}
    path = write_jsonl(tmp_path, {"id": "seminarium-1", "speakers": [{"name": "Bo Berg"}]})
    assert run(path, "--update", "--draft")[2] is None
    assert referenced_speakers(page) == before  # the live page still names Anna Ek
    page.refresh_from_db()
    page.get_latest_revision().publish()  # an editor publishes the draft: the index follows
    assert referenced_speakers(page) == {str(Speaker.objects.get(name="Bo Berg").pk)}


@pytest.mark.django_db
def test_update_as_draft_refuses_a_new_transcript_of_a_published_seminar(archive_root, tmp_path):
    """Transcripts have no draft revisions: --draft once published the new transcript at once,
    beside a title that waited as a draft (adversarial review)."""
    said = [{"start": 0, "end": 2, "text": "Det gamla."}]
    assert run(write_jsonl(tmp_path, good(1, transcript=said)))[2] is None
    new = [{"start": 0, "end": 2, "text": "Hemligt importord."}]
    path = write_jsonl(tmp_path, {"id": "seminarium-1", "title": "Nytt", "transcript": new})
    out, err, error = run(path, "--update", "--draft")
    assert error is not None
    assert "line 1, key “transcript”: with --draft, this published seminar's new transcript" in err
    page = SeminarPage.objects.get(slug="seminarium-1")
    assert [s.text for s in page.transcript.segments.all()] == ["Det gamla."]
    assert page.get_latest_revision_as_object().title == "Seminarium 1"  # nothing half-written
    # The same transcript again is no change; a draft seminar's transcript is no one's to see.
    path = write_jsonl(tmp_path, {"id": "seminarium-1", "title": "Nytt", "transcript": said})
    assert run(path, "--update", "--draft")[2] is None
    assert run(write_jsonl(tmp_path, good(2, transcript=said)), "--draft")[2] is None
    path = write_jsonl(tmp_path, {"id": "seminarium-2", "transcript": new})
    assert run(path, "--update", "--draft")[2] is None
    page = SeminarPage.objects.get(slug="seminarium-2")
    assert [s.text for s in page.transcript.segments.all()] == ["Hemligt importord."]


@pytest.mark.django_db
def test_dry_run_checks_everything_and_writes_nothing(example, archive_root):
    (example / "slides" / "tillitsbaserad-styrning.pdf").unlink()
    before = counts()
    out, err, error = run(example / "seminars.jsonl", "--dry-run")
    assert counts() == before
    assert error is not None
    assert "Dry run" in out and "nothing was written" in out
    assert "line 1, key “slides[0]”: attachment not found" in err
    assert str(example.resolve() / "slides" / "tillitsbaserad-styrning.pdf") in err

    out, err, error = run(EXAMPLE_DIR / "seminars.jsonl", "--dry-run")
    assert error is None and counts() == before
    assert "3 seminar(s) would be imported" in out


@pytest.mark.django_db
def test_reimport_with_update_is_idempotent(archive_root):
    assert run(EXAMPLE_DIR / "seminars.jsonl")[2] is None
    first = counts()
    out, err, error = run(EXAMPLE_DIR / "seminars.jsonl", "--update")
    assert error is None, err
    assert "0 created, 0 updated, 3 skipped (unchanged), 0 failed" in out
    assert counts() == first  # no duplicate snippets, documents, segments or revisions


@pytest.mark.django_db
def test_update_replaces_a_changed_transcript_and_reuses_identical_pdfs(example, archive_root):
    assert run(example / "seminars.jsonl")[2] is None
    vtt = example / "transcripts" / "tillitsbaserad-styrning.vtt"
    vtt.write_text(
        vtt.read_text(encoding="utf-8").replace("Välkomna", "Hjärtligt välkomna"), encoding="utf-8"
    )
    before = counts()
    out, err, error = run(example / "seminars.jsonl", "--update")
    assert error is None, err
    assert "1 updated" in out and "2 skipped" in out
    page = SeminarPage.objects.get(slug="a3-tillitsbaserad-styrning-2017")
    assert page.transcript.segments.get(position=0).text.startswith("Hjärtligt välkomna")
    assert counts()["documents"] == before["documents"]
    assert counts()["segments"] == before["segments"]


# --------------------------------------------------------------------------- search, exit codes


@pytest.mark.django_db
def test_one_search_signal_for_the_whole_run(archive_root):
    calls = []

    def receiver(sender, page_ids, **kwargs):
        calls.append(set(page_ids))

    seminars_changed.connect(receiver)
    try:
        assert run(EXAMPLE_DIR / "seminars.jsonl")[2] is None
    finally:
        seminars_changed.disconnect(receiver)
    assert calls == [set(SeminarPage.objects.values_list("pk", flat=True))]
    assert len(calls[0]) == 3


@pytest.fixture
def keep_connections(monkeypatch):
    """``run_from_argv`` closes database connections when it ends, which a test must not."""
    from django.core.management import base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)


@pytest.mark.django_db
def test_exit_codes(archive_root, tmp_path, keep_connections, capsys):
    ok = write_jsonl(tmp_path, good(1), name="ok.jsonl")
    Command().run_from_argv(["manage.py", "import_seminars", str(ok)])  # returns: exit code 0
    bad = write_jsonl(tmp_path, good(2), {"title": "Utan datum"}, name="bad.jsonl")
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "import_seminars", str(bad)])
    assert exit_info.value.code == 1
    assert "1 seminar(s) failed" in capsys.readouterr().err
    assert SeminarPage.objects.filter(slug="seminarium-2").exists()


# --------------------------------------------------------------------------- Wagtail's page state


def comparable(content):
    """Revision content as plain JSON data; the body's blocks without their ids and key order
    (PostgreSQL's jsonb reorders keys; block ids are not what the importer's shortcut touches)."""
    from django.core.serializers.json import DjangoJSONEncoder

    data = json.loads(json.dumps(content, cls=DjangoJSONEncoder))
    data["body"] = [
        {k: v for k, v in block.items() if k != "id"}
        for block in json.loads(data.get("body") or "[]")
    ]
    return data


@pytest.mark.django_db
def test_imported_pages_are_in_the_state_wagtail_publishing_leaves(archive_root, admin_client):
    """The importer creates pages without Wagtail's publish action; the result must be the same:
    live with its revision as both latest and live, history "created" then "published", the
    revision holding the page's content, the admin search finding it, and editable."""
    from modelsearch.backends import get_search_backend
    from wagtail.models import PageLogEntry

    assert run(EXAMPLE_DIR / "seminars.jsonl")[2] is None
    for page in SeminarPage.objects.all():
        assert page.live and not page.has_unpublished_changes and not page.expired
        assert page.first_published_at and page.last_published_at
        assert page.latest_revision_id == page.live_revision_id is not None
        assert page.latest_revision_created_at == page.latest_revision.created_at
        assert page.draft_title == page.title
        actions = list(
            PageLogEntry.objects.filter(page=page)
            .order_by("timestamp", "pk")
            .values_list("action", flat=True)
        )
        assert actions == ["wagtail.create", "wagtail.publish"]
        revised = page.get_latest_revision_as_object()
        assert revised.title == page.title and revised.start == page.start
        assert [s.speaker_id for s in revised.seminar_speakers.all()] == [
            s.speaker_id for s in page.seminar_speakers.all()
        ]
        assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
        # The revision and the reference index were built from the objects in memory: they
        # must hold what Wagtail builds from the stored rows.
        stored = SeminarPage.objects.get(pk=page.pk)
        assert comparable(page.latest_revision.content) == comparable(
            {
                **stored.serializable_data(),
                **{
                    k: page.latest_revision.content[k]
                    for k in ("latest_revision", "latest_revision_created_at", "live_revision")
                },
            }
        )
        references = set(
            ReferenceIndex.get_references_for_object(stored).values_list(
                "to_content_type", "to_object_id", "model_path"
            )
        )
        assert references or not (stored.series_id or stored.seminar_speakers.exists())
        ReferenceIndex.create_or_update_for_object(stored)
        assert references == set(
            ReferenceIndex.get_references_for_object(stored).values_list(
                "to_content_type", "to_object_id", "model_path"
            )
        )

    page = SeminarPage.objects.order_by("pk").first()
    word = page.title.split()[0]
    found = SeminarPage.objects.live().search(word)  # Wagtail's own (admin) search backend
    assert page.pk in {p.pk for p in found}
    speaker = page.seminar_speakers.first().speaker
    backend = get_search_backend()
    assert speaker.pk in {s.pk for s in backend.search(speaker.name.split()[-1], Speaker)}


@pytest.mark.django_db
def test_draft_import_has_a_revision_but_no_live_one(archive_root, tmp_path):
    from wagtail.models import PageLogEntry

    path = write_jsonl(tmp_path, good(1))
    assert run(path, "--draft")[2] is None
    page = SeminarPage.objects.get(slug="seminarium-1")
    assert page.latest_revision_id and page.live_revision_id is None
    assert page.first_published_at is None
    assert list(PageLogEntry.objects.filter(page=page).values_list("action", flat=True)) == [
        "wagtail.create"
    ]
    assert not SeminarPage.objects.live().filter(pk=page.pk).exists()


@pytest.mark.django_db
def test_publishing_an_imported_page_again_from_its_revision_works(archive_root):
    """What an editor does next: change the imported page and publish through Wagtail."""
    assert run(EXAMPLE_DIR / "seminars.jsonl")[2] is None
    page = SeminarPage.objects.order_by("pk").first()
    draft = page.get_latest_revision_as_object()
    draft.title = "Ny titel"
    draft.save_revision().publish()
    page.refresh_from_db()
    assert page.title == "Ny titel" and page.live and page.revisions.count() == 2


@pytest.mark.django_db
def test_a_rerun_indexes_seminars_an_earlier_killed_run_left_out(archive_root, tmp_path):
    """An import indexes what it wrote at its end; one killed before it left its seminars
    published but unsearchable, and running it again (with or without --update) skipped them as
    existing or unchanged, so they stayed out of search until `search_index update`."""
    from search.engines.base import SearchQuery
    from search.engines.database import DatabaseEngine

    path = write_jsonl(tmp_path, good(1), good(2), good(3))
    assert run(path)[2] is None
    engine = DatabaseEngine()
    lost = list(SeminarPage.objects.filter(slug__in=["seminarium-1", "seminarium-2"]))
    engine.remove_many([p.pk for p in lost])  # as a SIGKILL before the index step leaves them
    assert engine.search(SearchQuery(q="seminarium")).total == 1

    out, _err, error = run(path, "--update")  # every record unchanged
    assert error is None
    assert "2 of them had been published before but were missing" in out
    assert engine.search(SearchQuery(q="seminarium")).total == 3

    engine.remove_many([lost[0].pk])
    out, _err, error = run(path)  # without --update: each record fails as existing
    assert error is not None and "1 of them had been published before" in out
    assert engine.search(SearchQuery(q="seminarium")).total == 3


@pytest.mark.django_db
def test_only_seminars_an_earlier_run_left_unindexed_are_reported_as_healed(archive_root, tmp_path):
    """Every seminar a run creates is unindexed until the run's end, and each was reported as
    "published before but missing from the search index (an earlier run stopped …)": a normal
    first import said a previous one had crashed."""
    from search.engines.base import SearchQuery
    from search.engines.database import DatabaseEngine

    out, _err, error = run(write_jsonl(tmp_path, good(1), good(2), good(3)))
    assert error is None
    assert "Search index updated for 3 seminar(s)" in out
    assert "published before" not in out

    engine = DatabaseEngine()
    lost = SeminarPage.objects.get(slug="seminarium-2")
    engine.remove_many([lost.pk])  # as a run killed before its index step leaves it
    path = write_jsonl(tmp_path, good(1), good(2), good(3), good(4), good(5))
    out, _err, error = run(path, "--update")  # two new, three unchanged
    assert error is None
    assert "2 created" in out
    assert "Search index updated for 3 seminar(s)" in out  # the new ones and the lost one
    assert "1 of them had been published before" in out
    assert engine.search(SearchQuery(q="seminarium")).total == 5


def test_with_a_task_worker_the_import_says_the_index_work_is_queued(archive_root, tmp_path):
    """Under production's task queue the index work waits for ``db_worker``; the import said
    "Search index updated … in 0.0 s" all the same."""
    tasks = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=tasks):
        out, _err, error = run(write_jsonl(tmp_path, good(1), good(2)))
    assert error is None
    assert "2 seminar(s) queued for the task worker (manage.py db_worker)" in out
    assert "Search index updated" not in out
