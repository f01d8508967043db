"""Import announcement: a labelled registration deadline, a link on an "Anmälan:" line and a room
at the end of a "Plats:" line (admin review, defect 4). Each was put in the wrong field (the
deadline became the public lead paragraph) with nothing on the editor's "Please check" list."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from archive.importers.announcement import create_draft, parse_announcement
from archive.models import SeminarPage, Venue

TZ = timezone.get_default_timezone()

# As the reviewer pasted it into the admin.
REVIEWED = """Frukostseminarium: Tillit i kommunen
Datum: 14 mars 2027, kl. 08.00–09.30
Plats: Stadshuset, Storgatan 1, Umeå. Lokal: Sal B
Talare: Anna Andersson, forskare vid Umeå universitet
Moderator: Bertil Berg
Sista anmälningsdag: 10 mars 2027
Anmälan: https://example.org/anmal
Kontakt: Karin Kontakt, karin@example.org, 090-12 34 56
"""

HEAD = "Frukostseminarium: Tillit\nDatum: 14 mars 2027, kl. 08.00–09.30\n"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); Swedish is the site's default."""
    with translation.override("en"):
        yield


def test_the_reviewed_announcement_fills_every_field_and_leaves_no_lead():
    a = parse_announcement(REVIEWED)
    assert a.registration_deadline == dt.datetime(2027, 3, 10, 23, 59, tzinfo=TZ)
    assert a.registration_url == "https://example.org/anmal"
    assert a.registration_note == ""
    assert (a.venue, a.venue_address, a.venue_city, a.room) == (
        "Stadshuset",
        "Storgatan 1",
        "Umeå",
        "Sal B",
    )
    assert a.lead == "" and a.body == [] and a.leftover == ""
    assert a.unsure == []
    # The rest is read as before.
    assert a.start == dt.datetime(2027, 3, 14, 8, 0, tzinfo=TZ)
    assert [(s.name, s.role) for s in a.speakers] == [
        ("Anna Andersson", "speaker"),
        ("Bertil Berg", "moderator"),
    ]
    assert (a.contact_name, a.contact_email) == ("Karin Kontakt", "karin@example.org")


@pytest.mark.parametrize(
    "line",
    [
        "Sista anmälningsdag: 10 mars 2027",
        "Sista anmälningsdag: 10 mars",
        "Sista anmälningsdagen är den 10:e mars.",
        "Sista dag för anmälan: 10 mars",
        "Sista dag för anmälan är onsdag 10 mars.",
        "Anmäl dig senast 10 mars",
        "Anmälan senast 10 mars",
        "Anmälan senast: 10 mars 2027",
        "Registration deadline: 10 March 2027",
        "Registration deadline: March 10, 2027",
        "Register by 10 March",
        "Sista anmälningsdag: 2027-03-10",
    ],
)
def test_a_labelled_deadline_is_the_registration_deadline_not_the_lead(line):
    a = parse_announcement(f"{HEAD}{line}\n\nVi pratar om tillit.", year=2027)
    assert a.registration_deadline == dt.datetime(2027, 3, 10, 23, 59, tzinfo=TZ), line
    assert a.lead == "Vi pratar om tillit."
    assert a.unsure == [] and a.registration_note == ""


def test_a_deadline_heading_and_a_deadline_under_the_registration_heading():
    a = parse_announcement(f"{HEAD}\nSista anmälningsdag\n\n10 mars\n", year=2027)
    assert a.registration_deadline == dt.datetime(2027, 3, 10, 23, 59, tzinfo=TZ)
    a = parse_announcement(
        f"{HEAD}\nAnmälan\n\nSista anmälningsdag: 10 mars\nhttps://example.org/anmal\n",
        year=2027,
    )
    assert a.registration_deadline == dt.datetime(2027, 3, 10, 23, 59, tzinfo=TZ)
    assert a.registration_url == "https://example.org/anmal" and a.registration_note == ""


def test_a_labelled_deadline_follows_the_year_rules():
    # Without a year, a day later in the calendar than a January seminar is the year before.
    a = parse_announcement(
        "Nyårsseminarium\nDatum: 10 januari, kl. 10.00-11.00\nSista anmälningsdag: 20 december",
        year=2020,
    )
    assert a.registration_deadline == dt.datetime(2019, 12, 20, 23, 59, tzinfo=TZ)
    # A deadline after the seminar is flagged, and registration stays open until the start.
    a = parse_announcement(f"{HEAD}Sista anmälningsdag: 20 april")
    assert a.registration_deadline == a.start
    assert any("“20 april” comes after the seminar: check it" in u for u in a.unsure)
    # Not a real date: listed, not guessed.
    a = parse_announcement(f"{HEAD}Sista anmälningsdag: 31 februari")
    assert a.registration_deadline is None
    assert any("“31 februari” is not a real date" in u for u in a.unsure)


def test_a_deadline_with_a_time_and_a_note():
    a = parse_announcement(
        f"{HEAD}Sista anmälningsdag: 10 mars kl. 12.00. Begränsat antal platser.", year=2027
    )
    assert a.registration_deadline == dt.datetime(2027, 3, 10, 12, 0, tzinfo=TZ)
    assert a.registration_note == "Begränsat antal platser."


@pytest.mark.parametrize(
    "line", ["Sista anmälningsdag: snarast", "Anmälan senast", "Registration deadline: TBA"]
)
def test_an_unreadable_deadline_line_is_listed_never_the_lead(line):
    a = parse_announcement(f"{HEAD}{line}\n\nVi pratar om tillit.", year=2027)
    assert a.registration_deadline is None
    assert a.lead == "Vi pratar om tillit." and line not in " ".join(a.body)
    assert a.registration_note == line
    notes = [u for u in a.unsure if line in u]
    assert len(notes) == 1 and "could not be read: fill it in" in notes[0]


def test_a_second_different_deadline_is_listed():
    a = parse_announcement(
        f"{HEAD}Sista anmälningsdag: 10 mars\nAnmäl dig senast 12 mars", year=2027
    )
    assert a.registration_deadline == dt.datetime(2027, 3, 10, 23, 59, tzinfo=TZ)
    assert any("two registration deadlines: “10 mars” was kept" in u for u in a.unsure)


@pytest.mark.parametrize(
    "line, url, note",
    [
        ("Anmälan: https://example.org/anmal", "https://example.org/anmal", ""),
        (
            "Anmälan: Anmäl dig här: https://example.org/anmal. Begränsat antal platser.",
            "https://example.org/anmal",
            "Begränsat antal platser.",
        ),
        ("Anmälan: senast 10 mars på https://example.org/a", "https://example.org/a", ""),
        ("Anmälan senast 10 mars via https://example.org/a", "https://example.org/a", ""),
    ],
)
def test_a_link_on_the_registration_line_is_the_registration_url(line, url, note):
    a = parse_announcement(f"{HEAD}{line}", year=2027)
    assert a.registration_url == url
    assert a.registration_note == note
    assert a.unsure == []


def test_a_link_without_scheme_is_read_and_listed():
    a = parse_announcement(f"{HEAD}Anmälan: www.example.org/anmal", year=2027)
    assert a.registration_url == "https://www.example.org/anmal"
    assert any("was read as https://www.example.org/anmal: check it" in u for u in a.unsure)


@pytest.mark.parametrize("url", ["https://exa", "https://" + "x" * 200 + ".se"])
def test_a_link_that_cannot_be_used_stays_in_the_note_and_is_listed(url):
    a = parse_announcement(f"{HEAD}Anmälan: {url}", year=2027)
    assert a.registration_url == ""
    assert url in a.registration_note
    assert any("cannot be used" in u and "kept in the registration note" in u for u in a.unsure)


def test_a_second_registration_link_is_listed():
    a = parse_announcement(
        f"{HEAD}Anmälan: https://example.org/a\nAnmälan: https://example.org/b", year=2027
    )
    assert a.registration_url == "https://example.org/a"
    assert a.registration_note == "https://example.org/b"
    assert any("second registration link, “https://example.org/b”" in u for u in a.unsure)


@pytest.mark.parametrize(
    "line, venue, address, city, room",
    [
        (
            "Plats: Stadshuset, Storgatan 1, Umeå. Lokal: Sal B",
            "Stadshuset",
            "Storgatan 1",
            "Umeå",
            "Sal B",
        ),
        (
            "Plats: Stadshuset, Storgatan 1, 903 26 Umeå, Rum: 203",
            "Stadshuset",
            "Storgatan 1, 903 26",
            "Umeå",
            "203",
        ),
        (
            "Plats: Stadshuset, Storgatan 1, Umeå – Lokal: Hörsalen",
            "Stadshuset",
            "Storgatan 1",
            "Umeå",
            "Hörsalen",
        ),
        (
            "Plats: Stadshuset, Storgatan 1, Umeå. Sal B",
            "Stadshuset",
            "Storgatan 1",
            "Umeå",
            "Sal B",
        ),
    ],
)
def test_a_room_at_the_end_of_the_place_line_is_the_room(line, venue, address, city, room):
    a = parse_announcement(f"{HEAD}{line}", year=2027)
    assert (a.venue, a.venue_address, a.venue_city, a.room) == (venue, address, city, room)
    assert a.unsure == [] and a.leftover == ""


def test_a_town_without_street_address_is_taken_as_the_city_and_listed():
    a = parse_announcement(f"{HEAD}Plats: Stadshuset, Umeå. Rum: 203", year=2027)
    assert (a.venue, a.venue_city, a.room) == ("Stadshuset", "Umeå", "203")
    assert any("“Umeå” in the place" in u and "taken as the city" in u for u in a.unsure)


def test_a_room_line_is_the_room():
    a = parse_announcement(f"{HEAD}Plats: Stadshuset\nRum: 203", year=2027)
    assert (a.venue, a.room, a.lead) == ("Stadshuset", "203", "")


@pytest.mark.django_db
def test_the_draft_gets_the_link_deadline_room_and_the_venues_city(archive_root):
    page = create_draft(parse_announcement(REVIEWED), archive_root)
    page.refresh_from_db()
    assert page.registration_url == "https://example.org/anmal"
    assert page.registration_deadline == dt.datetime(2027, 3, 10, 23, 59, tzinfo=TZ)
    assert page.room == "Sal B" and page.lead == ""
    assert (page.venue.name, page.venue.street_address, page.venue.city) == (
        "Stadshuset",
        "Storgatan 1",
        "Umeå",
    )
    # A venue the archive has without a city gets it; one with a city keeps its own.
    other = REVIEWED.replace("Tillit i kommunen", "Tillit igen").replace("14 mars", "15 mars")
    Venue.objects.filter(pk=page.venue.pk).update(city="")
    again = create_draft(parse_announcement(other), archive_root)
    assert again.venue.pk == page.venue.pk
    assert Venue.objects.get(pk=page.venue.pk).city == "Umeå"


@pytest.mark.django_db
def test_the_admin_import_lists_an_unreadable_deadline_under_please_check(archive_root, client):
    user = get_user_model().objects.create_superuser("redaktor", "r@example.se", "lösenord-123")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(user)
    text = REVIEWED.replace("Sista anmälningsdag: 10 mars 2027", "Sista anmälningsdag: snarast")
    response = client.post(
        reverse("import_announcement:index"), {"text": text, "parent": archive_root.pk}
    )
    assert response.status_code == 302
    page = SeminarPage.objects.get(title="Frukostseminarium: Tillit i kommunen")
    assert page.lead == "" and page.registration_deadline is None
    assert page.registration_url == "https://example.org/anmal"
    assert page.registration_note == "Sista anmälningsdag: snarast"
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "warning" and "Please check:" in str(message)
    assert "“Sista anmälningsdag: snarast” could not be read: fill it in" in str(message)
    assert "Sista anmälningsdag: snarast" in page.editor_notes
