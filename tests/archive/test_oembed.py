"""oEmbed provider and the embeddable player page."""

import re
from urllib.parse import urlencode

import pytest

from archive.oembed import frame_size
from tests.archive.open_data import build_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(archive_root):
    return build_archive(archive_root)


def oembed(client, url, **params):
    return client.get("/api/oembed/?" + urlencode({"url": url, **params}))


@pytest.mark.parametrize(
    "url",
    [
        "http://testserver/tillit-i-styrningen/",
        "http://testserver/en/tillit-i-styrningen/",
        "http://testserver/tillit-i-styrningen/?t=120",
        "/tillit-i-styrningen/",
    ],
)
def test_oembed_video_for_seminar_urls(client, archive, url):
    response = oembed(client, url, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "1.0"
    assert data["type"] == "video"
    assert data["title"] == "Tillit i styrningen"
    assert data["provider_name"] == "Seminariearkivet"
    assert data["author_name"] == "Anna Öberg, Erik Lind"
    assert (data["width"], data["height"]) == (640, 540)
    src = re.search(r'<iframe src="([^"]+)" width="640" height="540"', data["html"]).group(1)
    # The moment and the interface language of the pasted link come along.
    query = {
        "http://testserver/en/tillit-i-styrningen/": "?lang=en",
        "http://testserver/tillit-i-styrningen/?t=120": "?t=120",
    }.get(url, "")
    assert src == f"http://testserver/embed/{archive.past.pk}/" + query
    assert data["thumbnail_url"].endswith(".png")


def test_oembed_respects_maxwidth(client, archive):
    data = oembed(client, "http://testserver/tillit-i-styrningen/", maxwidth=400).json()
    assert data["width"] == 400
    assert 'width="400"' in data["html"]
    # Within the consumer's limits, however small (the spec: "must respect"): below the
    # default width the frame narrows; too low for video and transcript, it is the video alone.
    assert frame_size(100, None) == (100, 56 + 180)
    assert frame_size(None, 300) == (533, 300)


def test_oembed_rejects_other_formats_and_sites(client, archive):
    xml = oembed(client, "http://testserver/tillit-i-styrningen/", format="xml")
    assert xml.status_code == 501
    assert oembed(client, "https://example.org/tillit-i-styrningen/").status_code == 404
    assert oembed(client, "http://testserver/finns-inte/").status_code == 404
    # Not recorded yet: nothing to embed.
    assert oembed(client, "http://testserver/kompetensforsorjning/").status_code == 404


def test_embed_page_can_be_framed_and_plays_with_transcript(client, archive):
    response = client.get(f"/embed/{archive.past.pk}/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    assert "<video" in html and ".webm" in html
    assert "Tillit är grunden för styrningen" in html
    assert 'href="?t=400"' in html
    assert '<meta name="robots" content="noindex">' in html
    # Media fragment: a shared moment starts the video there.
    assert "#t=400" in client.get(f"/embed/{archive.past.pk}/?t=400").content.decode()
    # Every other page keeps refusing to be framed.
    assert client.get("/tillit-i-styrningen/")["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


def test_hidden_seminars_cannot_be_embedded(client, archive):
    for page in archive.hidden:
        assert client.get(f"/embed/{page.pk}/").status_code == 404
        assert oembed(client, f"http://testserver/{page.slug}/").status_code == 404
        assert oembed(client, f"http://testserver/embed/{page.pk}/").status_code == 404
    assert client.get(f"/embed/{archive.upcoming.pk}/").status_code == 404


def test_embed_page_starts_youtube_and_vimeo_at_the_moment_too(client, archive):
    """The embed page ignored ?t= for YouTube and Vimeo: its transcript links reloaded at 0:00."""
    from archive.models import SeminarPage

    SeminarPage.objects.filter(pk=archive.past.pk).update(
        video_file=None, video_url="https://www.youtube.com/watch?v=abcdefghijk"
    )
    html = client.get(f"/embed/{archive.past.pk}/?t=6m40s").content.decode()
    assert "youtube-nocookie.com/embed/abcdefghijk?enablejsapi=1&amp;rel=0&amp;start=400" in html
    SeminarPage.objects.filter(pk=archive.past.pk).update(video_url="https://vimeo.com/76979871")
    html = client.get(f"/embed/{archive.past.pk}/?t=400").content.decode()
    assert "player.vimeo.com/video/76979871#t=400s" in html


def test_a_video_link_nothing_can_embed_is_still_a_link(client, archive):
    """An embed URL no finder knows left an empty box under a "Video" badge."""
    from archive.models import SeminarPage

    SeminarPage.objects.filter(pk=archive.past.pk).update(
        video_file=None, video_url="https://media.example.org/film.mp4"
    )
    for url in ("/tillit-i-styrningen/", f"/embed/{archive.past.pk}/"):
        html = client.get(url).content.decode()
        assert '<a href="https://media.example.org/film.mp4" rel="noopener">' in html, url
        assert "(media.example.org)" in html


def test_an_english_link_with_a_moment_embeds_the_english_player_there(client, archive):
    """A link to the English page at a moment (``?t=`` or ``#t=``) used to embed the Swedish
    player at the start."""
    for url in (
        "http://testserver/en/tillit-i-styrningen/?t=6m40s",
        "http://testserver/en/tillit-i-styrningen/#t=400",
    ):
        html = oembed(client, url).json()["html"]
        src = re.search(r'<iframe src="([^"]+)"', html).group(1).replace("&amp;", "&")
        assert src == f"http://testserver/embed/{archive.past.pk}/?lang=en&t=400", url
    english = oembed(client, "http://testserver/en/tillit-i-styrningen/").json()
    assert english["author_url"].startswith("http://testserver/en/speakers/")
    assert (
        oembed(client, "/tillit-i-styrningen/")
        .json()["author_url"]
        .startswith("http://testserver/talare/")
    )
    page = client.get(f"/embed/{archive.past.pk}/?lang=en&t=400").content.decode()
    assert '<html lang="en">' in page and ">Transcript</h2>" in page and "#t=400" in page
    assert 'href="http://testserver/en/tillit-i-styrningen/' in page
    swedish = client.get(f"/embed/{archive.past.pk}/?lang=xx").content.decode()
    assert '<html lang="sv">' in swedish and ">Transkript</h2>" in swedish


def test_the_embeds_timestamps_keep_its_language_and_query(client, archive):
    """The embed of an English page (``?lang=en``) linked its timestamps to ``?t=…`` alone, so
    clicking one turned the player's interface Swedish."""
    from html.parser import HTMLParser
    from urllib.parse import parse_qs

    class Links(HTMLParser):
        def __init__(self):
            super().__init__()
            self.hrefs = []

        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href", "")
            if tag == "a" and href.startswith("?"):
                self.hrefs.append(href)

    def timestamp_links(url):
        links = Links()
        links.feed(client.get(url).content.decode())
        assert links.hrefs, url
        return [parse_qs(href[1:]) for href in links.hrefs]

    embed = f"/embed/{archive.past.pk}/"
    for query in timestamp_links(f"{embed}?lang=en&t=400"):
        assert query["lang"] == ["en"] and len(query["t"]) == 1, query
    assert {"lang": ["en"], "t": ["400"]} in timestamp_links(f"{embed}?lang=en")
    # Followed, such a link is still English, at its moment.
    page = client.get(f"{embed}?lang=en&t=400").content.decode()
    assert '<html lang="en">' in page and ">Transcript</h2>" in page and "#t=400" in page
    # Without a query the links stay as short as they were.
    assert all(list(query) == ["t"] for query in timestamp_links(embed))
    assert 'href="?t=400"' in client.get(embed).content.decode()


@pytest.mark.parametrize(
    "maxwidth, maxheight, size, thumbnail",
    [
        (100, 50, (88, 50), False),  # too low for the transcript too: the video alone
        (300, None, (300, 349), False),  # narrower, with the transcript's room below
        (None, 200, (355, 200), False),
        (None, 300, (533, 300), False),
        (400, 1000, (400, 405), False),
        (1000, 539, (638, 539), True),
        (250, 250, (250, 141), False),
    ],
)
def test_the_frame_always_fits_within_the_consumers_limits(
    client, archive, maxwidth, maxheight, size, thumbnail
):
    """The oEmbed spec: the provider must respect maxwidth and maxheight, the thumbnail too. A
    floor of 240 pixels won over maxwidth=100, maxheight=200 gave a 640x200 frame with no
    room for its 16:9 video, and the 640x360 poster was offered to a 300 pixel wide slot."""
    limits = {k: v for k, v in {"maxwidth": maxwidth, "maxheight": maxheight}.items() if v}
    data = oembed(client, "/tillit-i-styrningen/", **limits).json()
    width, height = data["width"], data["height"]
    assert (width, height) == size
    assert width <= (maxwidth or width) and height <= (maxheight or height)
    assert round(width * 9 / 16) <= height  # the whole video fits, at 16:9
    assert f'width="{width}" height="{height}"' in data["html"]
    assert ("thumbnail_url" in data) == thumbnail
    if thumbnail:
        assert data["thumbnail_width"] <= (maxwidth or 640)
        assert data["thumbnail_height"] <= (maxheight or 360)


@pytest.mark.parametrize("value", ["-5", "0", "100000"])
def test_a_limit_no_frame_can_meet_is_a_400(client, archive, value):
    for name in ("maxwidth", "maxheight"):
        response = oembed(client, "/tillit-i-styrningen/", **{name: value})
        assert response.status_code == 400, (name, value)
        assert response.json()["parameter"] == name


def test_optional_oembed_fields_are_left_out_not_null(client, archive):
    """A seminar without a poster or speakers answered "thumbnail_url": null, ...: optional
    fields are to be left out."""
    from archive.models import SeminarPage

    SeminarPage.objects.filter(pk=archive.past.pk).update(
        video_file=None, video_url="https://www.youtube.com/watch?v=abcdefghijk"
    )
    archive.past.seminar_speakers.all().delete()
    data = oembed(client, "/tillit-i-styrningen/").json()
    assert None not in data.values()
    assert not {"thumbnail_url", "thumbnail_width", "author_name", "author_url"} & set(data)
    assert {"version", "type", "html", "width", "height", "title"} <= set(data)
