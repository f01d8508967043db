"""Editor experience in the Wagtail admin: material status per seminar and the two reports."""

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from archive.factories import SeminarPageFactory, SeminarSlideFactory, make_document
from archive.models import Transcript
from tests.archive.open_data import add_transcript, build_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    from wagtail.users.models import UserProfile

    user = get_user_model().objects.create_superuser("redaktor", "r@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"  # assert on the English labels
    profile.save()
    client.force_login(user)
    return client


@pytest.fixture
def seminars(archive_root):
    """Past seminars: one complete, one missing each kind of material; one upcoming."""
    past = timezone.now() - dt.timedelta(days=30)
    archive = build_archive(archive_root)  # "Tillit i styrningen" is complete
    no_slides = SeminarPageFactory(
        parent=archive_root,
        title="Utan bildspel",
        start=past,
        video_url="https://www.youtube.com/watch?v=abc",
    )
    add_transcript(no_slides)
    machine_only = SeminarPageFactory(
        parent=archive_root,
        title="Bara maskintranskript",
        start=past,
        video_url="https://vimeo.com/1",
    )
    add_transcript(machine_only, review_state=Transcript.ReviewState.MACHINE)
    SeminarSlideFactory(page=machine_only, document=make_document(["A"]))
    no_video = SeminarPageFactory(parent=archive_root, title="Utan video", start=past)
    add_transcript(no_video)
    SeminarSlideFactory(page=no_video, document=make_document(["B"]))
    return archive


def titles_in(html, candidates):
    return {t for t in candidates if t in html}


ALL_TITLES = [
    "Tillit i styrningen",
    "Utan bildspel",
    "Bara maskintranskript",
    "Utan video",
    "Kompetensförsörjning i kommunerna",
]


def test_missing_material_report(admin_client, seminars):
    response = admin_client.get("/admin/reports/seminars-missing-material/")
    assert response.status_code == 200
    html = response.content.decode()
    # Complete seminars and upcoming ones are not listed; drafts/private still are (editors'
    # own work), but every listed one really lacks something.
    assert titles_in(html, ALL_TITLES) == {"Utan bildspel", "Bara maskintranskript", "Utan video"}


def test_missing_material_report_exports_csv(admin_client, seminars):
    response = admin_client.get("/admin/reports/seminars-missing-material/?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    # Columns: title, date, video, slides, reviewed transcript (headings follow the language).
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(header) == 5
    by_title = {r[0]: r for r in rows}
    assert set(by_title) == {"Utan bildspel", "Bara maskintranskript", "Utan video"}
    assert by_title["Utan bildspel"][2:] == ["Yes", "0", "Yes"]
    assert by_title["Bara maskintranskript"][2:] == ["Yes", "1", "No"]
    assert by_title["Utan video"][2:] == ["No", "1", "Yes"]


STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def timed_seminars(archive_root):
    """Two past seminars missing everything: a summer one at 13:00 Stockholm time (11:00 UTC)
    and an old one known only by its date."""
    timed = SeminarPageFactory(
        parent=archive_root,
        title="Sommarseminariet",
        start=dt.datetime(2024, 6, 12, 13, 0, tzinfo=STOCKHOLM),
    )
    dated = SeminarPageFactory(
        parent=archive_root,
        title="Bara datum",
        start=dt.datetime(2011, 10, 13, 15, 0, tzinfo=STOCKHOLM),
        time_known=False,
    )
    return timed, dated


def test_missing_material_export_gives_local_time_and_only_the_date_when_time_is_unknown(
    admin_client, timed_seminars
):
    response = admin_client.get("/admin/reports/seminars-missing-material/?export=csv")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    _header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    by_title = {r[0]: r for r in rows}
    assert by_title["Sommarseminariet"][1] == "2024-06-12 13:00"
    assert by_title["Bara datum"][1] == "2011-10-13"
    assert by_title["Bara datum"][2] == "No"


def test_missing_material_xlsx_gives_local_time_and_a_date_when_time_is_unknown(
    admin_client, timed_seminars
):
    from openpyxl import load_workbook

    response = admin_client.get("/admin/reports/seminars-missing-material/?export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    by_title = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_title["Sommarseminariet"][1] == dt.datetime(2024, 6, 12, 13, 0)
    assert by_title["Bara datum"][1] == dt.date(2011, 10, 13)
    assert by_title["Bara datum"][2] is False
    date_cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert "h" not in date_cells["Bara datum"].number_format.lower()


def test_the_csv_export_says_yes_and_no_in_swedish(client, timed_seminars):
    user = get_user_model().objects.create_superuser("svensk", "s@example.org", "pw")
    client.force_login(user)
    with translation.override("sv"):
        response = client.get("/admin/reports/seminars-missing-material/?export=csv")
        content = b"".join(response.streaming_content) if response.streaming else response.content
    _header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert {r[0]: r[2] for r in rows}["Bara datum"] == "Nej"


def test_a_seminar_without_a_known_time_is_listed_with_its_date_only(admin_client, timed_seminars):
    for url in ("/admin/reports/seminars-missing-material/", "/admin/seminar_listing/"):
        html = admin_client.get(url).content.decode()
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
        assert "13 Oct 2011" in text, url
        assert "13 Oct 2011, 15:00" not in text, url
        assert "12 Jun 2024, 13:00" in text, url


def test_reports_in_the_reports_menu(admin_client, seminars):
    html = admin_client.get("/admin/").content.decode()
    assert "/admin/reports/seminars-missing-material/" in html
    assert "/admin/reports/searches-without-results/" in html


def test_seminar_listing_shows_material_status(admin_client, seminars):
    response = admin_client.get("/admin/seminar_listing/")
    assert response.status_code == 200
    html = response.content.decode()
    assert titles_in(html, ALL_TITLES) == set(ALL_TITLES)
    for label in ("Video", "Slides", "Reviewed transcript"):
        assert re.search(rf">\s*{label}\s*<", html), label
    # The seminar's own date, also for upcoming ones (Wagtail's relative dates said "just now").
    upcoming = seminars.upcoming
    local = timezone.localtime(upcoming.start)
    assert f"{local:%Y}, {local:%H:%M}" in html and "just now" not in html.lower()
    # Sorting by the new columns works.
    ordered = admin_client.get("/admin/seminar_listing/?ordering=-slide_count")
    assert ordered.status_code == 200


def test_empty_searches_report_groups_anonymised_queries(admin_client, db):
    from search.models import SearchLog

    today = timezone.localdate()
    for query, results in [
        ("tillitsreformen", 0),
        ("tillitsreformen", 0),
        ("budget", 0),
        ("styrning", 12),
        ("tillitsreformen", 0),
    ]:
        SearchLog.objects.create(query=query, results=results, engine="database")
    html = admin_client.get("/admin/reports/searches-without-results/").content.decode()
    assert "tillitsreformen" in html and "budget" in html
    assert "styrning" not in html
    export = admin_client.get("/admin/reports/searches-without-results/?export=csv")
    content = b"".join(export.streaming_content) if export.streaming else export.content
    _header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert [(r[0], r[1]) for r in rows] == [("tillitsreformen", "3"), ("budget", "1")]
    assert rows[0][2].startswith(str(today))


def test_empty_searches_report_leaves_out_searches_that_only_failed_by_their_filters(
    admin_client, db
):
    """QA D6: "tillit" in 1999 found nothing, "tillit" alone finds plenty: no content gap."""
    from search.models import SearchLog

    SearchLog.objects.create(query="tillit", filters="year=1999", results=0, engine="database")
    SearchLog.objects.create(
        query="tillit", filters="speaker=ingen-alls", results=0, engine="database"
    )
    SearchLog.objects.create(query="tillit", results=14, engine="database")
    SearchLog.objects.create(query="vattenrening", results=0, engine="database")
    SearchLog.objects.create(
        query="vattenrening", filters="year=2020", results=0, engine="database"
    )
    html = admin_client.get("/admin/reports/searches-without-results/").content.decode()
    assert "vattenrening" in html and "tillit" not in html
    export = admin_client.get("/admin/reports/searches-without-results/?export=csv")
    content = b"".join(export.streaming_content) if export.streaming else export.content
    _header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert [(r[0], r[1]) for r in rows] == [("vattenrening", "1")]


def test_empty_searches_report_shows_the_day_last_searched_not_hours_since_midnight(
    admin_client, db
):
    """QA D7a: a search made a minute ago read "18 hours ago" (a date shown as time since)."""
    from search.models import SearchLog

    SearchLog.objects.create(query="vattenrening", results=0, engine="database")
    html = admin_client.get("/admin/reports/searches-without-results/").content.decode()
    today = timezone.localdate()
    assert f"{today.day} {today:%b %Y}" in html
    assert "ago" not in html


def test_empty_searches_export_runs_no_formula_a_visitor_typed(admin_client, db):
    """Anyone can put text in this report by searching; a spreadsheet must show it, not run it
    (adversarial review: =HYPERLINK(...) came out as a live formula)."""
    from search.models import SearchLog

    typed = ['=hyperlink("http://evil.example/","klicka")', "@sum(1+1)", "+1", "-2", "tillit"]
    for query in typed:
        SearchLog.objects.create(query=query, results=0, engine="database")
    export = admin_client.get("/admin/reports/searches-without-results/?export=csv")
    content = b"".join(export.streaming_content) if export.streaming else export.content
    _header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert sorted(r[0] for r in rows) == sorted(
        ["'" + q for q in typed if q != "tillit"] + ["tillit"]
    )
    assert {r[1] for r in rows} == {"1"}  # counts stay numbers


def test_reports_need_an_editor(client, seminars):
    user = get_user_model().objects.create_user("besokare", "b@example.org", "pw")
    client.force_login(user)
    for url in (
        "/admin/reports/seminars-missing-material/",
        "/admin/reports/searches-without-results/",
    ):
        assert client.get(url).status_code in (302, 403)
