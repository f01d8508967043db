"""Visitor and researcher defects from the second QA review: BibTeX escaping, the interface
language of citation/export downloads (``hl``), topic feeds of slugs with å/ä/ö, date-only
seminars on their own day, Swedish speaker texts on English pages and Atom authors."""

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from archive.citation import APA_MONTHS, CitationData, bibtex_escape, to_bibtex
from tests.archive.open_data import build_archive

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def archive(archive_root):
    return build_archive(archive_root)


# BibTeX -----------------------------------------------------------------------------------------


def test_bibtex_escapes_backslash_tilde_and_caret_once():
    """A backslash passed through as a LaTeX command, "~" became a non-breaking space and "^"
    stopped LaTeX ("Missing $ inserted")."""
    assert bibtex_escape("a \\LaTeX ~ ^ b") == (
        r"a \textbackslash{}LaTeX \textasciitilde{} \textasciicircum{} b"
    )
    # the braces and backslashes that escaping adds are not escaped again
    assert bibtex_escape("\\{") == r"\textbackslash{}\textbraceleft{}"
    assert bibtex_escape("& % $ # _ { }") == r"\& \% \$ \# \_ \textbraceleft{} \textbraceright{}"
    data = CitationData(
        title="Styrning & ledning: 50 % av {kostnaderna} – #1 _test_ \\LaTeX ~ ^",
        authors=("Anna Öberg",),
        year=2026,
        month=5,
        day=31,
        url="https://example.org/s/",
        slug="qa-bibtex",
    )
    bib = to_bibtex(data)
    assert (
        r"title = {{Styrning \& ledning: 50 \% av \textbraceleft{}kostnaderna\textbraceright{} – "
        r"\#1 \_test\_ "
        r"\textbackslash{}LaTeX \textasciitilde{} \textasciicircum{}}}"
    ) in bib
    title_line = next(line for line in bib.splitlines() if "title =" in line)
    # every brace is balanced, as BibTeX counts them (a backslash does not escape one)
    assert title_line.count("{") == title_line.count("}")
    assert "~" not in bib.replace(r"\textasciitilde{}", "") and "^" not in bib.replace(
        r"\textasciicircum{}", ""
    )


# Topic feeds of slugs with å/ä/ö ------------------------------------------------------------


def test_a_topic_with_a_swedish_letter_in_its_slug_offers_its_feeds(client, archive):
    """/?topic=uppföljning showed "Prenumerera: uppföljning" over an empty list and no
    autodiscovery link: the feed check took ASCII slugs only, the feed URLs take any letter."""
    from django.template.loader import render_to_string
    from taggit.models import Tag

    archive.past.topics.add("uppföljning")
    archive.past.save_revision().publish()
    slug = Tag.objects.get(name="uppföljning").slug
    assert slug == "uppföljning"
    html = client.get("/", {"topic": slug}).content.decode()
    rss = "/flode/amne/uppf%C3%B6ljning/rss/"
    atom = "/flode/amne/uppf%C3%B6ljning/atom/"
    aside = html[html.index('<aside class="subscribe"') :]
    aside = aside[: aside.index("</aside>")]
    assert "uppföljning" in aside and f'href="{rss}"' in aside and f'href="{atom}"' in aside
    head = html[: html.index("</head>")]
    assert f'type="application/rss+xml" href="{rss}"' in head
    assert f'type="application/atom+xml" href="{atom}"' in head
    for url in (rss, atom):
        response = client.get(url)
        assert response.status_code == 200 and archive.past.title in response.content.decode()
    # A slug no feed URL can carry gives no box at all, not a heading over an empty list.
    empty = render_to_string(
        "components/subscribe.html", {"kind": "topic", "slug": "a/b", "name": "a/b"}
    )
    assert "<aside" not in empty and "Prenumerera" not in empty


# The interface language of downloads (hl) ---------------------------------------------------


def test_citation_downloads_follow_hl_not_the_browser_language(client, archive):
    """The English page's "Plain text (APA)" gave a Swedish citation with Swedish links in a
    browser set to Swedish (and the reverse): /api/ is outside the language prefixes and
    followed Accept-Language."""
    base = "/api/seminars/tillit-i-styrningen/cite"
    english = client.get(f"{base}.txt", {"hl": "en"}, HTTP_ACCEPT_LANGUAGE="sv")
    assert english.status_code == 200 and english["Content-Language"] == "en"
    text = english.content.decode()
    assert "[Video]" in text and "http://testserver/en/tillit-i-styrningen/" in text
    month = APA_MONTHS[timezone.localtime(archive.past.start).month - 1]
    assert f", {month} " in text
    swedish = client.get(f"{base}.txt", {"hl": "sv"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "http://testserver/tillit-i-styrningen/" in swedish and "/en/" not in swedish
    bib = client.get(f"{base}.bib", {"hl": "en"}, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "url = {http://testserver/en/tillit-i-styrningen/}" in bib
    # Without hl the request's language still decides (scripts that set Accept-Language).
    plain = client.get(f"{base}.txt", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "http://testserver/en/tillit-i-styrningen/" in plain


def test_an_unknown_hl_is_a_400_naming_the_choices(client, archive):
    for url in (
        "/api/seminars/tillit-i-styrningen/cite.txt",
        "/api/seminars/tillit-i-styrningen/cite.bib",
        "/api/search/export.csv",
        "/api/search/export.json",
    ):
        response = client.get(url, {"hl": "de"}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, url
        body = response.json()
        assert body["parameter"] == "hl"
        assert "sv, en" in body["error"] and "de" in body["error"]


def test_exports_follow_hl(client, archive):
    from search.engines import database_engine

    database_engine().rebuild()
    csv_en = client.get(
        "/api/search/export.csv", {"q": "tillit", "hl": "en"}, HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert csv_en.status_code == 200 and csv_en["Content-Language"] == "en"
    text = csv_en.content.decode("utf-8-sig")
    assert "http://testserver/en/tillit-i-styrningen/" in text
    assert ",yes," in text and ",ja," not in text
    csv_sv = client.get(
        "/api/search/export.csv", {"q": "tillit", "hl": "sv"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode("utf-8-sig")
    assert "http://testserver/tillit-i-styrningen/" in csv_sv and "/en/" not in csv_sv
    assert ",ja," in csv_sv
    data = client.get(
        "/api/search/export.json", {"q": "tillit", "hl": "en"}, HTTP_ACCEPT_LANGUAGE="sv"
    ).json()
    assert {r["url"] for r in data["results"]} >= {"http://testserver/en/tillit-i-styrningen/"}


def test_the_cite_box_links_carry_the_page_language(client, archive):
    swedish = client.get("/tillit-i-styrningen/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/api/seminars/tillit-i-styrningen/cite.bib?hl=sv"' in swedish
    assert 'href="/api/seminars/tillit-i-styrningen/cite.txt?hl=sv"' in swedish
    english = client.get("/en/tillit-i-styrningen/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert 'href="/api/seminars/tillit-i-styrningen/cite.bib?hl=en"' in english
    assert 'href="/api/seminars/tillit-i-styrningen/cite.txt?hl=en"' in english
    # and the download gives what the English page shows
    link = client.get("/api/seminars/tillit-i-styrningen/cite.txt?hl=en", HTTP_ACCEPT_LANGUAGE="sv")
    shown = english[english.index('id="cite-apa">') + len('id="cite-apa">') :]
    shown = shown[: shown.index("</p>")]
    from html import unescape

    assert link.content.decode().strip() == unescape(shown).strip()


# A seminar known only by its date, on its own day -----------------------------------------------


def local_midnight(days: int = 0):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def test_a_date_only_seminar_is_upcoming_through_its_own_day(client, archive):
    """A seminar with time_known=False starts at local midnight: it was listed under "Past
    seminars" and left the calendar feed from midnight of the day it happens."""
    from archive.factories import SeminarPageFactory
    from archive.models import SeminarIndexPage

    today = SeminarPageFactory(
        parent=archive.root,
        title="Idag utan klockslag",
        slug="idag-utan-klockslag",
        start=local_midnight(),
        time_known=False,
    )
    yesterday = SeminarPageFactory(
        parent=archive.root,
        title="Igår utan klockslag",
        slug="igar-utan-klockslag",
        start=local_midnight(-1),
        time_known=False,
    )
    assert today.is_upcoming and not yesterday.is_upcoming
    order = list(SeminarIndexPage.archive_order(archive.root.seminars()))
    upcoming = [p.pk for p in order if p._upcoming]
    assert today.pk in upcoming and yesterday.pk not in upcoming
    assert upcoming[0] == today.pk  # soonest first
    html = client.get("/").content.decode()
    past_heading = html.index("Tidigare seminarier")
    assert html.index("Kommande seminarier") < html.index(today.title) < past_heading
    assert html.index(yesterday.title) > past_heading
    calendar = icalendar.Calendar.from_ical(client.get("/flode/kalender.ics").content)
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert today.title in summaries and yesterday.title not in summaries
    event = next(e for e in calendar.walk("VEVENT") if str(e["summary"]) == today.title)
    assert event.decoded("dtstart") == timezone.localdate()  # an all-day event
    page = client.get("/idag-utan-klockslag/").content.decode()
    assert "seminar__layout--aside" in page  # the registration/calendar column of upcoming ones
    # A timed seminar that ended earlier today is past, as before.
    ended = SeminarPageFactory(
        parent=archive.root,
        title="Slutade nyss",
        slug="slutade-nyss",
        start=timezone.now() - dt.timedelta(hours=2),
        end=timezone.now() - dt.timedelta(minutes=1),
    )
    assert not ended.is_upcoming


# Atom authors ---------------------------------------------------------------------------------


def test_atom_has_one_author_per_speaker_and_rss_stays_valid(client, archive):
    """Atom put every speaker in one <author><name>A, B</name>: readers showed one person."""
    from xml.etree import ElementTree

    import feedparser

    from tests.archive.open_data import add_speaker

    add_speaker(archive.past, archive.erik, "panelist", 2)  # Erik also moderates: one each
    for url in ("/flode/atom/", "/en/feeds/atom/", "/flode/amne/tillit/atom/"):
        root = ElementTree.fromstring(client.get(url).content)
        entries = {e.find(f"{ATOM}title").text: e for e in root.iter(f"{ATOM}entry")}
        authors = [
            (a.find(f"{ATOM}name").text, a.find(f"{ATOM}uri").text)
            for a in entries[archive.past.title].findall(f"{ATOM}author")
        ]
        prefix = "/en/speakers/" if url.startswith("/en/") else "/talare/"
        assert [name for name, _uri in authors] == ["Anna Öberg", "Erik Lind"], url
        assert authors[0][1] == f"http://testserver{prefix}{archive.anna.slug}/", url
        assert not any("," in name for name, _uri in authors)
        feed = feedparser.parse(client.get(url).content)
        assert not feed.bozo
    rss = client.get("/flode/rss/").content
    assert not feedparser.parse(rss).bozo
    ElementTree.fromstring(rss)


# Demo data: double surnames -------------------------------------------------------------------


def test_the_demo_cites_sara_nilsson_berg_by_her_double_surname(client, db):
    """The demo cited her as "Berg, S. N." / "Berg, Sara Nilsson": no family name was given."""
    from io import StringIO

    from django.core.management import call_command

    from archive.models import Speaker

    call_command("load_demo_data", verbosity=0, stdout=StringIO())
    sara = Speaker.objects.get(slug="sara-nilsson-berg")
    assert sara.family_name == "Nilsson Berg"
    base = "/api/seminars/kompetensforsorjning-i-glesbygd/cite"
    text = client.get(f"{base}.txt", {"hl": "sv"}).content.decode()
    assert "Nilsson Berg, S." in text and "Berg, S. N." not in text
    bib = client.get(f"{base}.bib", {"hl": "sv"}).content.decode()
    assert "Nilsson Berg, Sara" in bib and "Berg, Sara Nilsson" not in bib
    # Loading again over an archive from before (no family name) fills it in, and adds nothing.
    Speaker.objects.filter(pk=sara.pk).update(family_name="")
    count = Speaker.objects.count()
    call_command("load_demo_data", verbosity=0, stdout=StringIO())
    assert Speaker.objects.get(pk=sara.pk).family_name == "Nilsson Berg"
    assert Speaker.objects.count() == count


# Swedish texts on English pages -----------------------------------------------------------------


def test_english_pages_mark_swedish_speaker_texts_and_the_registration_note(client, archive):
    """Speaker titles, biographies and the registration note had no lang: an English voice read
    the Swedish text."""
    import re

    archive.anna.bio = "Anna Öberg forskar om tillit i offentlig förvaltning."
    archive.anna.save()
    archive.upcoming.registration_note = "Konferensavgiften inkluderar lunch och kaffe."
    archive.upcoming.save_revision().publish()

    seminar = client.get("/en/tillit-i-styrningen/").content.decode()
    assert '<html lang="en">' in seminar
    assert re.search(r'<p class="speaker__title" lang="sv">[^<]*professor', seminar)
    assert re.search(r'<p class="speaker__bio" lang="sv">Anna Öberg forskar', seminar)

    speaker = client.get(f"/en/speakers/{archive.anna.slug}/").content.decode()
    assert re.search(r'<p class="lead" lang="sv">professor, Göteborgs universitet</p>', speaker)
    assert re.search(r'<div class="speaker-page__bio" lang="sv"><p>Anna Öberg forskar', speaker)

    upcoming = client.get("/en/kompetensforsorjning/").content.decode()
    assert '<p lang="sv">Konferensavgiften inkluderar lunch och kaffe.</p>' in upcoming
    # the note is in the seminar's language: an English seminar's note is marked English
    archive.upcoming.language = "en"
    archive.upcoming.registration_note = "The fee includes lunch."
    archive.upcoming.save_revision().publish()
    upcoming = client.get("/kompetensforsorjning/").content.decode()
    assert '<p lang="en">The fee includes lunch.</p>' in upcoming
