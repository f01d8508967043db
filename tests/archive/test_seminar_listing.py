"""The archive listing: order, filters that combine, pagination, and nothing hidden leaking."""

import re

import pytest

from archive.factories import SeriesFactory
from archive.models import SeminarFormat
from tests.archive.foundation import add_speaker, in_days, make_private, seminar

pytestmark = pytest.mark.django_db


def listed_titles(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(
        r'class="seminar-card__title" lang="sv"><a href="[^"]+">(?:<span class="code">'
        r"[^<]*</span> )?([^<]+)</a>",
        html,
    )


@pytest.fixture
def archive(archive_root):
    frukost = SeriesFactory(name="Chefsfrukost")
    konferens = SeriesFactory(name="Förvaltningsdagarna")
    pages = {
        "soon": seminar(
            archive_root,
            title="Snart",
            start=in_days(3),
            series=frukost,
            format=SeminarFormat.BREAKFAST_MEETING,
        ),
        "later": seminar(archive_root, title="Senare", start=in_days(30), series=konferens),
        "recent": seminar(archive_root, title="Nyligen", start=in_days(-3), series=konferens),
        "old": seminar(
            archive_root,
            title="Länge sedan",
            start=in_days(-800),
            series=frukost,
            format=SeminarFormat.BREAKFAST_MEETING,
        ),
    }
    for key in ("soon", "old"):
        pages[key].topics.add("tillit")
        pages[key].save()
    add_speaker(pages["old"], "Hanna Broberg")
    draft = seminar(archive_root, title="Utkast", start=in_days(5), live=False)
    draft.topics.add("tillit")
    draft.save()
    make_private(seminar(archive_root, title="Privat", start=in_days(-5), series=frukost))
    return pages


def test_upcoming_first_soonest_first_then_past_newest_first(client, archive_root, archive):
    assert listed_titles(client, archive_root.url) == ["Snart", "Senare", "Nyligen", "Länge sedan"]
    html = client.get(archive_root.url).content.decode()
    assert html.index("Kommande seminarier") < html.index("Snart")
    assert html.index("Tidigare seminarier") < html.index("Nyligen")


def test_drafts_and_private_seminars_never_listed(client, archive_root, archive):
    html = client.get(archive_root.url).content.decode()
    assert "Utkast" not in html and "Privat" not in html
    assert "4 seminarier" in html
    # not even through the filter options
    assert listed_titles(client, archive_root.url + "?topic=tillit") == ["Snart", "Länge sedan"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("series=chefsfrukost", ["Snart", "Länge sedan"]),
        ("topic=tillit", ["Snart", "Länge sedan"]),
        ("speaker=hanna-broberg", ["Länge sedan"]),
        ("format=breakfast_meeting", ["Snart", "Länge sedan"]),
        ("series=forvaltningsdagarna&topic=tillit", []),
        ("series=chefsfrukost&topic=tillit&format=breakfast_meeting", ["Snart", "Länge sedan"]),
        ("series=okand", []),
        ("year=tjugo", []),
        ("year=99999", []),  # past what dates can hold: no seminar, not a server error
        ("year=0", []),
        ("speaker=hanna-broberg&topic=tillit", ["Länge sedan"]),
        ("speaker=hanna-broberg&series=forvaltningsdagarna", []),
    ],
)
def test_filters_combine(client, archive_root, archive, query, expected):
    assert listed_titles(client, f"{archive_root.url}?{query}") == expected


def test_year_filter(client, archive_root, archive):
    # 800 days back is a year no other seminar of the fixture falls in
    year = archive["old"].local_start.year
    assert listed_titles(client, f"{archive_root.url}?year={year}") == ["Länge sedan"]


def test_year_options_are_local_years(client, archive_root):
    """Half past midnight on New Year's Day in Stockholm is still the old year in UTC."""
    import datetime as dt

    from django.conf import settings

    from archive.models.pages import years_with_seminars

    assert settings.TIME_ZONE == "Europe/Stockholm"  # what the years below assume
    utc = dt.UTC
    seminar(archive_root, title="Nyårsdagen", start=dt.datetime(2019, 12, 31, 23, 30, tzinfo=utc))
    seminar(archive_root, title="Nyårsafton", start=dt.datetime(2017, 12, 31, 22, 30, tzinfo=utc))
    seminar(archive_root, title="Mitt i", start=dt.datetime(2015, 6, 1, 12, tzinfo=utc))
    assert years_with_seminars(archive_root.seminars()) == [2020, 2017, 2015]
    assert years_with_seminars(archive_root.seminars().none()) == []
    html = client.get(archive_root.url).content.decode()
    years = re.findall(r'<option value="(\d{4})"', html)
    assert years == ["2020", "2017", "2015"]
    assert listed_titles(client, f"{archive_root.url}?year=2020") == ["Nyårsdagen"]
    assert listed_titles(client, f"{archive_root.url}?year=2019") == []


def test_filter_form_keeps_choices_and_offers_only_public_options(client, archive_root, archive):
    html = client.get(archive_root.url + "?series=chefsfrukost").content.decode()
    assert '<option value="chefsfrukost" selected>' in html
    assert "Rensa filter" in html
    assert '<option value="hanna-broberg">Hanna Broberg</option>' in html


def test_pagination_keeps_filters(client, archive_root, archive):
    archive_root.per_page = 1
    archive_root.save()
    first = client.get(archive_root.url + "?series=chefsfrukost").content.decode()
    assert "Sida 1 av 2" in first
    assert 'href="?series=chefsfrukost&amp;page=2"' in first
    assert listed_titles(client, archive_root.url + "?series=chefsfrukost&page=2") == [
        "Länge sedan"
    ]
    # out of range and nonsense page numbers land on a real page
    assert listed_titles(client, archive_root.url + "?page=99") == ["Länge sedan"]
    assert listed_titles(client, archive_root.url + "?page=x") == ["Snart"]


def test_english_listing(client, archive_root, archive):
    html = client.get("/en" + archive_root.url).content.decode()
    assert "Upcoming seminars" in html and "Past seminars" in html and "4 seminars" in html
    assert re.search(r'href="/en/seminarium-\d+/"', html), "cards link to the English pages"


def test_cards_show_what_each_seminar_offers(client, archive_root, archive):
    from archive.factories import make_document
    from archive.models import SeminarSlide, Transcript

    recent = archive["recent"]
    recent.video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    recent.save()
    Transcript.objects.create(seminar=recent)
    SeminarSlide.objects.create(page=recent, document=make_document(["Sida"]), sort_order=0)
    html = client.get(archive_root.url).content.decode()
    card = html[html.index("Nyligen") : html.index("Länge sedan")]
    assert ">Video<" in card and ">Bildspel<" in card and ">Transkript<" in card
    upcoming_card = html[html.index("Snart") : html.index("Senare")]
    assert ">Kommande<" in upcoming_card and ">Video<" not in upcoming_card


def _offering_everything(parent, title, speaker):
    from archive.factories import SeminarSpeakerFactory, make_document
    from archive.models import SeminarSlide, Speaker, Transcript

    page = seminar(
        parent,
        title=title,
        start=in_days(-10),
        series=SeriesFactory(name=title),
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    page.topics.add("tillit")
    page.save()
    SeminarSpeakerFactory(page=page, speaker=Speaker.objects.get_or_create(name=speaker)[0])
    Transcript.objects.create(seminar=page)
    SeminarSlide.objects.create(page=page, document=make_document(["Sida"]), sort_order=0)
    return page


def test_listings_read_a_fixed_number_of_queries_whatever_the_cards(client, archive_root):
    """The archive listing, a speaker's page and a seminar's related list read the cards' series,
    speakers, slides and transcripts for all cards at once, not once per card."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    first = _offering_everything(archive_root, "Första", "Hanna Broberg")
    _offering_everything(archive_root, "Andra", "Hanna Broberg")
    speaker_url = reverse("speaker_detail", args=[first.seminar_speakers.get().speaker.slug])
    client.get(archive_root.url), client.get(first.url), client.get(speaker_url)  # warm caches
    few = {url: queries(url)[0] for url in (archive_root.url, first.url, speaker_url)}
    for n in range(6):
        _offering_everything(archive_root, f"Fler {n}", "Hanna Broberg")
    for url, count in few.items():
        client.get(url)  # the list's filter choices are cached again for the new content
        more, html = queries(url)
        assert more == count, f"{url}: {count} queries with 2 cards, {more} with 8"
        assert html.count(">Transkript<") >= 4 and html.count(">Bildspel<") >= 4, url


@pytest.mark.django_db
def test_a_seminar_under_way_says_so_not_upcoming(client, archive_root):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    page = seminar(
        archive_root,
        title="Pågående frukostmöte",
        slug="pagaende",
        start=now - dt.timedelta(minutes=20),
        end=now + dt.timedelta(minutes=40),
    )
    assert page.is_under_way and page.is_upcoming
    html = client.get("/").content.decode()
    card = html[html.index("Pågående frukostmöte") :][:1500]
    assert "Pågår nu" in card and "Kommande" not in card
    assert "Pågår nu" in client.get(page.url).content.decode()
    over = seminar(
        archive_root,
        slug="over",
        start=now - dt.timedelta(hours=3),
        end=now - dt.timedelta(hours=2),
    )
    assert not over.is_under_way


def test_cards_name_the_moderator_apart_from_the_speakers(client, archive_root):
    """Cards listed the moderator among the speakers ("Maria Lindqvist, Ahmed Karimi, Peter
    Öhman"), on the archive and on the moderator's own speaker page."""
    from archive.factories import SpeakerFactory
    from tests.archive.open_data import add_speaker

    page = seminar(archive_root, title="Lärande tillsyn", start=in_days(-30))
    peter = SpeakerFactory(name="Peter Öhman", slug="peter-ohman")
    add_speaker(page, SpeakerFactory(name="Maria Lindqvist"), "speaker", 0)
    add_speaker(page, peter, "moderator", 1)
    add_speaker(page, SpeakerFactory(name="Ahmed Karimi"), "panelist", 2)
    for url in (archive_root.url, "/talare/peter-ohman/"):
        html = client.get(url).content.decode()
        speakers = re.search(r'<p class="seminar-card__speakers">(.*?)</p>', html).group(1)
        assert speakers.endswith("Maria Lindqvist, Ahmed Karimi"), url
        assert '<p class="seminar-card__moderator">Moderator: Peter Öhman</p>' in html, url


def test_cards_mark_the_seminars_words_with_its_language(client, archive_root, archive):
    """On the English archive page a Swedish seminar's title and lead are marked Swedish (screen
    readers pronounce them so), the interface around them is English (WCAG 3.1.2)."""
    seminar(archive_root, title="Trust in practice", lead="On trust.", language="en")
    html = client.get("/en" + archive_root.url).content.decode()
    assert '<html lang="en"' in html
    assert re.search(r'class="seminar-card__title" lang="sv"><a [^>]+>Snart<', html)
    assert re.search(r'class="seminar-card__title" lang="en"><a [^>]+>Trust in practice<', html)
    assert '<p class="seminar-card__lead" lang="en">On trust.</p>' in html
