"""An embed finder that never touches the network (tests, offline demo).

It answers for YouTube and Vimeo URLs with the providers' documented iframe markup, so pages render
the same player markup they would with the real oEmbed finder.
"""

import re

from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder

YOUTUBE = re.compile(r"(?:youtube\.com/watch\?v=|youtu\.be/|youtube\.com/embed/)([\w-]{6,})")
VIMEO = re.compile(r"vimeo\.com/(?:video/)?(\d+)")


class OfflineEmbedFinder(EmbedFinder):
    def __init__(self, **options):
        super().__init__(**options)

    def accept(self, url):
        return bool(YOUTUBE.search(url) or VIMEO.search(url))

    def find_embed(self, url, max_width=None, max_height=None):
        if m := YOUTUBE.search(url):
            src, provider = (
                f"https://www.youtube-nocookie.com/embed/{m.group(1)}?enablejsapi=1",
                "YouTube",
            )
        elif m := VIMEO.search(url):
            src, provider = f"https://player.vimeo.com/video/{m.group(1)}", "Vimeo"
        else:
            raise EmbedNotFoundException
        return {
            "title": "",
            "author_name": "",
            "provider_name": provider,
            "type": "video",
            "thumbnail_url": None,
            "width": 640,
            "height": 360,
            "html": (
                f'<iframe width="640" height="360" src="{src}" title="{provider} video" '
                'frameborder="0" allowfullscreen></iframe>'
            ),
        }
