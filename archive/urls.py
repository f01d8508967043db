"""Public archive URLs other than pages (transcript downloads and the like live here).

Transcript URLs start with ``transkript/`` and carry the page id, so they never clash with Wagtail
page URLs and stay unique when two archives hold seminars with the same slug.
"""

from django.urls import path

import archive.converters  # noqa: F401 - registers <uslug:> and <id:>
from archive import transcript_views

urlpatterns: list = [
    path(
        "transkript/<id:page_id>/<uslug:slug>.<str:fmt>",
        transcript_views.transcript_download,
        name="transcript_download",
    ),
]
