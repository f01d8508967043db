"""manage.py search_index: status names drift, update repairs it, rebuild starts afresh."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search.models import SearchEntry
from tests.search.conftest import SeminarMaker


@pytest.fixture
def pages(archive_root, settings):
    settings.ELASTICSEARCH_URL = ""
    make = SeminarMaker(archive_root)
    return [make("Tillit ett", lead="Om tillit."), make("Tillit två", lead="Om tillit.")]


def status(*args):
    out = StringIO()
    call_command("search_index", "status", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_status_in_step(pages):
    output = status("--check")
    assert "2 documents indexed, 2 published seminars" in output


def test_status_check_names_missing_and_extra_and_fails(pages):
    from archive.models import SeminarPage

    SearchEntry.objects.filter(page_id=pages[0].pk).delete()
    # A seminar unpublished behind the indexer's back (a queryset update sends no signal).
    SeminarPage.objects.filter(pk=pages[1].pk).update(live=False)
    with pytest.raises(CommandError, match="drifted"):
        status("--check")
    output = status()
    assert f"{pages[0].pk} Tillit ett" in output
    assert "1 missing from the index" in output
    assert "1 indexed but not public" in output


def test_status_notices_stale_entries(pages):
    from django.utils import timezone

    from archive.models import SeminarPage

    SeminarPage.objects.filter(pk=pages[1].pk).update(
        last_published_at=timezone.now() + timezone.timedelta(minutes=5)
    )
    output = status()
    assert "1 stale" in output
    assert f"{pages[1].pk} Tillit två" in output


def test_update_repairs_drift(pages):
    from archive.models import SeminarPage

    SearchEntry.objects.filter(page_id=pages[0].pk).delete()
    SeminarPage.objects.filter(pk=pages[1].pk).update(live=False)
    call_command("search_index", "update", stdout=StringIO(), stderr=StringIO())
    assert list(SearchEntry.objects.values_list("page_id", flat=True)) == [pages[0].pk]
    status("--check")


def test_rebuild_starts_afresh(pages):
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("search_index", "rebuild", stdout=out, stderr=StringIO())
    assert "2 seminars indexed" in out.getvalue()
    assert SearchEntry.objects.count() == 2


def test_status_and_update_notice_segments_written_without_a_signal(pages):
    """Segments bulk-written behind the indexer's back (as the demo loader once did: the
    transcript row first, which was indexed empty, then its segments) leave every time stamp
    older than the index; the segment counts still differ."""
    from archive.models import Transcript, TranscriptSegment
    from search.models import SearchSegment

    transcript = Transcript.objects.create(seminar=pages[0], language="sv")
    call_command("search_index", "update", stdout=StringIO(), stderr=StringIO())
    status("--check")
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(transcript=transcript, position=i, start=i, end=i + 1, text="Tillit.")
        for i in range(3)
    )
    assert "In step" not in status()
    assert f"{pages[0].pk} Tillit ett" in status()
    with pytest.raises(CommandError, match="drifted"):
        status("--check")
    call_command("search_index", "update", stdout=StringIO(), stderr=StringIO())
    assert SearchSegment.objects.filter(entry_id=pages[0].pk).count() == 3
    status("--check")
