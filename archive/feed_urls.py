"""Feed URLs, mounted at ``feeds/`` (Swedish ``flode/``) inside ``i18n_patterns``.

Each path segment is translated: ``/flode/serie/<slug>/rss/`` and ``/en/feeds/series/<slug>/rss/``.
"""

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

import archive.converters  # noqa: F401 - registers <uslug:>
from archive import feeds

app_name = "feeds"


def _route(kind, tail):
    return format_lazy("{}<uslug:slug>/{}", kind, tail)


urlpatterns = [
    path("rss/", feeds.SeminarFeed(), name="rss"),
    path("atom/", feeds.ArchiveAtomFeed(), name="atom"),
    path(_("calendar.ics"), feeds.archive_calendar, name="ics"),
    path(
        format_lazy("{}<int:page_id>.ics", _("seminar/")),
        feeds.seminar_calendar,
        name="seminar_ics",
    ),
    path(_route(_("series/"), "rss/"), feeds.SeriesFeed(), name="series_rss"),
    path(_route(_("series/"), "atom/"), feeds.SeriesAtomFeed(), name="series_atom"),
    path(_route(_("series/"), "podcast/"), feeds.PodcastFeed(), name="series_podcast"),
    path(_route(_("series/"), _("calendar.ics")), feeds.series_calendar, name="series_ics"),
    path(_route(_("speaker/"), "rss/"), feeds.SpeakerFeed(), name="speaker_rss"),
    path(_route(_("speaker/"), "atom/"), feeds.SpeakerAtomFeed(), name="speaker_atom"),
    path(_route(_("topic/"), "rss/"), feeds.TopicFeed(), name="topic_rss"),
    path(_route(_("topic/"), "atom/"), feeds.TopicAtomFeed(), name="topic_atom"),
]
