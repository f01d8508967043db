"""What visitors see on a seminar page: every variant, upcoming and past."""

import pytest
from django.utils.text import slugify

from archive.factories import SeriesFactory, VenueFactory, make_document
from archive.models import SeminarRelation, SeminarSpeaker
from tests.archive.foundation import (
    add_slides,
    add_speaker,
    in_days,
    make_private,
    make_video,
    seminar,
)

pytestmark = pytest.mark.django_db


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def upcoming(archive_root):
    page = seminar(
        archive_root,
        title="Leda med tillit",
        start=in_days(20, 8),
        end=in_days(20, 9),
        code="A3",
        series=SeriesFactory(name="Chefsfrukost"),
        venue=VenueFactory(name="Folkets hus", city="Sundsvall"),
        room="Salong 1",
        registration_url="https://example.org/anmalan",
        registration_deadline=in_days(10, 23),
        contact_name="Julia Wålbrink",
        contact_email="julia@example.org",
        contact_phone="060-12 34 56",
    )
    page.topics.add("tillit")
    page.save()
    add_speaker(
        page,
        "Hanna Broberg",
        role="moderator",
        photo=True,
        bio="Chefsstrateg som har arbetat med professionsfrågor länge.",
    )
    return page


def test_upcoming_seminar_shows_when_where_registration_and_speakers(client, upcoming):
    html = get_html(client, upcoming.url)
    assert "Leda med tillit" in html
    assert "Salong 1, Folkets hus" in html and "Sundsvall" in html
    assert 'href="https://example.org/anmalan"' in html
    assert "Anmäl dig senast" in html  # Swedish by default
    assert "mailto:julia@example.org" in html and "Julia Wålbrink" in html
    assert 'href="tel:060123456"' in html
    assert "Hanna Broberg" in html and "speaker__photo" in html
    # series, topic and session code
    assert "Chefsfrukost" in html and "?topic=tillit" in html and ">A3<" in html
    # an upcoming seminar has no recording yet and no bio clutter
    assert "<video" not in html and "<iframe" not in html
    assert "Chefsstrateg som har arbetat" not in html


def test_upcoming_seminar_in_english(client, upcoming):
    html = get_html(client, "/en" + upcoming.url)
    assert "Register by" in html and "Registration" in html
    assert '<html lang="en">' in html


def test_registration_closed_after_the_deadline(client, archive_root):
    page = seminar(
        archive_root,
        start=in_days(3),
        end=in_days(3, 15),
        registration_url="https://example.org/anmalan",
        registration_deadline=in_days(-1),
    )
    html = get_html(client, "/en" + page.url)
    assert "Registration has closed." in html
    assert 'href="https://example.org/anmalan"' not in html


def test_past_seminar_with_uploaded_video_speakers_and_slides(client, archive_root):
    video = make_video("Tillit i praktiken")
    page = seminar(
        archive_root,
        title="Tillit i praktiken",
        start=in_days(-40),
        end=in_days(-40, 15),
        code="B2",
        video_file=video,
        registration_url="https://example.org/anmalan",
    )
    add_speaker(page, "Laura Hartman", photo=True, bio="Docent i nationalekonomi.")
    doc = make_document(["Tillit", "Styrning", "Frågor"], title="Bildspel om tillit")
    doc.page_count = 3  # what the admin upload form stores
    doc.save()
    add_slides(page, doc, label="Presentationen")
    html = get_html(client, page.url)
    assert "<video" in html and video.url in html
    assert "Presentationen" in html and doc.url in html
    assert "3 sidor" in html and "kB" in html  # page count and file size, in Swedish
    assert "Docent i nationalekonomi." in html  # bios shown once the seminar is archived
    assert 'href="https://example.org/anmalan"' not in html  # no registration box any more
    assert ">B2<" in html


def test_past_seminar_with_embedded_video_renders_a_responsive_iframe(client, archive_root):
    page = seminar(
        archive_root,
        start=in_days(-5),
        end=in_days(-5, 15),
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    html = get_html(client, page.url)
    assert 'class="responsive-embed"' in html
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    assert "<video" not in html


def test_past_seminar_without_video_or_slides(client, archive_root):
    page = seminar(archive_root, start=in_days(-5), end=in_days(-5, 15))
    html = get_html(client, page.url)
    assert "<video" not in html and "<iframe" not in html
    assert 'id="slides-heading"' not in html


def test_related_seminars_prefer_chosen_ones_and_skip_hidden_ones(client, archive_root):
    page = seminar(archive_root, title="Huvudseminariet", start=in_days(-5))
    page.topics.add("tillit")
    page.save()
    chosen = seminar(archive_root, title="Handplockat seminarium", start=in_days(-300))
    SeminarRelation.objects.create(page=page, target=chosen, sort_order=0)
    same_topic = seminar(archive_root, title="Samma ämne", start=in_days(-50))
    same_topic.topics.add("tillit")
    same_topic.save()
    private = seminar(archive_root, title="Privat seminarium", start=in_days(-60))
    private.topics.add("tillit")
    private.save()
    make_private(private)
    seminar(archive_root, title="Helt orelaterat", start=in_days(-70))

    assert [p.title for p in page.related_seminars()] == ["Handplockat seminarium", "Samma ämne"]
    html = get_html(client, page.url)
    assert "Handplockat seminarium" in html and "Samma ämne" in html
    assert "Privat seminarium" not in html and "Helt orelaterat" not in html


def test_speaker_page_lists_public_seminars_split_by_role(client, archive_root):
    talk = seminar(archive_root, title="Föredraget", start=in_days(-30))
    speaker = add_speaker(
        talk,
        "Maria Lindqvist",
        photo=True,
        bio="Forskar om styrning.",
        website="https://example.org/maria",
    )
    moderated = seminar(archive_root, title="Samtalet", start=in_days(-20))
    SeminarSpeaker.objects.create(page=moderated, speaker=speaker, role="moderator")
    draft = seminar(archive_root, title="Utkastet", start=in_days(-10), live=False)
    SeminarSpeaker.objects.create(page=draft, speaker=speaker, role="speaker")
    private = seminar(archive_root, title="Det privata", start=in_days(-12))
    SeminarSpeaker.objects.create(page=private, speaker=speaker, role="speaker")
    make_private(private)

    html = get_html(client, f"/talare/{speaker.slug}/")
    assert "Maria Lindqvist" in html and "Forskar om styrning." in html
    assert 'href="https://example.org/maria"' in html and "Webbplats" in html
    assert 'aria-current="page">Maria Lindqvist<' in html  # breadcrumbs back to the archive
    as_speaker, as_moderator = html.index('id="role-speaker"'), html.index('id="role-moderator"')
    assert as_speaker < html.index("Föredraget") < as_moderator < html.index("Samtalet")
    assert "Utkastet" not in html and "Det privata" not in html

    english = get_html(client, f"/en/speakers/{speaker.slug}/")
    assert "As speaker" in english and "As moderator" in english
    assert client.get(f"/speakers/{speaker.slug}/").status_code in (301, 302)
    assert client.get(f"/talare/{slugify('ingen sådan')}/").status_code == 404


def test_seminar_card_links_speaker_and_topics_to_filters(client, upcoming):
    html = get_html(client, upcoming.url)
    speaker = upcoming.seminar_speakers.first().speaker
    assert f'href="/talare/{speaker.slug}/"' in html
    english = get_html(client, "/en" + upcoming.url)
    assert f'href="/en/speakers/{speaker.slug}/"' in english


def test_old_seminar_known_only_by_date_shows_no_clock_time(client, archive_root):
    page = seminar(archive_root, start=in_days(-900, 14), end=None, time_known=False)
    html = get_html(client, page.url)
    day = page.local_start
    assert f'<time datetime="{day.date().isoformat()}">' in html
    assert "14:00" not in html


def test_file_sizes_follow_the_language():
    from django.utils import translation

    from archive.templatetags.archive_tags import filesize, timecode

    with translation.override("sv"):
        assert filesize(12_600) == "12,3\u00a0kB"
    with translation.override("en"):
        assert filesize(12_600) == "12.3\u00a0kB"
    assert filesize(800) == "800\u00a0B" and filesize(None) == ""
    assert timecode(3725) == "1:02:05" and timecode(65.4) == "1:05"


def test_unknown_address_gets_a_helpful_page_in_the_site_frame(client, archive_root):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Sidan hittades inte" in html and 'class="skip-link"' in html
    english = client.get("/en/does-not-exist/").content.decode()
    assert "Page not found" in english


def test_upcoming_seminar_without_registration_says_when_and_where(client, archive_root):
    page = seminar(archive_root, start=in_days(9, 18), end=in_days(9, 19), room="Aulan")
    html = get_html(client, page.url)
    box = html[html.index('id="registration-heading"') :]
    assert box.startswith('id="registration-heading">Tid och plats</h2>')
    assert "Aulan" in box and "Anmäl dig" not in html


@pytest.mark.parametrize(
    "video_url, expected",
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "embed/dQw4w9WgXcQ?enablejsapi=1&amp;"),
        ("https://vimeo.com/76979871", "player.vimeo.com/video/76979871#t=177s"),
    ],
)
def test_an_embedded_video_starts_at_the_second_of_the_moment_not_after_it(
    client, archive_root, video_url, expected
):
    """A search moment links to ?t=177.87; the embed rounded that to 178 and started after the
    segment's first words (when the player's API does not take over and seek exactly)."""
    page = seminar(archive_root, start=in_days(-5), end=in_days(-5, 15), video_url=video_url)
    html = get_html(client, f"{page.url}?t=177.87")
    assert expected in html
    if "youtube" in video_url:
        assert "start=177" in html and "start=178" not in html
    else:
        assert "#t=178s" not in html
    assert "start=0" not in get_html(client, f"{page.url}?t=0.6")
