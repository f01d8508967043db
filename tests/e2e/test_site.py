"""A visitor's walk through the site in headless Chromium: search with filters and autocomplete,
open a moment from a result, switch language, download slides and transcript, find the
subscribe links; plus screenshots of the main pages on phone and desktop widths."""

import re

import pytest
from django.core.files.base import ContentFile

from archive.factories import SeminarPageFactory
from archive.transcript_formats import Cue
from archive.transcript_store import save_transcript
from tests.archive.open_data import HIDDEN, add_speaker
from tests.e2e.open_site import site_fixture  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10 reflow: 320 CSS px without sideways scroll
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def webm_bytes():
    from tests.e2e.test_player import make_webm

    return make_webm()


@pytest.fixture
def recorded(site, archive_root, webm_bytes):
    """A seminar with a real 8-second WebM and a transcript whose third cue starts at 4 s."""
    from wagtailmedia.models import Media

    from search.engines import database_engine

    media = Media(title="Film", type="video", duration=8, width=160, height=120)
    media.file.save("film.webm", ContentFile(webm_bytes), save=False)
    media.save()
    page = SeminarPageFactory(
        parent=archive_root,
        title="Förvaltningspolitikens framtid",
        slug="forvaltningspolitik",
        series=site.series,
        video_file=media,
        lead="Om förvaltningspolitik.",
    )
    add_speaker(page, site.anna)
    save_transcript(
        page,
        [
            Cue(0.0, 2.0, "Välkomna hit.", speaker="Anna Öberg", chapter="Början"),
            Cue(2.0, 4.0, "Vi börjar med bakgrunden."),
            Cue(4.0, 6.0, "Förvaltningspolitiken behöver mer tillit.", speaker="Anna Öberg"),
            Cue(6.0, 8.0, "Tack för i dag."),
        ],
    )
    database_engine().rebuild()
    return page


def wait(page, condition: str, timeout: int = 15_000):
    page.wait_for_function(f"() => {condition}", timeout=timeout)


def test_search_with_filters_and_autocomplete(page, live_server, site, recorded):
    page.goto(f"{live_server.url}/sok/")
    box = page.locator("#search-q")
    box.press_sequentially("Förvaltningsp", delay=30)
    option = page.locator("#search-q-suggestions [role=option]").filter(
        has_text="Förvaltningspolitikens framtid"
    )
    option.first.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"

    box.fill("tillit")
    box.press("Enter")
    page.wait_for_url(re.compile(r"q=tillit"))
    titles = page.locator(".search-hit__title").all_inner_texts()
    assert {"Tillit i styrningen", "Förvaltningspolitikens framtid"} <= set(titles)
    assert not [t for t in titles if HIDDEN in t]

    page.locator(".search-facets a", has_text="Anna Öberg").first.click()
    page.wait_for_url(re.compile(r"speaker=anna-oberg"))
    narrowed = page.locator(".search-hit__title").all_inner_texts()
    assert set(narrowed) == {"Tillit i styrningen", "Förvaltningspolitikens framtid"}
    page.locator(".search-facets a", has_text="Chefsfrukost").first.click()
    page.wait_for_url(re.compile(r"series=chefsfrukost"))
    assert "speaker=anna-oberg" in page.url


def test_open_a_moment_from_a_result_lands_at_that_time(page, live_server, site, recorded):
    page.goto(f"{live_server.url}/sok/?q=f%C3%B6rvaltningspolitiken")
    moment = page.locator(".search-moments a").first
    assert "?t=4" in moment.get_attribute("href")
    moment.click()
    page.wait_for_url(re.compile(r"/forvaltningspolitik/\?t=4"))
    wait(
        page,
        "document.querySelector('video') && document.querySelector('video').currentTime >= 3.5",
    )
    assert page.evaluate("() => document.querySelector('video').currentTime") < 6


def test_switch_language(page, live_server, site):
    page.goto(f"{live_server.url}/tillit-i-styrningen/")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.locator(".lang-switch a[lang=en]").click()
    page.wait_for_url(re.compile(r"/en/tillit-i-styrningen/"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Tillit i styrningen"
    assert page.locator(".cite h2").inner_text() == "Cite this seminar"
    page.locator(".lang-switch a[lang=sv]").click()
    page.wait_for_url(re.compile(r"^[^?]*/tillit-i-styrningen/$"))
    assert page.locator(".cite h2").inner_text() == "Citera seminariet"


def test_download_slides_and_transcript(browser, live_server, site):
    context = browser.new_context(accept_downloads=True, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{live_server.url}/tillit-i-styrningen/")
    with page.expect_download() as info:
        page.locator(".slides a[download]").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"

    vtt_link = page.locator("a[href$='.vtt']").first
    href = vtt_link.get_attribute("href")
    response = page.request.get(live_server.url + href if href.startswith("/") else href)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/vtt")
    assert response.text().startswith("WEBVTT")
    assert "Tillit är grunden för styrningen" in response.text()
    context.close()


def test_subscribe_links_present_and_working(page, live_server, site):
    page.goto(f"{live_server.url}/")
    labels = page.locator(".subscribe a").all_inner_texts()
    assert labels == ["RSS", "Atom", "Kalender (iCal)"]
    rss = page.locator(".subscribe a", has_text="RSS").get_attribute("href")
    feed = page.request.get(live_server.url + rss)
    assert feed.headers["content-type"].startswith("application/rss+xml")
    assert "Tillit i styrningen" in feed.text()

    page.goto(f"{live_server.url}/?series=chefsfrukost")
    assert "Podd" in page.locator(".subscribe a").all_inner_texts()
    page.goto(f"{live_server.url}{site.anna.get_absolute_url()}")
    speaker_rss = page.locator(".subscribe a", has_text="RSS").get_attribute("href")
    assert speaker_rss == f"/flode/talare/{site.anna.slug}/rss/"
    cite = page.goto(f"{live_server.url}/tillit-i-styrningen/")
    assert cite.status == 200
    assert page.locator(".cite__copy").is_visible(), "the copy button appears with JavaScript"


def test_on_a_phone_results_come_first_and_the_filters_unfold(browser, live_server, site):
    """At 390 px the eight filter groups (about 1,500 px) once came before the first result."""
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{live_server.url}/sok/?q=tillit")
    assert page.locator(".search-hit__title").first.bounding_box()["y"] < PHONE["height"]
    facet = page.locator(".search-facets a", has_text="Anna Öberg").first
    assert not facet.is_visible()
    page.click(".search-facets__toggle")
    facet.click()
    page.wait_for_url(re.compile(r"speaker=anna-oberg"))
    assert "(1 vald)" in page.inner_text(".search-facets__toggle")
    context.close()
    # On a wide screen the filters are simply there, without the summary line.
    context = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{live_server.url}/sok/?q=tillit")
    assert page.locator(".search-facets a", has_text="Anna Öberg").first.is_visible()
    assert not page.locator(".search-facets__toggle").is_visible()
    context.close()


def test_screenshots_on_phone_and_desktop(browser, live_server, site, artifacts_dir):
    out = artifacts_dir / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    pages = {
        "archive": "/",
        "seminar": "/tillit-i-styrningen/",
        "upcoming": "/kompetensforsorjning/",
        "speaker": site.anna.get_absolute_url(),
        "search": "/sok/?q=tillit",
    }
    overflowing = []
    for device, viewport in (("narrow", NARROW), ("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, locale="sv-SE")
        page = context.new_page()
        for name, path in pages.items():
            page.goto(live_server.url + path)
            target = out / f"{name}-{device}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 5_000
            wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if wide > 1:
                overflowing.append(f"{name} on {device} scrolls sideways by {wide}px")
        context.close()
    assert not overflowing, overflowing
