"""The player in headless Chromium: seeking from the transcript, deep links, highlight following.

The test video is a real 8-second WebM (VP8 + Opus) made with PyAV in the test and served through a
wagtailmedia ``Media`` by the test-only media view (Range requests, so the browser can seek).
"""

import io

import pytest
from django.core.files.base import ContentFile

from archive.factories import SeminarPageFactory, SeminarSpeakerFactory, SpeakerFactory
from archive.transcript_formats import Cue
from archive.transcript_store import save_transcript

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SECONDS = 8


def make_webm(seconds: int = SECONDS, fps: int = 10, width: int = 160, height: int = 120) -> bytes:
    import av

    buf = io.BytesIO()
    out = av.open(buf, mode="w", format="webm")
    video = out.add_stream("libvpx", rate=fps)
    video.width, video.height, video.pix_fmt = width, height, "yuv420p"
    audio = out.add_stream("libopus", rate=48000)
    audio.layout = "mono"
    for i in range(seconds * fps):
        frame = av.VideoFrame(width, height, "yuv420p")
        for n, plane in enumerate(frame.planes):
            plane.update(bytes([(i * 3 + n * 60) % 256]) * plane.buffer_size)
        frame.pts = i
        for packet in video.encode(frame):
            out.mux(packet)
    samples = 960
    for i in range(seconds * 48000 // samples):
        frame = av.AudioFrame(format="flt", layout="mono", samples=samples)
        frame.planes[0].update(bytes(frame.planes[0].buffer_size))
        frame.sample_rate, frame.pts = 48000, i * samples
        for packet in audio.encode(frame):
            out.mux(packet)
    for stream in (video, audio):
        for packet in stream.encode():
            out.mux(packet)
    out.close()
    return buf.getvalue()


@pytest.fixture(autouse=True)
def offline(page, live_server):
    """No request leaves this machine: anything but the live server is aborted."""
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )


@pytest.fixture(scope="module")
def webm_bytes():
    return make_webm()


def recorded_seminar(archive_root, webm_bytes, slug: str, cues: list[Cue]):
    from wagtailmedia.models import Media

    media = Media(title="Testfilm", type="video", duration=SECONDS, width=160, height=120)
    media.file.save("testfilm.webm", ContentFile(webm_bytes), save=False)
    media.save()
    page = SeminarPageFactory(parent=archive_root, title="Spelartest", slug=slug, video_file=media)
    SeminarSpeakerFactory(page=page, speaker=SpeakerFactory(name="Anna Svensson"))
    save_transcript(page, cues)
    return page


@pytest.fixture
def seminar_url(base_rows, live_server, archive_root, webm_bytes):
    cues = [
        Cue(0.0, 2.0, "Första meningen.", speaker="Anna Svensson", chapter="Början"),
        Cue(2.0, 4.0, "Andra meningen."),
        Cue(4.0, 6.0, "Tredje meningen.", chapter="Mitten"),
        Cue(6.0, 8.0, "Fjärde meningen."),
    ]
    return live_server.url + recorded_seminar(archive_root, webm_bytes, "spelartest", cues).url


def wait(page, condition: str, timeout: int = 15_000):
    """Wait until the JavaScript ``condition`` holds (a function: the CSP forbids eval)."""
    page.wait_for_function(f"() => {condition}", timeout=timeout)


def current_time(page) -> float:
    return page.evaluate("() => document.querySelector('video').currentTime")


def test_clicking_a_segment_seeks_the_video(page, seminar_url):
    page.goto(seminar_url)
    wait(page, "document.querySelector('video').readyState >= 1")
    page.click("#seg-2 .seg__text")
    wait(page, "document.querySelector('video').currentTime >= 3.9")
    assert 3.9 <= current_time(page) < 6.5
    assert page.get_attribute("#seg-2", "aria-current") == "true"
    assert "t=4" in page.url  # the address now points at that moment
    # Keyboard: the timestamp is a link; Enter on it seeks too.
    page.focus("#seg-0 .seg__time")
    page.keyboard.press("Enter")
    wait(page, "document.querySelector('video').currentTime < 2")


def test_deep_link_starts_the_player_there(page, seminar_url):
    page.goto(seminar_url + "?t=5")
    wait(page, "document.querySelector('video').currentTime >= 5")
    assert page.get_attribute("#seg-2", "aria-current") == "true"
    assert page.locator("[data-segments] [aria-current='true']").count() == 1
    # The fragment form works as well.
    page.goto(seminar_url + "#t=0m6s")
    wait(page, "document.querySelector('video').currentTime >= 6")
    assert page.get_attribute("#seg-3", "aria-current") == "true"


def test_highlight_follows_playback_and_announces_chapters(page, seminar_url):
    page.goto(seminar_url)
    wait(page, "document.querySelector('video').readyState >= 1")
    page.evaluate("() => document.querySelector('video').play()")
    wait(page, "document.querySelector('#seg-1').getAttribute('aria-current') === 'true'")
    wait(page, "document.querySelector('#seg-2').getAttribute('aria-current') === 'true'")
    assert page.locator("[data-segments] [aria-current='true']").count() == 1
    # Passing into the "Mitten" chapter is announced in the polite live region.
    assert "Mitten" in page.text_content("[data-live]")


def test_speed_control_and_share_link(page, seminar_url):
    page.goto(seminar_url)
    page.select_option("[data-speed]", "1.5")
    assert page.evaluate("() => document.querySelector('video').playbackRate") == 1.5
    page.hover("#seg-2")
    page.click("#seg-2 [data-share]")
    url = page.input_value("[data-share-url]")
    assert url.endswith("/spelartest/?t=4")
    cite = page.input_value("[data-share-cite]")
    assert "Spelartest" in cite and "Anna Svensson" in cite and "0:04" in cite
    assert "”Spelartest”." in cite and ". Vid 0:04. " in cite  # a sentence, Swedish quotes
    assert url in cite


def test_links_to_a_line_that_starts_between_whole_seconds_open_that_line(
    page, base_rows, live_server, archive_root, webm_bytes
):
    """Real transcripts start lines at 3.37 s, not 3 s: a link floored to ?t=3 would open the
    line before (which starts at or before 3), so links carry the hundredths."""
    cues = [
        Cue(0.0, 1.2, "Välkomna allihop."),
        Cue(1.2, 2.9, "Vi börjar med tillit."),  # a pause from 2.9 to 3.37
        Cue(3.37, 5.5, "Vad menar vi med tillit?"),
        Cue(5.62, 8.0, "Det är frågan."),
    ]
    url = live_server.url + recorded_seminar(archive_root, webm_bytes, "bråk", cues).url
    page.goto(url)
    assert page.get_attribute("#seg-2 .seg__time", "href") == "?t=3.37"
    page.hover("#seg-2")
    page.click("#seg-2 [data-share]")
    shared = page.input_value("[data-share-url]")
    assert shared.endswith("?t=3.37")
    page.keyboard.press("Escape")

    for address, line in ((shared, 2), (url + "?t=5.62", 3), (url + "?t=3", 1)):
        page.goto(address)  # ?t=3: in the pause after line 1, which stays the current line
        wait(page, "document.querySelector('video').readyState >= 1")
        assert page.get_attribute(f"#seg-{line}", "aria-current") == "true", address
        assert page.locator("[data-segments] [aria-current='true']").count() == 1

    page.click("#seg-3 .seg__text")
    wait(page, "document.querySelector('video').currentTime >= 5.6")
    assert page.url.endswith("?t=5.62")
    assert page.get_attribute("#seg-3", "aria-current") == "true"


def test_youtube_embed_without_its_api_still_links_segments_to_the_moment(
    page, base_rows, live_server, archive_root
):
    """The YouTube API is never fetched here (requests off this machine are aborted), as when
    it is blocked: clicking a segment reloads the page at that moment, the embed starting there."""
    seminar = SeminarPageFactory(
        parent=archive_root, slug="yt", video_url="https://www.youtube.com/watch?v=abcdefghijk"
    )
    save_transcript(seminar, [Cue(0, 4, "Ett."), Cue(4, 9, "Två.")])
    page.goto(live_server.url + seminar.url)
    assert page.get_attribute("[data-player]", "data-kind") == "youtube"
    page.click("#seg-1 .seg__text")
    page.wait_for_url("**?t=4")
    assert "start=4" in page.get_attribute("iframe[data-youtube]", "src")
    assert page.get_attribute("#seg-1", "aria-current") == "true"


def test_transcript_beside_the_video_on_desktop_and_below_on_phones(
    page, seminar_url, artifacts_dir
):
    page.goto(seminar_url)
    video = page.locator("video").bounding_box()
    transcript = page.locator("[data-transcript]").bounding_box()
    assert transcript["x"] >= video["x"] + video["width"] - 1  # beside
    page.screenshot(path=str(artifacts_dir / "player-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    video = page.locator("video").bounding_box()
    transcript = page.locator("[data-transcript]").bounding_box()
    assert transcript["y"] >= video["y"] + video["height"] - 1  # below
    page.screenshot(path=str(artifacts_dir / "player-phone.png"), full_page=True)
