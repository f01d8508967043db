"""Announcement import, editor review 5 and 11: a clock time in its own paragraph after the
date, and a known series named at the start of the title."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from archive.factories import SeriesFactory
from archive.importers.announcement import parse_announcement
from archive.models import SeminarPage
from tests.archive.test_import_announcement import log_in_editor

TZ = timezone.get_default_timezone()
EXAMPLE = Path("/work/shared/examples/announcement-breakfast-meeting.txt")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


TEXT = """Seminarium om styrning D

Datum och tid

Onsdagen den 16 maj

Kl. 08:00-09:30
Frukost från 07:30

Plats

Kulturhuset

Ett seminarium om styrning."""

HTML = (
    "<html><body><h1>Seminarium om styrning C</h1><p>Datum och tid</p>"
    "<p>Onsdagen den 16 maj</p><p>Kl. 08:00-09:30</p><p>Ett seminarium om styrning.</p>"
    "</body></html>"
)


@pytest.mark.parametrize("text", [TEXT, HTML], ids=["text", "html"])
def test_a_clock_time_in_the_paragraph_after_the_date_is_the_seminars_time(text):
    a = parse_announcement(text, year=2018)
    assert a.start == dt.datetime(2018, 5, 16, 8, 0, tzinfo=TZ)
    assert a.end == dt.datetime(2018, 5, 16, 9, 30, tzinfo=TZ) and a.time_known
    assert not any("No clock time" in item for item in a.unsure)
    assert a.lead == "Ett seminarium om styrning."  # not "Kl. 08:00-09:30"


def test_the_rest_of_the_time_paragraph_is_kept_and_listed():
    a = parse_announcement(TEXT, year=2018)
    assert "Frukost från 07:30" in a.leftover
    assert a.venue == "Kulturhuset"


def test_a_time_two_paragraphs_after_the_date_is_not_taken():
    """Only the paragraph right after the date: a time further on is something else."""
    text = "Titel\n\nDatum\n\nOnsdagen den 16 maj\n\nFrukost serveras.\n\n10.00 startar mingel."
    a = parse_announcement(text, year=2018)
    assert a.start == dt.datetime(2018, 5, 16, 0, 0, tzinfo=TZ) and not a.time_known


@pytest.mark.django_db
def test_the_breakfast_example_lands_in_its_series_without_the_prefix(archive_root, tmp_path):
    SeriesFactory(name="Chefsfrukost")
    out = io.StringIO()
    call_command("import_announcement", str(EXAMPLE), "--year", "2018", stdout=out)
    page = SeminarPage.objects.get()
    assert page.title == "Leda med tillit"
    assert page.series.name == "Chefsfrukost"
    assert page.slug == "leda-med-tillit"
    assert "the series “Chefsfrukost”" in page.editor_notes
    assert "series: Chefsfrukost" in out.getvalue()


@pytest.mark.django_db
def test_a_title_without_a_known_series_is_kept_as_written(archive_root, tmp_path):
    SeriesFactory(name="Chefsfrukosten i norr")
    SeriesFactory(name="Chef")  # a series name that is only the start of a word
    call_command("import_announcement", str(EXAMPLE), "--year", "2018", stdout=io.StringIO())
    page = SeminarPage.objects.get()
    assert page.title == "Chefsfrukost: Leda med tillit" and page.series is None


@pytest.mark.django_db
def test_the_admin_import_lists_the_series_to_check_and_finds_it_again(archive_root, client):
    SeriesFactory(name="Chefsfrukost")
    log_in_editor(client)
    data = {"text": EXAMPLE.read_text(), "year": "2018", "parent": archive_root.pk}
    response = client.post(reverse("import_announcement:index"), data, follow=True)
    page = SeminarPage.objects.get()
    assert (page.title, page.series.name) == ("Leda med tillit", "Chefsfrukost")
    assert "the series “Chefsfrukost”" in response.content.decode()  # under "Please check:"
    # Imported again, it is the same seminar (by its title without the prefix).
    again = client.post(reverse("import_announcement:index"), data)
    assert again.status_code == 200 and "already has this seminar" in again.content.decode()
    assert SeminarPage.objects.count() == 1
