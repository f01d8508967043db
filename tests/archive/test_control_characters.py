"""Control characters in what editors type: dropped when saved, and never a broken feed.

Text pasted from Word carries a vertical tab (U+000B) for each manual line break. Saved as it
was, one in a seminar's title made every RSS, Atom and podcast feed listing the seminar answer
500 (XML 1.0 has no such character) and went raw into the calendar and the JSON-LD. A bidi
override (U+202E) left open at the end of a title reversed what followed it in the <title>,
feed readers and calendar apps.
"""

import feedparser
import icalendar
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from taggit.models import Tag
from wagtailmedia.models import Media

from archive.factories import SeminarPageFactory, SeriesFactory, SpeakerFactory, VenueFactory
from archive.models import SeminarPage, SeminarSpeaker, Series, Speaker, Venue
from tests.archive.foundation import admin_form_data, edit_url, in_days

pytestmark = pytest.mark.django_db

VT, NEL, RLO, LRI, BEL = "\x0b", "\x85", "\u202e", "\u2066", "\x07"


def assert_clean(text: str, *, single_line: bool = True) -> None:
    assert not any(c in text for c in (VT, NEL, BEL, "\x01", "\x9f")), repr(text)
    if single_line:
        assert RLO not in text and LRI not in text, repr(text)


def test_the_admin_drops_control_characters_from_a_seminar(admin_client, archive_root):
    page = SeminarPageFactory(parent=archive_root, title="Gammal titel", slug="styrning")
    page.save_revision().publish()
    url = edit_url(page)
    data = admin_form_data(admin_client, url)
    data.update(
        {
            "title": f"New {VT}Public Management{RLO}",
            "lead": f"Rad ett{VT}rad två{NEL} och {RLO}ett citat",
            "room": f"Sal{BEL} 3{LRI}",
            "topics": f"tillit{VT}, styr\x01ning{RLO}",
            "action-publish": "action-publish",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    page = SeminarPage.objects.get(pk=page.pk)
    assert page.title == page.draft_title == "New Public Management"
    assert page.room == "Sal 3"
    # A lead has several lines and may quote right-to-left text: only its controls go.
    assert page.lead == f"Rad ettrad två och {RLO}ett citat"
    assert sorted(tag.name for tag in page.topics.all()) == ["styrning", "tillit"]
    revision = page.get_latest_revision().content
    assert revision["title"] == "New Public Management"
    assert_clean(revision["lead"], single_line=False)
    # The feed that listed it answered 500.
    response = admin_client.get(reverse("feeds:rss"))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["New Public Management"]


def test_snippets_and_a_seminars_rows_drop_control_characters_when_saved(archive_root):
    speaker = Speaker(
        name=f"Åsa{BEL} Öberg{RLO}",
        title=f"docent{VT}",
        affiliation=f"Statskontoret{LRI}",
        bio=f"Forskar om{VT} styrning.{NEL}",
        family_name=f"Öberg{RLO}",
    )
    speaker.full_clean()  # as the snippet's admin form does, before its checks
    speaker.save()
    speaker.refresh_from_db()
    assert (speaker.name, speaker.title, speaker.affiliation) == (
        "Åsa Öberg",
        "docent",
        "Statskontoret",
    )
    assert (speaker.bio, speaker.family_name) == ("Forskar om styrning.", "Öberg")
    assert Speaker.find_by_name("åsa öberg") == speaker

    series = Series.objects.create(name=f"Förvaltnings{VT}dagarna", organiser=f"Org{RLO}")
    series.description = f"Varje år.{VT}"
    series.save()
    venue = Venue.objects.create(
        name="Kulturhuset\x01", street_address=f"Gatan 1{RLO}", city="Umeå"
    )
    series.refresh_from_db()
    venue.refresh_from_db()
    assert (series.name, series.organiser, series.description) == (
        "Förvaltningsdagarna",
        "Org",
        "Varje år.",
    )
    assert (venue.name, venue.street_address) == ("Kulturhuset", "Gatan 1")

    page = SeminarPageFactory(parent=archive_root, title=f"Tillit{RLO}", lead=f"Ett{VT} två")
    link = SeminarSpeaker.objects.create(
        page=page, speaker=speaker, role="speaker", title=f"moderator{BEL}"
    )
    page.topics.add(f"Styr{VT}ning{RLO}")
    page.save_revision().publish()
    page = SeminarPage.objects.get(pk=page.pk)
    link.refresh_from_db()
    assert (page.title, page.lead, link.title) == ("Tillit", "Ett två", "moderator")
    assert [tag.name for tag in page.topics.all()] == ["Styrning"]


def test_a_record_stored_with_control_characters_still_gives_valid_feeds(client, archive_root):
    """Rows written around ``save`` (an SQL UPDATE, data from before the cleaning): every feed
    and calendar still answers, with the characters left out."""
    series = SeriesFactory(name="Förvaltningsdagarna")
    speaker = SpeakerFactory(name="Åsa Öberg")
    video = Media(title="Inspelning", type="video", duration=60)
    video.file.save("inspelning.webm", ContentFile(b"webm"), save=False)
    video.save()
    page = SeminarPageFactory(
        parent=archive_root,
        title="Styrning",
        slug="styrning",
        series=series,
        venue=VenueFactory(),
        video_file=video,
        start=in_days(10),
        end=in_days(10, hour=15),
    )
    SeminarSpeaker.objects.create(page=page, speaker=speaker, role="speaker")
    page.topics.add("Tillit")
    page.save_revision().publish()

    SeminarPage.objects.filter(pk=page.pk).update(
        title=f"New {VT}Public Management{RLO}", lead=f"Rad{VT} ett\x01{NEL}", room=f"Sal{BEL}"
    )
    Series.objects.filter(pk=series.pk).update(
        name=f"Förvaltnings{VT}dagarna", description=f"Varje{BEL} år", organiser=f"Org{VT}"
    )
    Speaker.objects.filter(pk=speaker.pk).update(name=f"Åsa{VT} Öberg{RLO}", bio=f"Bio{VT}")
    Tag.objects.filter(name="Tillit").update(name=f"Till{VT}it")
    Venue.objects.update(name=f"Kulturhuset{VT}")

    urls = [
        reverse("feeds:rss"),
        reverse("feeds:atom"),
        reverse("feeds:series_rss", args=[series.slug]),
        reverse("feeds:series_atom", args=[series.slug]),
        reverse("feeds:series_podcast", args=[series.slug]),
        reverse("feeds:speaker_rss", args=[speaker.slug]),
        reverse("feeds:speaker_atom", args=[speaker.slug]),
        reverse("feeds:topic_rss", args=["tillit"]),
        reverse("feeds:topic_atom", args=["tillit"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert_clean(body)
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.bozo_exception)
        assert [entry.title for entry in feed.entries] == ["New Public Management"], url
        assert "Förvaltningsdagarna" in body or "Åsa Öberg" in body or "Tillit" in body, url

    for url in (reverse("feeds:ics"), reverse("feeds:series_ics", args=[series.slug])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(response.content.decode())
        event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
        assert str(event["summary"]) == "New Public Management"
        assert str(event["location"]).startswith("Sal, Kulturhuset")
        assert [str(c) for c in event["categories"].cats] == ["Förvaltningsdagarna"]
