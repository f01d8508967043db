"""Fixtures for the search suite: the engine under test and real seminars published through Wagtail.

``engine`` is parametrised: the database engine always runs; the Elasticsearch engine runs when
``ELASTICSEARCH_URL`` is set in the environment (and is skipped, saying so, when it is not), in
indices named for the test alone, deleted afterwards.
Seminars are published with ``save_revision().publish()``, so indexing goes through the real
signal → task → engine path.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from contextlib import contextmanager

import pytest
from django.utils import timezone

from archive.factories import SeminarPageFactory, SeriesFactory, SpeakerFactory, make_document
from archive.models import SeminarSlide, SeminarSpeaker
from search.engines.base import SearchQuery

ES_URL = os.environ.get("ELASTICSEARCH_URL", "")


@contextmanager
def isolated_elasticsearch(settings, url: str):
    """An Elasticsearch engine at ``url`` on indices of its own, deleted on leaving: the prefix
    is unique (the publish signals' engine reads it from the settings too), so runs sharing a
    cluster (CI jobs, developers) never rebuild over or delete each other's indices."""
    from search.engines.elasticsearch import ElasticsearchEngine

    settings.ELASTICSEARCH_URL = url
    settings.SEARCH_INDEX_PREFIX = f"test_seminars_{uuid.uuid4().hex[:12]}"
    engine = ElasticsearchEngine()
    engine.rebuild()
    try:
        yield engine
    finally:
        engine.delete_all()


@pytest.fixture(params=["database", "elasticsearch"])
def engine(request, archive_root, settings):
    """The engine under test, with an empty index; seminars published afterwards are indexed."""
    if request.param == "elasticsearch":
        if not ES_URL:
            pytest.skip("ELASTICSEARCH_URL is not set: the Elasticsearch engine is not tested")
        with isolated_elasticsearch(settings, ES_URL) as engine:
            yield engine
        return
    settings.ELASTICSEARCH_URL = ""
    from search.engines.database import DatabaseEngine

    yield DatabaseEngine()


def run(engine, q: str = "", **kwargs):
    """Search ``engine`` (after making fresh writes visible where the engine needs that)."""
    refresh = getattr(engine, "refresh", None)
    if callable(refresh):
        refresh()
    for key in ("series", "speaker", "topic", "year", "format", "lang"):
        if key in kwargs and isinstance(kwargs[key], str | int):
            kwargs[key] = (kwargs[key],)
    return engine.search(SearchQuery(q=q, **kwargs))


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


class SeminarMaker:
    """Creates seminars the way editors do: page, speakers, slides, transcript, then publish."""

    def __init__(self, root):
        self.root = root
        self.count = 0

    def __call__(
        self,
        title: str,
        *,
        lead: str = "",
        speakers=(),
        topics=(),
        series=None,
        start=None,
        transcript=(),
        slides=(),
        publish: bool = True,
        parent=None,
        **fields,
    ):
        from archive.slides import extract_document_text
        from archive.transcript_formats import Cue
        from archive.transcript_store import save_transcript

        self.count += 1
        start = start or timezone.now() - dt.timedelta(days=100 - self.count)
        page = SeminarPageFactory.build(
            title=title,
            slug=f"s-{self.count}",
            lead=lead,
            start=start,
            end=start + dt.timedelta(hours=1),
            series=SeriesFactory(name=series) if series else None,
            live=False,
            **fields,
        )
        (parent or self.root).add_child(instance=page)
        for position, entry in enumerate(speakers):
            # a name, a Speaker, or (either, role) for a moderator, panelist or host
            name, role = entry if isinstance(entry, tuple) else (entry, "speaker")
            speaker = name if hasattr(name, "pk") else SpeakerFactory(name=name)
            SeminarSpeaker.objects.create(
                page=page, speaker=speaker, role=role, sort_order=position
            )
        for pages in slides:
            document = make_document(list(pages), title=f"Bilder {title}")
            extract_document_text(document)
            SeminarSlide.objects.create(page=page, document=document, label="Presentation")
        if topics:
            page.topics.add(*topics)
        page.save()
        if transcript:
            save_transcript(
                page,
                [Cue(start=s, end=e, speaker=who, text=text) for s, e, who, text in transcript],
            )
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page


@pytest.fixture
def seminar(archive_root):
    return SeminarMaker(archive_root)
