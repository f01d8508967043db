"""Old announcement pages -> draft seminars: the parser on both page layouts and HTML, the year
rules, the unsure list, ``manage.py import_announcement`` and the admin view."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from archive.importers.announcement import AnnouncementError, parse_announcement
from archive.models import SeminarPage, Speaker, Venue

TZ = timezone.get_default_timezone()


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); Swedish is the site's default."""
    with translation.override("en"):
        yield


def log_in_editor(client, username="redaktor"):
    """A logged-in superuser whose admin speaks English."""
    user = get_user_model().objects.create_superuser(username, "r@example.se", "lösenord-123")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    return user


# The breakfast-meeting layout: title, a lone name, prose, then headings on their own lines
# whose value is the next block. Written for the tests, not copied from a real page.
BREAKFAST = """Morgonsamtal: Styra med förtroende

Petra Nyström

Hur kan chefer ge medarbetarna mer utrymme utan att tappa överblicken? Välkommen till ett
morgonsamtal om förtroende i offentlig verksamhet.

Många verksamheter rapporterar allt mer, men få hinner använda siffrorna till något.

Samtalet leds av Petra Nyström som är utvecklingschef på Kommunförbundet Norr och skriver
en bok om ledarskap. Hur ser det ut hos er?

Datum och tid

Torsdagen den 7 mars
Kl. 07:45-09:15
Kaffe och smörgås från 07:15

Plats

Hotell Norrsken, Storgatan 12

Anmälan

Anmäl dig senast den 25 februari.
Begränsat antal platser.

Har du frågor?

Kontakta Jonas Ek, jonas.ek@example.se, 070-123 45 67

Varmt välkommen!
"""

# The conference-session layout: "Publicerad", a coded title, labelled lines, repeated sections
# with doubled text (as scraped pages have), and a feedback widget at the end.
SESSION = """Publicerad: 3 oktober 2019

B7. Digitala arkiv i kommunen

Hur bevarar en kommun sina beslut när allt blir digitalt? I detta seminarium berättar två
arkivarier om sina erfarenheter.

Medverkande: Sara Holm, stadsarkivarie i Umeå; Nils Ström, IT-strateg

Presentation: Digitala arkiv i kommunen (PDF, nytt fönster)

Video: Digitala arkiv i kommunen

Lokal: Sal 4, Kulturhuset

– Det viktiga är att börja i tid, säger Sara Holm.

Medverkande

Sara Holm, stadsarkivarie i UmeåSara Holm, stadsarkivarie i Umeå

Lokal

Sal 4, Kulturhuset

Tid

24 september 13.15-14:00

Hjälpte informationen på sidan dig?

Tack för att du hjälper oss!
"""

HTML = """<!doctype html><html><head><title>Gammal sida</title>
<script>var tracking = "Tid 1 januari 10.00-11.00";</script></head><body>
<h1>Öppna data i praktiken</h1>
<p>Ett seminarium om hur myndigheter <strong>publicerar</strong> sina data.</p>
<h2>Tid</h2><p>Tisdagen den 12 november 2019<br>kl. 10.00–11.30</p>
<h2>Plats</h2><p>Konferenscentret Ljus, Sal Gamma</p>
<h2>Medverkande</h2><ul><li>Ali Karimi, analytiker</li><li>Maja Lund, jurist</li></ul>
<p><a href="https://example.se/anmalan/42">Anmäl dig här</a> senast den 5 november.</p>
</body></html>"""


def test_breakfast_layout_fields():
    a = parse_announcement(BREAKFAST, year=2019)
    assert a.title == "Morgonsamtal: Styra med förtroende" and a.code == ""
    assert a.start == dt.datetime(2019, 3, 7, 7, 45, tzinfo=TZ)
    assert a.end == dt.datetime(2019, 3, 7, 9, 15, tzinfo=TZ) and a.time_known
    assert (a.venue, a.venue_address, a.room) == ("Hotell Norrsken", "Storgatan 12", "")
    assert [(s.name, s.role, s.title) for s in a.speakers] == [
        ("Petra Nyström", "moderator", "utvecklingschef på Kommunförbundet Norr")
    ]
    assert a.registration_deadline == dt.datetime(2019, 2, 25, 23, 59, tzinfo=TZ)
    assert a.registration_note == "Begränsat antal platser."
    assert (a.contact_name, a.contact_email, a.contact_phone) == (
        "Jonas Ek",
        "jonas.ek@example.se",
        "070-123 45 67",
    )
    assert a.lead.startswith("Hur kan chefer ge medarbetarna mer utrymme")
    assert any("Många verksamheter rapporterar" in p for p in a.body)
    assert a.format == "breakfast_meeting"
    assert "Kaffe och smörgås från 07:15" in a.leftover


def test_breakfast_unsure_list_names_what_to_check():
    a = parse_announcement(BREAKFAST, year=2019)
    unsure = "\n".join(a.unsure)
    assert "shortened to “utvecklingschef på Kommunförbundet Norr”" in unsure
    assert "Kaffe och smörgås från 07:15" in unsure
    # 7 March 2019 was a Thursday, as the text says: no weekday warning.
    assert "not a torsdag" not in unsure
    wrong_year = parse_announcement(BREAKFAST, year=2018)
    assert any("“Torsdagen den 7 mars” is not a torsdag in 2018" in u for u in wrong_year.unsure)


def test_session_layout_fields():
    a = parse_announcement(SESSION)
    assert (a.code, a.title) == ("B7", "Digitala arkiv i kommunen")
    assert a.published == dt.date(2019, 10, 3)
    assert a.start == dt.datetime(2019, 9, 24, 13, 15, tzinfo=TZ)
    assert a.end == dt.datetime(2019, 9, 24, 14, 0, tzinfo=TZ)
    assert (a.room, a.venue, a.venue_address) == ("Sal 4", "Kulturhuset", "")
    assert [(s.name, s.title, s.role) for s in a.speakers] == [
        ("Sara Holm", "stadsarkivarie i Umeå", "speaker"),
        ("Nils Ström", "IT-strateg", "speaker"),
    ]
    assert a.format == "conference_session"
    assert a.lead.startswith("Hur bevarar en kommun")
    assert any(p.startswith("– Det viktiga är att börja i tid") for p in a.body)
    assert not any("Hjälpte informationen" in p for p in a.body + [a.leftover])
    unsure = a.unsure
    assert any("presentation “Digitala arkiv i kommunen”: upload the PDF" in u for u in unsure)
    assert any("mentions a video" in u for u in unsure)
    assert any("year 2019 was taken from the “Publicerad” date" in u for u in unsure)


def test_html_input_is_read_without_scripts_and_keeps_the_registration_link():
    a = parse_announcement(HTML)
    assert a.title == "Öppna data i praktiken"
    assert a.lead == "Ett seminarium om hur myndigheter publicerar sina data."
    assert a.start == dt.datetime(2019, 11, 12, 10, 0, tzinfo=TZ)
    assert a.end == dt.datetime(2019, 11, 12, 11, 30, tzinfo=TZ)
    assert (a.venue, a.room) == ("Konferenscentret Ljus", "Sal Gamma")
    assert [(s.name, s.title) for s in a.speakers] == [
        ("Ali Karimi", "analytiker"),
        ("Maja Lund", "jurist"),
    ]
    assert a.registration_url == "https://example.se/anmalan/42"
    assert a.registration_deadline == dt.datetime(2019, 11, 5, 23, 59, tzinfo=TZ)
    assert "tracking" not in a.lead + " ".join(a.body) + a.leftover


def test_year_rules():
    # --year wins over "Publicerad"; the text's own year wins over both.
    assert parse_announcement(SESSION, year=2018).start.year == 2018
    assert parse_announcement(HTML, year=2001).start.year == 2019
    with pytest.raises(AnnouncementError, match=r"“Torsdagen den 7 mars” without a year.*--year"):
        parse_announcement(BREAKFAST)
    # A deadline later in the calendar than the seminar belongs to the year before.
    a = parse_announcement(
        "Nyårsseminarium\n\nTid\n\n10 januari 10.00-11.00\n\n"
        "Anmälan\n\nAnmäl dig senast den 20 december.",
        year=2020,
    )
    assert a.registration_deadline.date() == dt.date(2019, 12, 20)
    assert not any("deadline" in note for note in a.unsure)


@pytest.mark.parametrize(
    "deadline",
    ["Anmäl dig senast den 30 maj.", "Anmäl dig senast den 30 maj 2018."],
)
def test_a_deadline_after_the_seminar_is_flagged_not_moved_a_year(deadline):
    """A deadline of 30 May for a seminar on 16 May was quietly set to 30 May the year
    before (robustness review); with a year it was quietly set to the start."""
    with translation.override("en"):
        a = parse_announcement(
            f"Vårseminarium\n\nTid\n\n16 maj 10.00-11.00\n\nAnmälan\n\n{deadline}",
            year=2018,
        )
    assert a.registration_deadline == a.start == dt.datetime(2018, 5, 16, 10, 0, tzinfo=TZ)
    assert any("comes after the seminar: check it" in note for note in a.unsure), a.unsure


@pytest.mark.parametrize(
    "written, address",
    [
        ("jonas.ek(at)example.se", "jonas.ek@example.se"),
        ("jonas.ek [at] example [dot] se", "jonas.ek@example.se"),
        ("jonas.ek (snabel-a) example (punkt) se", "jonas.ek@example.se"),
        ("jonas.ek(at)example", None),
    ],
)
def test_an_address_written_against_spam_robots_is_read_or_flagged(written, address):
    """ "julia(at)…" was dropped without a word (robustness review)."""
    text = BREAKFAST.replace("jonas.ek@example.se", written)
    with translation.override("en"):
        a = parse_announcement(text, year=2019)
    assert a.contact_name == "Jonas Ek" and a.contact_phone == "070-123 45 67"
    if address:
        assert a.contact_email == address
        assert f"was read as {address}: check it." in " ".join(a.unsure)
    else:
        assert a.contact_email == ""
        assert "could not be read: add the contact's address by hand" in " ".join(a.unsure)


def test_missing_date_and_unclear_speaker_are_listed_as_unsure():
    a = parse_announcement(
        "Ett seminarium\n\nMedverkande: styrelsen för föreningen\n\nVi pratar om framtiden."
    )
    assert a.start is None
    assert any("No date found" in u for u in a.unsure)
    assert any("Could not tell the name" in u for u in a.unsure)
    assert "styrelsen för föreningen" in a.leftover


# --------------------------------------------------------------------------- writing


@pytest.mark.django_db
def test_command_creates_drafts_and_prints_what_it_recognised(archive_root, tmp_path):
    (tmp_path / "frukost.txt").write_text(BREAKFAST, encoding="utf-8")
    (tmp_path / "b7.html").write_text(HTML, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_announcement",
        str(tmp_path / "frukost.txt"),
        str(tmp_path / "b7.html"),
        "--year",
        "2019",
        stdout=out,
    )
    text = out.getvalue()
    assert "2 draft(s) created, 0 failed" in text
    assert "venue: Hotell Norrsken" in text and "Unsure, check in the draft:" in text
    page = SeminarPage.objects.get(title="Morgonsamtal: Styra med förtroende")
    assert not page.live and page.get_parent().pk == archive_root.pk
    assert page.venue.street_address == "Storgatan 12"
    assert page.seminar_speakers.get().role == "moderator"
    assert page.contact_email == "jonas.ek@example.se"
    assert page.editor_notes.startswith("Check after import")
    assert "Check after import" not in "".join(b.value.source for b in page.body)
    assert "Kaffe och smörgås" in page.body[-1].value.source
    assert page.revisions.count() == 1


@pytest.mark.django_db
def test_command_reads_utf16_and_says_what_to_do_with_latin1(archive_root, tmp_path):
    (tmp_path / "utf16.txt").write_bytes(BREAKFAST.encode("utf-16"))  # with its BOM
    (tmp_path / "latin1.txt").write_bytes(BREAKFAST.encode("latin-1"))
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="latin1.txt"):
        call_command(
            "import_announcement",
            str(tmp_path / "utf16.txt"),
            str(tmp_path / "latin1.txt"),
            "--year",
            "2019",
            stdout=out,
            stderr=err,
        )
    assert "1 draft(s) created, 1 failed" in out.getvalue()
    assert "save it as UTF-8" in err.getvalue() and "codec" not in err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("declaration", "encoding"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', "cp1252"),
        ("<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=windows-1252'>", "cp1252"),
        ('<meta charset="ISO-8859-15">', "iso8859-15"),
    ],
)
def test_command_reads_an_html_page_in_the_charset_it_declares(
    archive_root, tmp_path, declaration, encoding
):
    """Old pages saved as they were served: the command refused them ("neither UTF-8 nor
    UTF-16"), although the page said which character set it is in. A page declared ISO-8859-1
    is read as Windows-1252, as browsers do: its dashes and quotation marks are that."""
    page = HTML.replace("<head>", f"<head>{declaration}").replace(
        "kl. 10.00–11.30", "kl. 10.00–11.30 ”fika” ingår"
    )
    if encoding == "iso8859-15":
        page = page.replace("–", "-").replace("”", '"')
    (tmp_path / "gammal.html").write_bytes(page.encode(encoding))
    out = io.StringIO()
    call_command("import_announcement", str(tmp_path / "gammal.html"), stdout=out)
    assert "1 draft(s) created, 0 failed" in out.getvalue()
    draft = SeminarPage.objects.get()
    assert draft.title == "Öppna data i praktiken"
    assert draft.start.astimezone(TZ).replace(tzinfo=None) == dt.datetime(2019, 11, 12, 10, 0)
    assert draft.end.astimezone(TZ).time() == dt.time(11, 30)
    assert sorted(s.speaker.name for s in draft.seminar_speakers.all()) == [
        "Ali Karimi",
        "Maja Lund",
    ]


@pytest.mark.django_db
def test_command_says_what_is_wrong_with_a_file_it_cannot_read(archive_root, tmp_path):
    """It printed "[Errno 2] No such file or directory: ..." and, for a page declaring a
    character set Python does not know, the UTF-8 advice only."""
    (tmp_path / "mac.html").write_bytes(
        b'<html><head><meta charset="x-mac-roman"></head><body><h1>\x85ppna data</h1></body>'
    )
    (tmp_path / "mapp").mkdir()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Could not import"):
        call_command(
            "import_announcement",
            str(tmp_path / "saknas.html"),
            str(tmp_path / "mapp"),
            str(tmp_path / "mac.html"),
            "--year",
            "2019",
            stdout=io.StringIO(),
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    assert lines[0].endswith(
        "saknas.html: file not found (check the name and the folder you run the command from)."
    )
    assert lines[1].endswith("mapp: this is a folder; name the files in it (e.g. folder/*.html).")
    assert "“x-mac-roman”, which is unknown here" in lines[2]
    assert "Errno" not in err.getvalue()
    assert SeminarPage.objects.count() == 0


@pytest.mark.django_db
def test_command_fails_with_a_clear_message_without_year(archive_root, tmp_path):
    (tmp_path / "frukost.txt").write_text(BREAKFAST, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Could not import"):
        call_command(
            "import_announcement", str(tmp_path / "frukost.txt"), stdout=io.StringIO(), stderr=err
        )
    assert "--year YYYY" in err.getvalue()
    assert SeminarPage.objects.count() == 0 and Speaker.objects.count() == 0


@pytest.mark.django_db
def test_same_venue_and_speakers_are_reused_and_slugs_stay_unique(archive_root, tmp_path):
    Venue.objects.create(name="hotell norrsken")
    (tmp_path / "a.txt").write_text(BREAKFAST, encoding="utf-8")
    for extra in ([], ["--allow-duplicate"]):
        call_command(
            "import_announcement",
            str(tmp_path / "a.txt"),
            "--year",
            "2019",
            *extra,
            stdout=io.StringIO(),
        )
    slugs = sorted(SeminarPage.objects.values_list("slug", flat=True))
    assert slugs == ["morgonsamtal-styra-med-fortroende", "morgonsamtal-styra-med-fortroende-2"]
    assert Venue.objects.count() == 1 and Speaker.objects.count() == 1


@pytest.mark.django_db
def test_command_does_not_silently_make_a_second_copy(archive_root, tmp_path):
    """Run twice on the same announcement, the command made a second identical draft without a
    word, while the admin view refuses unless asked."""
    (tmp_path / "b7.txt").write_text(SESSION, encoding="utf-8")
    (tmp_path / "frukost.txt").write_text(BREAKFAST, encoding="utf-8")
    call_command("import_announcement", str(tmp_path / "b7.txt"), stdout=io.StringIO())
    first = SeminarPage.objects.get(code="B7")
    first.save_revision().publish()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_announcement",
            str(tmp_path / "b7.txt"),
            str(tmp_path / "frukost.txt"),
            "--year",
            "2019",
            stdout=out,
            stderr=err,
        )
    # The other file still lands; the refused one names the seminar the archive has.
    assert "1 draft(s) created, 1 already in the archive, 0 failed." in out.getvalue()
    assert SeminarPage.objects.filter(code="B7").count() == 1
    assert SeminarPage.objects.filter(title="Morgonsamtal: Styra med förtroende").count() == 1
    message = err.getvalue()
    assert "b7.txt: the archive already has this seminar" in message
    assert f"“{first.title}” (published, page id {first.pk}, /admin/pages/{first.pk}/edit/)" in (
        message
    )
    assert "Nothing was created" in message and "--allow-duplicate" in message
    assert "b7.txt" in str(refused.value) and "--allow-duplicate" in str(refused.value)
    assert "frukost.txt" not in str(refused.value)
    # A draft is the same seminar too (re-running over a folder after one file failed).
    with pytest.raises(CommandError, match="Already in the archive"):
        call_command(
            "import_announcement",
            str(tmp_path / "frukost.txt"),
            "--year",
            "2019",
            stdout=io.StringIO(),
            stderr=(err := io.StringIO()),
        )
    assert "(draft, page id" in err.getvalue()
    # Asked for, a second draft is made.
    out = io.StringIO()
    call_command("import_announcement", str(tmp_path / "b7.txt"), "--allow-duplicate", stdout=out)
    assert "1 draft(s) created, 0 failed." in out.getvalue()
    assert SeminarPage.objects.filter(code="B7").count() == 2


@pytest.mark.django_db
def test_admin_view_creates_a_draft_and_opens_its_editor(archive_root, client):
    log_in_editor(client)
    url = reverse("import_announcement:index")
    form = client.get(url + f"?parent={archive_root.pk}")
    assert form.status_code == 200 and b"Create draft" in form.content

    response = client.post(
        url,
        {
            "text": SESSION,
            "year": "",
            "parent": archive_root.pk,
            "source_url": "https://example.se/gammal/b7",
        },
    )
    page = SeminarPage.objects.get(code="B7")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.source_url == "https://example.se/gammal/b7"
    editor = client.get(response["Location"])
    assert editor.status_code == 200
    content = editor.content.decode()
    assert "Please check:" in content and "upload the PDF" in content


@pytest.mark.django_db
def test_admin_view_does_not_silently_make_a_second_copy(archive_root, client):
    """Importing the same announcement twice made a second draft ("...-2") without a word,
    even when the seminar was already published."""
    log_in_editor(client)
    url = reverse("import_announcement:index")
    data = {"text": SESSION, "year": "", "parent": archive_root.pk, "source_url": ""}
    assert client.post(url, data).status_code == 302
    first = SeminarPage.objects.get(code="B7")
    first.save_revision().publish()
    again = client.post(url, data)
    html = again.content.decode()
    assert again.status_code == 200
    assert "already has this seminar" in html and "Nothing was created" in html
    assert reverse("wagtailadmin_pages:edit", args=[first.pk]) in html
    assert SeminarPage.objects.filter(code="B7").count() == 1
    # The same old page under another title is the same seminar too.
    other = {**data, "text": SESSION.replace("B7", "B8"), "source_url": "https://example.se/b7"}
    SeminarPage.objects.filter(pk=first.pk).update(source_url="https://example.se/b7")
    assert client.post(url, other).status_code == 200
    # Asked for, a second draft is made.
    assert client.post(url, {**data, "create_anyway": "on"}).status_code == 302
    assert SeminarPage.objects.filter(code="B7").count() == 2


@pytest.mark.django_db
def test_admin_view_asks_for_the_year(archive_root, client):
    log_in_editor(client)
    response = client.post(
        reverse("import_announcement:index"), {"text": BREAKFAST, "parent": archive_root.pk}
    )
    assert response.status_code == 200
    assert "without a year" in response.content.decode()
    assert SeminarPage.objects.count() == 0


@pytest.mark.django_db
def test_admin_view_is_refused_to_users_who_cannot_add_seminars(archive_root, client):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("gast", "g@example.se", "lösenord-123")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.post(
        reverse("import_announcement:index"), {"text": SESSION, "parent": archive_root.pk}
    )
    assert response.status_code in (302, 403)
    assert SeminarPage.objects.count() == 0


@pytest.mark.django_db
def test_admin_menu_and_archive_page_header_link_to_the_import(archive_root, client):
    log_in_editor(client)
    response = client.get(reverse("wagtailadmin_explore", args=[archive_root.pk]))
    assert response.status_code == 200
    assert reverse("import_announcement:index") + f"?parent={archive_root.pk}" in (
        response.content.decode()
    )
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Import announcement" in home  # the admin menu item


def test_unsure_list_goes_to_editor_notes_never_to_visitors(client, archive_root):
    """What the parser was unsure of stays with editors, even if the draft is published as is."""
    from archive.importers.announcement import create_draft, parse_announcement

    text = (
        "Frukostsamtal om arkiv\n\nVi pratar om arkiv och minne.\n\nDatum och tid\n\n"
        "Tisdagen den 5 mars\nKl. 08:00-09:00\n\nVideo\n\nSe inspelningen av samtalet\n"
    )
    announcement = parse_announcement(text, year=2019)
    assert announcement.unsure, "the sample must leave something unsure"
    page = create_draft(announcement, archive_root)
    page.refresh_from_db()
    assert page.editor_notes.startswith("Check after import")
    assert all(item in page.editor_notes for item in announcement.unsure)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Check after import" not in html
    for item in announcement.unsure:
        assert item not in html


def test_a_draft_never_gets_an_address_the_site_itself_answers(archive_root):
    """An announcement titled "Sök" would have become /sok/, the search page."""
    from archive.importers.announcement import _unique_slug

    assert _unique_slug(archive_root, "sok") == "sok-2"
    assert _unique_slug(archive_root, "tillit") == "tillit"


# --------------------------------------------------------------------------- end before start


def test_a_time_range_past_midnight_ends_the_next_day_and_says_so():
    """ "23.00-01.00" made a draft ending at 01:00 on the day it started (QA D13)."""
    a = parse_announcement("Nattseminarium\n\nTid: 31 maj 2030 23.00-01.00")
    assert a.start == dt.datetime(2030, 5, 31, 23, 0, tzinfo=TZ)
    assert a.end == dt.datetime(2030, 6, 1, 1, 0, tzinfo=TZ)
    notes = [u for u in a.unsure if "23.00-01.00" in u]
    assert len(notes) == 1 and "the next day, 1 June 01:00: check it" in notes[0]


def test_an_end_before_the_start_in_the_same_hour_is_dropped_and_says_so():
    """ "14.45-14.00" is a typo: the end is left for the editor to fill in."""
    a = parse_announcement("Eftermiddagsseminarium\n\nTid: 3 juni 2030 14.45-14.00")
    assert a.start == dt.datetime(2030, 6, 3, 14, 45, tzinfo=TZ)
    assert a.end is None and a.time_known
    notes = [u for u in a.unsure if "14.45-14.00" in u]
    assert len(notes) == 1 and "the end time was left out" in notes[0]


def test_an_ordinary_time_range_asks_nothing_about_its_end():
    a = parse_announcement("Dagseminarium\n\nTid: 3 juni 2030 14.00-14.00")
    assert a.start == a.end == dt.datetime(2030, 6, 3, 14, 0, tzinfo=TZ)
    a = parse_announcement("Dagseminarium\n\nTid: 3 juni 2030 10.00–12.30")
    assert a.end == dt.datetime(2030, 6, 3, 12, 30, tzinfo=TZ)
    assert not any("ends before it starts" in u for u in a.unsure)


@pytest.mark.django_db
@pytest.mark.parametrize("times", ["23.00-01.00", "14.45-14.00"])
def test_imported_drafts_always_pass_the_pages_own_validation(archive_root, client, times):
    """Through "Import announcement": the draft is one the editor can save and preview, and
    the check list in its editor notes names the time range."""
    log_in_editor(client)
    response = client.post(
        reverse("import_announcement:index"),
        {
            "text": f"Sent seminarium\n\nTid: 31 maj 2030 {times}",
            "year": "",
            "parent": archive_root.pk,
        },
    )
    assert response.status_code == 302
    page = SeminarPage.objects.get(title="Sent seminarium")
    draft = page.get_latest_revision_as_object()
    draft.full_clean()  # raised "The seminar cannot end before it starts"
    assert draft.end is None or draft.end > draft.start
    assert times in draft.editor_notes
