"""Feed URLs, mounted at ``feeds/`` (Swedish ``flode/``) inside ``i18n_patterns``.

Each path segment is translated: ``/flode/serie/<slug>/rss/`` and ``/en/feeds/series/<slug>/rss/``.
Every feed and calendar answers conditional requests (``feeds.validated``: ETag, 304).
"""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

import archive.converters  # noqa: F401 - registers <uslug:> and <id:>
from archive import feeds
from archive.feeds import validated

app_name = "feeds"


def _route(kind, tail):
    return format_lazy("{}<uslug:slug>/{}", kind, tail)


urlpatterns = [
    path("rss/", validated(feeds.SeminarFeed()), name="rss"),
    path("atom/", validated(feeds.ArchiveAtomFeed()), name="atom"),
    path(_("calendar.ics"), validated(feeds.archive_calendar), name="ics"),
    path(
        format_lazy("{}<id:page_id>.ics", _("seminar/")),
        validated(feeds.seminar_calendar),
        name="seminar_ics",
    ),
    path(_route(_("series/"), "rss/"), validated(feeds.SeriesFeed()), name="series_rss"),
    path(_route(_("series/"), "atom/"), validated(feeds.SeriesAtomFeed()), name="series_atom"),
    path(_route(_("series/"), "podcast/"), validated(feeds.PodcastFeed()), name="series_podcast"),
    path(
        _route(_("series/"), _("calendar.ics")), validated(feeds.series_calendar), name="series_ics"
    ),
    path(_route(_("speaker/"), "rss/"), validated(feeds.SpeakerFeed()), name="speaker_rss"),
    path(_route(_("speaker/"), "atom/"), validated(feeds.SpeakerAtomFeed()), name="speaker_atom"),
    path(_route(_("topic/"), "rss/"), validated(feeds.TopicFeed()), name="topic_rss"),
    path(_route(_("topic/"), "atom/"), validated(feeds.TopicAtomFeed()), name="topic_atom"),
]
