"""Links to a moment in headless Chromium: the language switch keeps the moment the player is
at, and a copied timestamp link (``?t=…#seg-N``) opens with the video in view, on a phone too.

Uses the real 8-second WebM of ``test_player`` (made with PyAV in the test).
"""

import pytest

from archive.transcript_formats import Cue
from tests.e2e.test_player import make_webm, recorded_seminar, wait

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def webm_bytes():
    return make_webm()


def open_page(browser, live_server, viewport, *, phone=False):
    context = browser.new_context(
        viewport=viewport, locale="sv-SE", is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    # No request leaves this machine: anything but the live server is aborted.
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    return context, page


@pytest.fixture
def seminar_url(base_rows, live_server, archive_root, webm_bytes):
    # Enough lines that the transcript scrolls: the line linked (6 s to the end) is far down.
    cues = [
        Cue(i / 4, i / 4 + 0.25, f"Mening nummer {i} om tillit och styrning.") for i in range(24)
    ]
    cues[0] = Cue(0.0, 0.25, "Första meningen.", speaker="Anna Svensson", chapter="Början")
    cues[16] = Cue(4.0, 4.25, "Mitten börjar här.", chapter="Mitten")
    cues.append(Cue(6.0, 8.0, "Sista meningen, till slutet."))
    return live_server.url + recorded_seminar(archive_root, webm_bytes, "lankar", cues).url


def language_links(page) -> dict[str, str]:
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.lang-switch a')]"
        ".map(a => [a.getAttribute('hreflang'), a.getAttribute('href')]))"
    )


def test_the_language_switch_keeps_the_moment_the_player_is_at(browser, live_server, seminar_url):
    context, page = open_page(browser, live_server, DESKTOP)
    try:
        page.goto(seminar_url + "?utm_source=nyhetsbrev")
        wait(page, "document.querySelector('video').readyState >= 1")
        assert language_links(page)["en"] == "/en/lankar/?utm_source=nyhetsbrev"
        page.click("#seg-16 .seg__text")
        wait(page, "document.querySelector('video').currentTime >= 3.9")
        assert page.url.endswith("?utm_source=nyhetsbrev&t=4")
        # Both links follow the address bar, the other parameters kept.
        assert language_links(page) == {
            "sv": "/lankar/?utm_source=nyhetsbrev&t=4",
            "en": "/en/lankar/?utm_source=nyhetsbrev&t=4",
        }
        page.click("#seg-4 .seg__time")  # the timestamp link
        wait(page, "document.querySelector('#seg-4').getAttribute('aria-current') === 'true'")
        assert language_links(page)["en"] == "/en/lankar/?utm_source=nyhetsbrev&t=1"
        page.click("#seg-18 .seg__text")
        page.click(".lang-switch a[hreflang='en']")
        page.wait_for_url("**/en/lankar/?utm_source=nyhetsbrev&t=4.5")
        # The English page opens at that moment.
        wait(page, "document.querySelector('video').currentTime >= 4.4")
        assert page.get_attribute("html", "lang") == "en"
    finally:
        context.close()


def video_in_view(page) -> dict:
    return page.evaluate(
        "() => { const r = document.querySelector('video').getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, height: innerHeight}; }"
    )


IN_LIST = (
    "(n) => { const li = document.getElementById('seg-' + n).getBoundingClientRect();"
    " const box = document.querySelector('[data-segments]').getBoundingClientRect();"
    " return li.top >= box.top - 1 && li.bottom <= box.bottom + 1; }"
)


def line_in_list(page, line: int) -> dict:
    """Where the line is within the transcript's own scroll box (for a failure message)."""
    return page.evaluate(
        "(n) => { const li = document.getElementById('seg-' + n).getBoundingClientRect();"
        " const list = document.querySelector('[data-segments]');"
        " const box = list.getBoundingClientRect();"
        " return {li: [li.top, li.bottom], box: [box.top, box.bottom],"
        " scrollTop: list.scrollTop}; }",
        line,
    )


@pytest.mark.parametrize(
    "viewport,phone", [(PHONE, True), (DESKTOP, False)], ids=["phone", "desktop"]
)
@pytest.mark.parametrize("link", ["?t=6#seg-24", "#seg-24"], ids=["t-and-seg", "seg-only"])
def test_a_copied_timestamp_link_opens_with_the_video_in_view(
    browser, live_server, seminar_url, viewport, phone, link
):
    """``?t=…#seg-N`` links (copied from the timestamps, as the pages used to write them):
    the browser's jump to the line scrolled the video off the screen."""
    context, page = open_page(browser, live_server, viewport, phone=phone)
    try:
        page.goto(seminar_url + link)
        page.wait_for_load_state("load")
        wait(page, "document.querySelector('video').currentTime >= 5.9")
        page.wait_for_timeout(300)  # any late jump to the fragment would have happened
        box = video_in_view(page)
        assert box["top"] >= -1 and box["bottom"] <= box["height"] + 1, box
        assert page.get_attribute("#seg-24", "aria-current") == "true"
        # The transcript scrolls within itself to the line (smoothly: give it time).
        from playwright.sync_api import TimeoutError as NotInTime

        try:
            page.wait_for_function(IN_LIST, arg=24, timeout=5_000)
        except NotInTime:
            pytest.fail(f"line 24 not shown in the transcript: {line_in_list(page, 24)}")
        assert "#seg-" not in page.url and "t=6" in page.url
    finally:
        context.close()


def test_timestamp_links_carry_the_moment_and_no_fragment(browser, live_server, seminar_url):
    """Without JavaScript too, a timestamp or chapter link opens the page at the moment, not
    scrolled past the video to the line."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(seminar_url)
        assert page.get_attribute("#seg-24 .seg__time", "href") == "?t=6"
        assert page.get_attribute(".transcript__chapters a >> nth=1", "href") == "?t=4"
        page.click("#seg-24 .seg__time")
        page.wait_for_url("**?t=6")
        box = video_in_view(page)
        assert box["top"] >= -1 and box["bottom"] <= box["height"] + 1, box
        assert page.get_attribute("#seg-24", "aria-current") == "true"
        assert "#t=6" in page.get_attribute("video", "src")
    finally:
        context.close()
