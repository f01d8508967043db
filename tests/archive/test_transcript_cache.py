"""The rendered transcript is cached per version: edits and renamed speakers show at once."""

import pytest
from django.core.cache import cache

from archive.factories import SeminarPageFactory, SeminarSpeakerFactory, SpeakerFactory
from archive.transcript_formats import Cue
from archive.transcript_store import save_transcript

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar(archive_root):
    cache.clear()
    page = SeminarPageFactory(
        parent=archive_root,
        slug="cachad",
        title="Cachad",
        video_url="https://www.youtube.com/watch?v=abcdefghijk",
    )
    SeminarSpeakerFactory(page=page, speaker=SpeakerFactory(name="Greta Lund"))
    save_transcript(
        page,
        [
            Cue(0, 4, "Första versionen av texten.", speaker="Greta Lund"),
            Cue(4, 8, "Andra meningen.", speaker="Greta Lund"),
        ],
    )
    return page


def test_second_view_reuses_the_render_without_segment_query(
    client, seminar, django_assert_max_num_queries
):
    first = client.get(seminar.url).content.decode()
    assert "Första versionen av texten." in first
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        second = client.get(seminar.url).content.decode()
    assert "Första versionen av texten." in second
    segment_queries = [
        q["sql"]
        for q in ctx.captured_queries
        if "archive_transcriptsegment" in q["sql"] and '"text"' in q["sql"]
    ]
    assert segment_queries == [], "the segment list should come from the cache"


def test_saving_a_new_version_shows_at_once(client, seminar):
    client.get(seminar.url)
    save_transcript(seminar, [Cue(0, 5, "Helt ny formulering.", speaker="Greta Lund")])
    html = client.get(seminar.url).content.decode()
    assert "Helt ny formulering." in html
    assert "Första versionen av texten." not in html


def test_renamed_speaker_shows_at_once(client, seminar):
    client.get(seminar.url)
    speaker = seminar.seminar_speakers.get().speaker
    speaker.name = "Greta Lund-Berg"
    speaker.save()
    html = client.get(seminar.url).content.decode()
    assert '<span class="seg__speaker">Greta Lund-Berg</span>' in html


def test_deep_link_marks_current_segment_on_the_cached_render(client, seminar):
    client.get(seminar.url)  # fill the cache without a marked segment
    html = client.get(seminar.url + "?t=5").content.decode()
    assert '<li class="seg is-current" id="seg-1" aria-current="true" ' in html
    assert html.count("is-current") == 1
    plain = client.get(seminar.url).content.decode()
    assert "is-current" not in plain


def test_this_process_keeps_the_render_when_the_shared_cache_is_slow_or_empty(client, seminar):
    """Production's shared cache is the database; the web process keeps recent renders itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(seminar.url)
    cache.clear()  # as if the shared cache had evicted it: the process still has it
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(seminar.url).content.decode()
    assert "Första versionen av texten." in html
    assert not [
        q
        for q in ctx.captured_queries
        if "archive_transcriptsegment" in q["sql"] and '"text"' in q["sql"]
    ]
